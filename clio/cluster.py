"""Base clustering stage: UMAP (seeded) to a few dimensions, HDBSCAN, then a measured noise policy.

Noise points whose cosine similarity to the nearest cluster centroid (in embedding space) is at
least `noise_assign_similarity` join that cluster; the rest stay unclustered and are reported.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np


class Reducer(Protocol):
    def fit_transform(self, X: np.ndarray) -> np.ndarray: ...


class Clusterer(Protocol):
    def fit_predict(self, X: np.ndarray) -> np.ndarray: ...


@dataclass(frozen=True)
class ClusterConfig:
    seed: int = 42
    reducer: str = "umap"  # "umap" | "pca" (fast, for small runs and tests) | "none"
    umap_components: int = 5
    umap_neighbors: int = 15
    min_cluster_size: int | None = None  # None: tied to the release's min_conversations
    min_samples: int | None = None
    noise_assign_similarity: float = 0.4
    top_groups: int | None = None  # None: about sqrt(#base clusters), 2..20


@dataclass(frozen=True)
class BaseClusters:
    """labels (n,) int, -1 = unclustered; centroids (k, d) unit rows; raw_noise_share before reassignment."""

    labels: np.ndarray
    centroids: np.ndarray
    raw_noise_share: float


class UmapReducer:
    def __init__(self, n_components: int = 5, n_neighbors: int = 15, seed: int = 42):
        self.n_components, self.n_neighbors, self.seed = n_components, n_neighbors, seed

    def fit_transform(self, X: np.ndarray) -> np.ndarray:
        n = len(X)
        if n <= self.n_components + 2:
            return X
        import umap

        reducer = umap.UMAP(n_components=self.n_components, n_neighbors=min(self.n_neighbors, n - 1),
                            min_dist=0.0, metric="cosine", random_state=self.seed,
                            init="spectral" if n > 50 else "random")
        return reducer.fit_transform(X)


class HdbscanClusterer:
    """HDBSCAN (excess-of-mass); any cluster holding more than `max_share` of the points is re-clustered
    with leaf selection, because on diffuse real logs EOM tends to return one giant cluster (measured on
    WildChat + OASST: 2 clusters, one with 98% of conversations, before the split; 12 after)."""

    def __init__(self, min_cluster_size: int, min_samples: int | None = None, max_share: float = 0.2):
        self.min_cluster_size, self.min_samples, self.max_share = min_cluster_size, min_samples, max_share

    def _fit(self, X: np.ndarray, method: str) -> np.ndarray:
        import hdbscan

        return hdbscan.HDBSCAN(min_cluster_size=self.min_cluster_size, min_samples=self.min_samples,
                               cluster_selection_method=method).fit_predict(X)

    def fit_predict(self, X: np.ndarray) -> np.ndarray:
        if len(X) < max(2, self.min_cluster_size):
            return -np.ones(len(X), dtype=int)
        labels = self._fit(X, "eom")
        done: set[int] = set()
        while True:
            giants = [c for c in np.unique(labels[labels >= 0]) if c not in done
                      and (labels == c).sum() > self.max_share * len(X)
                      and (labels == c).sum() >= 4 * self.min_cluster_size]
            if not giants:
                return labels
            c = giants[0]
            done.add(c)
            idx = np.where(labels == c)[0]
            sub = self._fit(X[idx], "leaf")
            if sub.max() >= 1:  # a real split; otherwise keep the giant as it is
                labels[idx] = np.where(sub >= 0, sub + labels.max() + 1, -1)


class PcaReducer:
    def __init__(self, n_components: int = 5):
        self.n_components = n_components

    def fit_transform(self, X: np.ndarray) -> np.ndarray:
        Xc = X - X.mean(axis=0)
        _, _, vt = np.linalg.svd(Xc, full_matrices=False)
        return Xc @ vt[: self.n_components].T


class IdentityReducer:
    def fit_transform(self, X: np.ndarray) -> np.ndarray:
        return X


def make_reducer(config: ClusterConfig) -> Reducer:
    if config.reducer == "umap":
        return UmapReducer(config.umap_components, config.umap_neighbors, config.seed)
    if config.reducer == "pca":
        return PcaReducer(config.umap_components)
    if config.reducer == "none":
        return IdentityReducer()
    raise ValueError(f"unknown reducer {config.reducer!r}; use umap, pca or none")


def min_cluster_size_for(n: int, config: ClusterConfig, release_min_conversations: int) -> int:
    """Tie HDBSCAN's minimum to the release threshold, shrunk for tiny corpora.

    0.7 x min_conversations was chosen by measurement on 3,000 synthetic conversations (bench/cluster_eval.py):
    smaller minimums give purer clusters but more of them fall under the release threshold.
    """
    if config.min_cluster_size:
        return config.min_cluster_size
    return max(5, min(round(0.7 * release_min_conversations), n // 20 or 5))


def centroids_of(X: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    C = np.zeros((k, X.shape[1]), dtype=np.float32)
    for c in range(k):
        m = X[labels == c].mean(axis=0)
        C[c] = m / max(np.linalg.norm(m), 1e-9)
    return C


def assign_noise(X: np.ndarray, labels: np.ndarray, centroids: np.ndarray, min_sim: float) -> np.ndarray:
    labels = labels.copy()
    noise = np.where(labels < 0)[0]
    if len(noise) and len(centroids):
        sims = X[noise] @ centroids.T
        best = sims.argmax(axis=1)
        ok = sims[np.arange(len(noise)), best] >= min_sim
        labels[noise[ok]] = best[ok]
    return labels


def cluster_vectors(X: np.ndarray, reducer: Reducer, clusterer: Clusterer, config: ClusterConfig) -> BaseClusters:
    """Stage function: (n, d) unit vectors -> base cluster labels and centroids."""
    n = len(X)
    if n == 0:
        return BaseClusters(np.zeros(0, dtype=int), np.zeros((0, X.shape[1] if X.ndim == 2 else 1)), 0.0)
    labels = np.asarray(clusterer.fit_predict(reducer.fit_transform(X)), dtype=int)
    raw_noise = float((labels < 0).mean())
    # relabel by size (largest first) so ids are stable and readable
    uniq = [c for c in np.unique(labels) if c >= 0]
    order = sorted(uniq, key=lambda c: (-(labels == c).sum(), c))
    remap = {c: i for i, c in enumerate(order)}
    labels = np.array([remap.get(c, -1) for c in labels], dtype=int)
    C = centroids_of(X, labels, len(order))
    labels = assign_noise(X, labels, C, config.noise_assign_similarity)
    return BaseClusters(labels=labels, centroids=centroids_of(X, labels, len(order)), raw_noise_share=raw_noise)
