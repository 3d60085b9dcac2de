"""Unit-length rows, so that cosine similarity is a dot product: one definition for the whole project."""
from __future__ import annotations

import numpy as np


def unit_rows(M: np.ndarray) -> np.ndarray:
    """Each row scaled to length 1 (all-zero rows stay zero); keeps the array's float type."""
    return M / np.maximum(np.linalg.norm(M, axis=1, keepdims=True), 1e-12)
