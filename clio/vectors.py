"""Unit-length rows, so that cosine similarity is a dot product: one definition for the whole project."""
from __future__ import annotations

import numpy as np


def unit_rows(M: np.ndarray) -> np.ndarray:
    """Each row scaled to length 1 (all-zero rows stay zero); keeps the array's float type."""
    return M / np.maximum(np.linalg.norm(M, axis=1, keepdims=True), 1e-12)


def scale_columns_from(X: np.ndarray, start: int, weights) -> np.ndarray:
    """Columns `start:` of each row scaled by that row's weight, rows re-normalised (a copy). With a combined
    embedder's vectors and weights = English or not (or a cluster's English share), the second part (MiniLM, which
    reads English only) counts only for English text."""
    X = np.array(X, dtype=np.float32, copy=True)
    X[:, start:] *= np.asarray(weights, dtype=np.float32)[:, None]
    return unit_rows(X).astype(np.float32)
