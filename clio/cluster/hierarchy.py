"""Hierarchy stage: group base clusters bottom-up, level by level, on their centroids, their names' terms and
their domains.

Each level above the base is a Ward merge of the level below, on features that join the (size-weighted)
embedding centroid, the c-TF-IDF profile of the group's summaries and, when given, the group's domain profile
(its similarity to each project-written domain description, centred over the level), so a parent gathers
children that are close in meaning, share vocabulary and belong to the same kind of use (what its name is then
built from). Level sizes shrink
geometrically from the number of base clusters to a top level of about sqrt(k) groups (8-20 for large runs).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from clio.vectors import unit_rows

TOP_MAX = 20
LARGE_RUN_CLUSTERS = 64  # from this many base clusters on, the top level has at least 8 groups


@dataclass(frozen=True)
class Hierarchy:
    """parents[j] (n_j,) maps level-j node ids to level-(j+1) ids (level 0 = base clusters);
    centroids[j] (n_{j+1}, d) unit rows of level j+1; coords (k, 2) base cluster positions for the map."""

    parents: tuple[np.ndarray, ...]
    centroids: tuple[np.ndarray, ...]
    coords: np.ndarray

    @property
    def depth(self) -> int:
        """Levels above the base."""
        return len(self.parents)

    def ancestors(self) -> np.ndarray:
        """(k, depth) int: the node id of every base cluster at each level above the base."""
        k = len(self.coords)
        out = np.zeros((k, self.depth), dtype=int)
        cur = np.arange(k)
        for j, p in enumerate(self.parents):
            cur = p[cur]
            out[:, j] = cur
        return out

    @property
    def parent_of(self) -> np.ndarray:
        """Top-level group of every base cluster."""
        a = self.ancestors()
        return a[:, -1] if a.shape[1] else np.arange(len(self.coords))

    @property
    def top_centroids(self) -> np.ndarray:
        return self.centroids[-1] if self.centroids else np.zeros((0, 1), dtype=np.float32)


def top_group_count(k: int, requested: int | None) -> int:
    if k <= 1:
        return k
    if requested:
        return max(1, min(requested, k))
    g = round(math.sqrt(k))
    if k >= LARGE_RUN_CLUSTERS:
        g = max(8, g)
    return max(2, min(TOP_MAX, g))


def level_counts(k: int, requested_top: int | None = None, levels: int | None = None) -> list[int]:
    """Node counts of the levels above the base, bottom first: one level for small runs, two from
    LARGE_RUN_CLUSTERS base clusters, three from 600; sizes interpolate geometrically to the top."""
    top = top_group_count(k, requested_top)
    if k < 2 or top >= k:
        return []
    depth = levels or (1 if k < LARGE_RUN_CLUSTERS else 2 if k < 600 else 3)
    counts = [max(top, round(k * (top / k) ** (j / depth))) for j in range(1, depth + 1)]
    out: list[int] = []
    for c in counts:  # strictly shrinking; a level that would not shrink is dropped
        if c < (out[-1] if out else k):
            out.append(c)
    return out


def _profile_weights(tf):
    """c-TF-IDF rows (unit length) from a (n, V) term-count matrix (scipy sparse)."""
    import scipy.sparse as sp

    tf = sp.csr_matrix(tf, dtype=np.float64)
    rows = np.asarray(tf.sum(axis=1)).ravel()
    total = np.asarray(tf.sum(axis=0)).ravel()
    avg = rows.sum() / max(1, tf.shape[0])
    idf = np.log1p(avg / np.maximum(total, 1e-9))
    w = sp.diags(1.0 / np.maximum(rows, 1e-9)) @ tf @ sp.diags(idf)
    norms = np.sqrt(np.asarray(w.multiply(w).sum(axis=1)).ravel())
    return sp.diags(1.0 / np.maximum(norms, 1e-9)) @ w


def _merge(C: np.ndarray, P, g: int, term_weight: float, R: np.ndarray | None = None,
           domain_weight: float = 0.0) -> np.ndarray:
    """Ward on Euclidean distances of [sqrt(1-t-d) centroid, sqrt(t) term profile, sqrt(d) domain profile] (unit
    rows; a part that is absent gets no weight): labels 0..g-1."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    term_weight = term_weight if P is not None else 0.0
    domain_weight = domain_weight if R is not None else 0.0
    S = (1 - term_weight - domain_weight) * (C @ C.T)
    if term_weight > 0:
        S = S + term_weight * np.asarray((P @ P.T).todense())
    if domain_weight > 0:
        S = S + domain_weight * (R @ R.T)
    D = np.sqrt(np.maximum(2 - 2 * S, 0))
    np.fill_diagonal(D, 0)
    Z = linkage(squareform(D, checks=False), method="ward")
    return fcluster(Z, t=g, criterion="maxclust") - 1


