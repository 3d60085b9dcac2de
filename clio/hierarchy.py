"""Hierarchy stage: group base clusters bottom-up on their centroids into a top level."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Hierarchy:
    """parent_of[i] = top-level group of base cluster i; top_centroids (g, d); coords (k, 2) for the map."""

    parent_of: np.ndarray
    top_centroids: np.ndarray
    coords: np.ndarray


def top_group_count(k: int, requested: int | None) -> int:
    if k <= 1:
        return k
    if requested:
        return max(1, min(requested, k))
    return max(2, min(20, round(math.sqrt(k))))


def build_hierarchy(centroids: np.ndarray, requested_groups: int | None = None) -> Hierarchy:
    """Agglomerative (average linkage, cosine) over base centroids; deterministic."""
    k = len(centroids)
    g = top_group_count(k, requested_groups)
    if k == 0:
        return Hierarchy(np.zeros(0, dtype=int), np.zeros((0, 1)), np.zeros((0, 2)))
    if g >= k or k < 2:
        parent = np.arange(k)
    else:
        from sklearn.cluster import AgglomerativeClustering

        parent = AgglomerativeClustering(n_clusters=g, metric="cosine", linkage="average").fit_predict(centroids)
        # renumber groups by first appearance for stable ids
        first = {}
        for p in parent:
            first.setdefault(int(p), len(first))
        parent = np.array([first[int(p)] for p in parent])
    tops = np.zeros((parent.max() + 1, centroids.shape[1]), dtype=np.float32)
    for t in range(len(tops)):
        m = centroids[parent == t].mean(axis=0)
        tops[t] = m / max(np.linalg.norm(m), 1e-9)
    return Hierarchy(parent_of=parent, top_centroids=tops, coords=map_coords(centroids))


def map_coords(centroids: np.ndarray) -> np.ndarray:
    """2-D positions of clusters for the map: PCA of centroids (aggregates only, never points)."""
    k = len(centroids)
    if k < 3:
        return np.column_stack([np.arange(k, dtype=float), np.zeros(k)])
    X = centroids - centroids.mean(axis=0)
    _, _, vt = np.linalg.svd(X, full_matrices=False)
    xy = X @ vt[:2].T
    xy = xy * np.sign(xy[np.abs(xy).argmax(axis=0), [0, 1]])  # fix sign for determinism
    return np.round(xy, 4)
