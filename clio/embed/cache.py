"""Vectors cached by content hash (never by text): a re-run embeds only summaries it has not seen.

The cache is held in memory; `clio.pipeline` loads it from and saves it to WORKSPACE/private/cache/ (one file per
model, so vectors of different models and dimensions never mix)."""
from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

import numpy as np

from clio.embed.embedders import Embedder
from clio.embed.stage import embed_batch


def content_key(model: str, text: str) -> str:
    """Cache key: hash of (model, text). The text itself is never stored in the cache."""
    return hashlib.sha256(f"{model}\x00{text}".encode()).hexdigest()[:32]


class VectorCache:
    """Vectors keyed by content hash; `added` counts those computed since it was loaded (0: nothing to save)."""

    def __init__(self, data: Mapping[str, np.ndarray] | None = None):
        self.data: dict[str, np.ndarray] = dict(data or {})
        self.added = 0

    def embed(self, embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
        """Embed `texts`, computing only those whose hash is not cached yet (in content-hash order)."""
        keys = [content_key(embedder.name, t) for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts) if k not in self.data}.items())
        if missing:
            vecs = embed_batch([t for _, t in missing], embedder)
            for (k, _), v in zip(missing, vecs):
                self.data[k] = v
            self.added += len(missing)
        if not keys:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([self.data[k] for k in keys]).astype(np.float32)
