"""Embed stage: summaries in, (n, d) float32 unit vectors out, through the run's `Embedder`."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from clio.embed.embedders import Embedder


def embed_batch(summaries: Sequence[str], embedder: Embedder) -> np.ndarray:
    """Stage function: a batch of summaries -> their (n, d) float32 unit vectors, in the same order."""
    return embedder.encode(list(summaries))