def _renumber(labels: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Ids by size (largest first), ties by first appearance: stable and readable."""
    uniq = np.unique(labels)
    key = {u: (-sizes[labels == u].sum(), int(np.argmax(labels == u))) for u in uniq}
    order = sorted(uniq, key=lambda u: key[u])
    remap = {u: i for i, u in enumerate(order)}
    return np.array([remap[u] for u in labels], dtype=int)


def _domain_profile(Q: np.ndarray) -> np.ndarray:
    """Domain scores centred over the level's nodes, unit rows: what sets each node's domains apart."""
    return unit_rows(Q - Q.mean(axis=0, keepdims=True))


def build_hierarchy(centroids: np.ndarray, requested_groups: int | None = None, sizes: np.ndarray | None = None,
                    term_counts=None, levels: int | None = None, term_weight: float = 0.3,
                    domain_scores: np.ndarray | None = None, domain_weight: float = 0.0) -> Hierarchy:
    """Levels above (k, d) unit base centroids; `sizes` (k,) conversations per cluster, `term_counts` (k, V)
    sparse term counts of each cluster's summaries (naming.term_counts), `domain_scores` (k, m) each cluster
    centroid's cosine to m domain descriptions (a parent's are its children's, size-weighted). Deterministic."""
    k = len(centroids)
    if k == 0:
        return Hierarchy((), (), np.zeros((0, 2)))
    if min(term_weight, domain_weight) < 0 or term_weight + domain_weight > 1:
        raise ValueError(f"hierarchy weights must be >= 0 and sum to at most 1 (terms {term_weight}, "
                         f"domains {domain_weight})")
    sizes = np.ones(k) if sizes is None else np.asarray(sizes, dtype=float)
    C = unit_rows(np.asarray(centroids, dtype=np.float64))
    Q = None if domain_scores is None else np.asarray(domain_scores, dtype=np.float64)
    import scipy.sparse as sp

    tf = None if term_counts is None else sp.csr_matrix(term_counts, dtype=np.float64)
    parents, cents = [], []
    for g in level_counts(k, requested_groups, levels):
        P = _profile_weights(tf) if tf is not None else None
        R = _domain_profile(Q) if Q is not None and Q.shape[1] else None
        lab = _renumber(_merge(C, P, g, term_weight, R, domain_weight), sizes)
        n = lab.max() + 1
        onehot = np.zeros((n, len(lab)))
        onehot[lab, np.arange(len(lab))] = 1.0
        C = unit_rows(onehot @ (C * sizes[:, None]))
        if Q is not None:
            Q = (onehot @ (Q * sizes[:, None])) / np.maximum(onehot @ sizes, 1e-9)[:, None]
        sizes = onehot @ sizes
        if tf is not None:
            tf = sp.csr_matrix(onehot) @ tf
        parents.append(lab)
        cents.append(C.astype(np.float32))
    return Hierarchy(tuple(parents), tuple(cents), map_coords(np.asarray(centroids)))


def level_names(depth: int) -> list[str]:
    """["base", "top"], ["base", "mid", "top"], ["base", "mid1", "mid2", "top"], ..."""
    if depth == 0:
        return ["base"]
    mids = ["mid"] if depth == 2 else [f"mid{j}" for j in range(1, depth)]
    return ["base", *mids, "top"]


def node_id(level: int, i: int, depth: int) -> str:
    """Cluster ids: b3 (base), m5 / m1_5 (middle levels), t2 (top)."""
    if level == 0:
        return f"b{i}"
    if level == depth:
        return f"t{i}"
    return f"m{i}" if depth == 2 else f"m{level}_{i}"


def parent_arrays(saved: dict) -> list[np.ndarray]:
    """The parents_j arrays of a saved clustering (private/clusters.npz); older files hold one top level."""
    if "depth" in saved:
        return [saved[f"parents_{j}"] for j in range(int(saved["depth"]))]
    return [saved["parent_of"]]


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
