"""Vectors cached by content hash (never by text): a re-run embeds only summaries it has not seen."""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from clio.embed.embedders import Embedder


def content_key(model: str, text: str) -> str:
    """Cache key: hash of (model, text). The text itself is never stored in the cache."""
    return hashlib.sha256(f"{model}\x00{text}".encode()).hexdigest()[:32]


class VectorCache:
    """Vectors keyed by content hash in one .npz under private/cache; safe to delete."""

    def __init__(self, path: Path):
        self.path = path
        self._data: dict[str, np.ndarray] | None = None

    def _load(self) -> dict[str, np.ndarray]:
        if self._data is None:
            self._data = {}
            if self.path.exists():
                with np.load(self.path) as z:
                    keys, vecs = z["keys"], z["vectors"]
                self._data = {str(k): v for k, v in zip(keys, vecs)}
        return self._data

    def embed(self, embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
        """Embed `texts`, computing only those whose hash is not cached yet."""
        data = self._load()
        keys = [content_key(embedder.name, t) for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts) if k not in data}.items())
        if missing:
            vecs = embedder.encode([t for _, t in missing])
            for (k, _), v in zip(missing, vecs):
                data[k] = v
            self._save()
        if not keys:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([data[k] for k in keys]).astype(np.float32)

    def _save(self) -> None:
        from privacy.files import atomic_write_with

        data = self._load()
        keys = np.array(list(data.keys()))
        vecs = np.stack(list(data.values())) if data else np.zeros((0, 1), np.float32)
        atomic_write_with(self.path, lambda f: np.savez(f, keys=keys, vectors=vecs))


def embed_texts(texts: Sequence[str], embedder: Embedder, cache: VectorCache | None = None) -> np.ndarray:
    """Stage function: (n,) texts -> (n, d) float32 unit vectors."""
    if cache is None:
        return embedder.encode(list(texts))
    return cache.embed(embedder, list(texts))
