"""Base clustering stage: UMAP (seeded) to a few dimensions, HDBSCAN, then a measured noise policy.

Noise policy: a point HDBSCAN leaves out joins the cluster whose centroid is most similar (cosine, in the
space its language group was clustered in) when that similarity is at least `noise_assign_similarity`
(0.35 for MiniLM; per model, see `noise_similarity_for`); the rest stay unclustered, and the shares before
and after are reported (manifest, release summary).
Measured: on AlpacaEval, points reassigned at >= 0.35 match their cluster's majority source as often as
HDBSCAN's own members (0.54-0.69 vs 0.46), below it less (0.29-0.39); on MMLU 0.35 beat 0.4 on accuracy,
NMI and ARI; on the synthetic corpus reassigned points are right 97-100% of the time.
Languages: an English-only embedder places text by language before topic, so with one (`languages: auto`)
each language with enough conversations is clustered on its own (non-English text also on character n-gram
features) and the hierarchy aligns the groups (`group_centered`).
Large inputs (over `faiss_over` conversations): FAISS k-means to many small centroids first, then UMAP and
HDBSCAN on the centroids only, so memory grows with the centroids, not with the kNN graph of every point.
"""
from __future__ import annotations

import warnings
from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from clio.vectors import unit_rows

# embedding models whose space is shared across languages (a name containing one of these)
MULTILINGUAL_HINTS = ("multilingual", "labse", "laser", "bge-m3", "multilingual-e5", "xlm", "distiluse",
                      "gte-multilingual", "jina-embeddings-v3", "sonar")


class Reducer(Protocol):
    def fit_transform(self, X: np.ndarray) -> np.ndarray: ...


class Clusterer(Protocol):
    min_cluster_size: int

    def fit_predict(self, X: np.ndarray) -> np.ndarray: ...


@dataclass(frozen=True)
class ClusterConfig:
    seed: int = 42
    reducer: str = "umap"  # "umap" | "pca" (fast, for small runs and tests) | "none"
    umap_components: int = 5
    # 30, not UMAP's 15: on the synthetic corpus 0.978 vs 0.938 accuracy (3,000), at a small cost on real logs
    # (unclustered 26% vs 20% on WildChat + OASST; MMLU subject NMI 0.542 vs 0.550)
    umap_neighbors: int = 30
    min_cluster_size: int | None = None  # None: tied to the release's min_conversations
    min_samples: int | None = 3  # HDBSCAN's default (= min size) left 46% of real logs as noise; 3 left 26%
    max_cluster_share: float = 0.2  # clusters above this share of points are re-split (leaf selection)
    selection: str = "eom"  # HDBSCAN cluster selection: "eom" (excess of mass) or "leaf" (finer clusters)
    noise_assign_similarity: float | None = None  # None: per embedding model, `noise_similarity_for`
    top_groups: int | None = None  # None: about sqrt(#base clusters), 2..20 (8..20 for large runs)
    levels: int | None = None  # levels above the base; None: 1, 2 from 64 base clusters, 3 from 600
    hierarchy_term_weight: float = 0.3  # share of name-term similarity (vs centroid) when grouping parents
    # share of domain-profile similarity (the clusters' cosines to labels.yaml's domain descriptions, centred) when
    # grouping parents. MMLU, 5 seeds of base clusters: top level vs the 4 categories NMI 0.299 (0.3) against 0.244
    # (0), the base level 0.296; 0.2 gave 0.283, 0.4 0.292; silhouette of base centroids 0.126 vs 0.130
    hierarchy_domain_weight: float = 0.3
    languages: str = "auto"  # "auto": split by language unless the embedder is multilingual | "split" | "joint"
    language_min_conversations: int | None = None  # own group from this many; None: 3 x min cluster size
    faiss_over: int = 50_000  # above this many conversations, pre-cluster with FAISS k-means
    # 20,000 synthetic through FAISS: accuracy 0.991, 10 s, 560 MB (direct: 0.993, 41 s, 830 MB).
    # 100,000 synthetic, same vectors: FAISS 72 s, peak 1.7 GB, base accuracy 1.000 (148 clusters), best NMI 0.906;
    # direct 214 s, 2.6 GB, 0.9999 (1,909 clusters), 0.938. The old 200,000 kept 100k runs off this path.
    faiss_points_per_centroid: int = 50


@dataclass(frozen=True)
class BaseClusters:
    """labels (n,) int, -1 = unclustered; centroids (k, d) unit rows; shares of the noise policy; per-cluster
    group (language) when clustered by language; `path` "direct" or "faiss"."""

    labels: np.ndarray
    centroids: np.ndarray
    raw_noise_share: float
    reassigned_share: float = 0.0
    cluster_group: tuple[str, ...] = ()
    path: str = "direct"
    groups: dict = field(default_factory=dict)

    @property
    def unclustered_share(self) -> float:
        return float((self.labels < 0).mean()) if len(self.labels) else 0.0

    def report(self) -> dict:
        """Figures for the manifest (aggregates only)."""
        return {"base_clusters": len(self.centroids), "path": self.path,
                "raw_noise_share": round(self.raw_noise_share, 4),
                "noise_reassigned_share": round(self.reassigned_share, 4),
                "unclustered_share": round(self.unclustered_share, 4), "language_groups": self.groups}


# below this many points UMAP computes every pairwise distance itself (its own threshold)
UMAP_EXACT_BELOW = 4096


def exact_cosine_knn(X: np.ndarray, k: int, block: int = 1024) -> tuple[np.ndarray, np.ndarray]:
    """(n, k) indices and cosine distances of each row's k nearest rows (itself first at 0), exact, in float64
    row blocks so memory stays (block, n)."""
    Xd = unit_rows(np.asarray(X, dtype=np.float64))
    n = len(Xd)
    idx = np.empty((n, k), dtype=np.int64)
    dist = np.empty((n, k), dtype=np.float64)
    for s in range(0, n, block):
        D = 1.0 - Xd[s:s + block] @ Xd.T
        rows = np.arange(len(D))
        D[rows, rows + s] = -1.0  # each point its own first neighbour, ahead of exact duplicates
        part = np.argpartition(D, k - 1, axis=1)[:, :k]  # k < n: callers ask for at most n - 1
        order = np.argsort(np.take_along_axis(D, part, axis=1), axis=1, kind="stable")
        idx[s:s + block] = np.take_along_axis(part, order, axis=1)
        dist[s:s + block] = np.maximum(np.take_along_axis(D, idx[s:s + block], axis=1), 0.0)
    return idx, dist


class UmapReducer:
    """UMAP, cosine, min_dist 0; seeded and single-threaded with PCA init, so the same input gives the same output.

    Below UMAP's own exact threshold the k nearest neighbours are computed here with one matrix product and
    handed to UMAP (`precomputed_knn`): UMAP would compute the same distances through sklearn one Python call
    per pair, then JIT-compile its own neighbour search. Same graph (max weight difference 1.5e-6 on AlpacaEval);
    on 2,000 conversations 17.0 s -> 8.8 s (bench/throughput.py, cluster stage)."""

    def __init__(self, n_components: int = 5, n_neighbors: int = 30, seed: int = 42):
        self.n_components, self.n_neighbors, self.seed = n_components, n_neighbors, seed

    def fit_transform(self, X: np.ndarray) -> np.ndarray:
        n = len(X)
        if n <= self.n_components + 2:
            return X
        import umap

        k = min(self.n_neighbors, n - 1)
        exact = {}
        if n < UMAP_EXACT_BELOW:
            exact = {"precomputed_knn": exact_cosine_knn(X, k), "force_approximation_algorithm": True}
        # PCA init: UMAP's default spectral init is not reproducible (its eigensolver starts at random,
        # unseeded: measured max coordinate differences of 1-12 between two seeded runs); PCA init is, and
        # scored the same on the synthetic and MT-bench sets
        reducer = umap.UMAP(n_components=self.n_components, n_neighbors=k, min_dist=0.0, metric="cosine",
                            random_state=self.seed, n_jobs=1, init="pca", **exact)
        with warnings.catch_warnings():  # "transform will be unavailable": this reducer only fits
            warnings.filterwarnings("ignore", message="precomputed_knn", category=UserWarning)
            return reducer.fit_transform(X)


class HdbscanClusterer:
    """HDBSCAN (excess-of-mass); any cluster holding more than `max_share` of the points is re-clustered
    with leaf selection, because on diffuse real logs EOM tends to return one giant cluster (measured on
    WildChat + OASST: 2 clusters, one with 98% of conversations, before the split; 12 after)."""

    def __init__(self, min_cluster_size: int, min_samples: int | None = None, max_share: float = 0.2,
                 selection: str = "eom"):
        if selection not in ("eom", "leaf"):
            raise ValueError(f"unknown cluster selection {selection!r}; use eom or leaf")
        self.min_cluster_size, self.min_samples, self.max_share = min_cluster_size, min_samples, max_share
        self.selection = selection

    def _fit(self, X: np.ndarray, method: str) -> np.ndarray:
        import hdbscan

        return hdbscan.HDBSCAN(min_cluster_size=self.min_cluster_size, min_samples=self.min_samples,
                               cluster_selection_method=method).fit_predict(X)

    def fit_predict(self, X: np.ndarray) -> np.ndarray:
        if len(X) < max(2, self.min_cluster_size):
            return -np.ones(len(X), dtype=int)
        labels = self._fit(X, self.selection)
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
        vt = vt[: self.n_components]
        vt = vt * np.sign(vt[np.arange(len(vt)), np.abs(vt).argmax(axis=1)])[:, None]  # sign fixed: deterministic
        return Xc @ vt.T


class IdentityReducer:
    def fit_transform(self, X: np.ndarray) -> np.ndarray:
        return X


def umap_neighbors_for(config: ClusterConfig, min_size: int | None) -> int:
    """UMAP's neighbourhood, at most twice HDBSCAN's minimum cluster size: a neighbourhood much larger than the
    smallest cluster wanted smooths small clusters into their neighbours. Only small corpora are affected (the
    default minimum 18 gives 36 > 30). Measured on MT-bench (80 prompts, minimum 5), NMI against the 8
    categories, mean of 5 UMAP seeds: 30 neighbours 0.425 (5-6 clusters), 10 neighbours 0.493 (6-7)."""
    if not min_size:
        return config.umap_neighbors
    return min(config.umap_neighbors, max(5, 2 * min_size))


def make_reducer(config: ClusterConfig, min_size: int | None = None) -> Reducer:
    if config.reducer == "umap":
        return UmapReducer(config.umap_components, umap_neighbors_for(config, min_size), config.seed)
    if config.reducer == "pca":
        return PcaReducer(config.umap_components)
    if config.reducer == "none":
        return IdentityReducer()
    raise ValueError(f"unknown reducer {config.reducer!r}; use umap, pca or none")


def make_clusterer(min_size: int, config: ClusterConfig) -> HdbscanClusterer:
    return HdbscanClusterer(min_size, config.min_samples, config.max_cluster_share, config.selection)


def min_cluster_size_for(n: int, config: ClusterConfig, release_min_conversations: int) -> int:
    """Tie HDBSCAN's minimum to the release threshold, shrunk for tiny corpora.

    0.7 x min_conversations, re-measured: against 1.0 it kept synthetic accuracy higher (0.99 vs 0.98) and found
    more clusters in real logs (25 vs 19 on WildChat + OASST); 0.5 split 16 synthetic topics into 130 clusters,
    many of them under the release threshold.
    """
    if config.min_cluster_size:
        return config.min_cluster_size
    return max(5, min(round(0.7 * release_min_conversations), n // 20 or 5))


def centroids_of(X: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """(k, d) unit mean rows of each label; streams over points, so memory stays (k, d)."""
    C = np.zeros((k, X.shape[1]), dtype=np.float64)
    ok = labels >= 0
    np.add.at(C, labels[ok], X[ok])
    return unit_rows(C).astype(np.float32)


def assign_noise(X: np.ndarray, labels: np.ndarray, centroids: np.ndarray, min_sim: float) -> np.ndarray:
    """Noise points join their most similar centroid when cosine >= min_sim; the rest stay -1."""
    labels = labels.copy()
    noise = np.where(labels < 0)[0]
    for s in range(0, len(noise) if len(centroids) else 0, 8192):  # chunks bound the (chunk, k) matrix
        idx = noise[s:s + 8192]
        sims = X[idx] @ centroids.T
        best = sims.argmax(axis=1)
        ok = sims[np.arange(len(idx)), best] >= min_sim
        labels[idx[ok]] = best[ok]
    return labels


def faiss_precluster(X: np.ndarray, n_centroids: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Spherical k-means (FAISS): (n,) centroid id per point and (c, d) centroids. Trained on at most 64 points
    per centroid and single-threaded, so it is deterministic for a seed."""
    import faiss

    Xf = np.ascontiguousarray(X, dtype=np.float32)
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        km = faiss.Kmeans(Xf.shape[1], n_centroids, niter=20, seed=seed, spherical=True,
                          max_points_per_centroid=64, min_points_per_centroid=5, verbose=False)
        km.train(Xf)
    finally:
        faiss.omp_set_num_threads(threads)
    _, idx = km.index.search(Xf, 1)
    return idx.ravel().astype(int), km.centroids


def _cluster_points(X: np.ndarray, reducer: Reducer, clusterer: Clusterer,
                    config: ClusterConfig) -> tuple[np.ndarray, str]:
    """Raw labels (-1 = noise) for one group of points, directly or through FAISS centroids."""
    n = len(X)
    if n <= config.faiss_over:
        return np.asarray(clusterer.fit_predict(reducer.fit_transform(X)), dtype=int), "direct"
    c = max(2 * clusterer.min_cluster_size, min(n // config.faiss_points_per_centroid, 20_000))
    assign, C = faiss_precluster(X, c, config.seed)
    used = np.unique(assign)
    C = unit_rows(C[used])
    remap = np.full(c, -1)
    remap[used] = np.arange(len(used))
    # a centroid stands for ~points_per_centroid conversations: scale HDBSCAN's minimum down accordingly
    per = n / len(used)
    small = make_clusterer(max(2, round(clusterer.min_cluster_size / per) + 1), config)
    clab = np.asarray(small.fit_predict(reducer.fit_transform(C)), dtype=int)
    return clab[remap[assign]], "faiss"


def language_groups(languages, n: int, min_size: int, config: ClusterConfig, model: str = "") -> dict[str, np.ndarray]:
    """Row indices per language group: each language with enough rows alone, the rest with the largest group.
    One group ("all") when the config or a multilingual embedder says so."""
    mode = config.languages
    if mode == "auto":
        mode = "joint" if is_multilingual(model) else "split"
    if mode not in ("split", "joint"):
        raise ValueError(f"unknown languages mode {config.languages!r}; use auto, split or joint")
    if languages is None or mode == "joint":
        return {"all": np.arange(n)}
    langs = np.asarray(languages)
    floor = config.language_min_conversations or 3 * min_size
    counts = Counter(langs.tolist())
    big = sorted((lang for lang, c in counts.items() if c >= floor), key=lambda lang: (-counts[lang], lang))
    if len(big) <= 1:  # one language: one group, named so that a non-English corpus still gets lexical features
        return {big[0] if big else "all": np.arange(n)}
    main = big[0]
    return {lang: np.where((langs == lang) | ((lang == main) & ~np.isin(langs, big)))[0] for lang in big}


# Cosines run lower in some spaces: USE multilingual puts a request and its translation at ~0.6 and unrelated
# requests at ~0.1, MiniLM at ~0.8 and ~0.1. Measured on the Russian WildChat mix with USE: at 0.35, 38% of the
# Russian prompts stayed unclustered (HDBSCAN noise 49%); at 0.15, 5.5%, with NMI against their task category
# unchanged (0.257 vs 0.260), so the reassigned points fit their clusters as well as HDBSCAN's own members.
NOISE_SIMILARITY = {"universal-sentence-encoder-multilingual-v3": 0.15, "use-multilingual": 0.15,
                    "universal-sentence-encoder-multilingual-v3+all-MiniLM-L6-v2": 0.15}


def noise_similarity_for(model: str, config: ClusterConfig) -> float:
    """The cosine at which a noise point joins its nearest cluster: the config's, else the model's default."""
    if config.noise_assign_similarity is not None:
        return config.noise_assign_similarity
    return NOISE_SIMILARITY.get(model.split("/")[-1], 0.35)


def is_multilingual(model: str) -> bool:
    return any(h in model.lower() for h in MULTILINGUAL_HINTS)


def lexical_features(texts: list[str], seed: int, dim: int = 100) -> np.ndarray:
    """(n, dim) unit rows: LSA of character 3-5-gram TF-IDF. Reads any script, so it carries the topic of text an
    English-only embedder cannot (on Russian WildChat prompts: NMI against task category 0.10 -> 0.17)."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    T = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=2, sublinear_tf=True,
                        max_features=50_000).fit_transform(texts)
    dim = min(dim, T.shape[1] - 1, len(texts) - 1)
    if dim < 2:
        return np.zeros((len(texts), 0), dtype=np.float32)
    L = TruncatedSVD(dim, random_state=seed).fit_transform(T)
    return unit_rows(L).astype(np.float32)


def group_centered(X: np.ndarray, labels: np.ndarray, cluster_group: tuple[str, ...]) -> np.ndarray:
    """Cluster centroids with each language group's mean removed, so parents are formed on what was asked rather
    than on the language offset an English-only embedder adds. (k, d) unit rows; plain centroids for one group."""
    k = len(cluster_group)
    C = centroids_of(X, labels, k)
    if len(set(cluster_group)) <= 1:
        return C
    groups = np.array(cluster_group)
    sizes = np.bincount(labels[labels >= 0], minlength=k).astype(float)
    for g in set(cluster_group):
        m = groups == g
        mean = (C[m] * sizes[m, None]).sum(axis=0) / max(sizes[m].sum(), 1)
        C[m] = C[m] - mean
    return unit_rows(C).astype(np.float32)


def cluster_vectors(X: np.ndarray, reducer: Reducer, clusterer: Clusterer, config: ClusterConfig,
                    languages=None, model: str = "", texts: list[str] | None = None) -> BaseClusters:
    """Stage function: (n, d) unit vectors (with each row's language and summary) -> base labels and centroids.
    A language group other than English, under an English-only embedder, is clustered (and its noise assigned)
    on the vectors joined with `lexical_features` of its texts."""
    n = len(X)
    if n == 0:
        return BaseClusters(np.zeros(0, dtype=int), np.zeros((0, X.shape[1] if X.ndim == 2 else 1)), 0.0)
    groups = language_groups(languages, n, clusterer.min_cluster_size, config, model)
    labels = -np.ones(n, dtype=int)
    group_of = np.zeros(n, dtype=int)
    path, raw_noise = "direct", 0
    for gi, (lang, idx) in enumerate(groups.items()):
        Z = X[idx]
        if texts is not None and lang not in ("all", "en") and len(idx) <= config.faiss_over:
            L = lexical_features([texts[i] for i in idx], config.seed)
            Z = np.hstack([Z, L]) / np.sqrt(2)  # both parts unit length: the joined rows are too
        sub, group_path = _cluster_points(Z, reducer, clusterer, config)
        path = "faiss" if "faiss" in (path, group_path) else group_path  # any group on FAISS: say so
        raw_noise += int((sub < 0).sum())
        ids = np.unique(sub[sub >= 0])
        sub = np.where(sub >= 0, np.searchsorted(ids, sub), -1)
        sub = assign_noise(Z, sub, centroids_of(Z, sub, len(ids)), noise_similarity_for(model, config))
        labels[idx] = np.where(sub >= 0, sub + labels.max() + 1, -1)
        group_of[idx] = gi
    # relabel by size (largest first), ties by first member: stable and readable ids
    uniq, first, counts = np.unique(labels, return_index=True, return_counts=True)
    keep = uniq >= 0
    uniq, first, counts = uniq[keep], first[keep], counts[keep]
    order = np.lexsort((first, -counts))
    remap = np.full(labels.max() + 2, -1)
    remap[uniq[order]] = np.arange(len(order))
    labels = remap[labels]
    names = list(groups)
    cgroup = [names[group_of[first[o]]] for o in order]
    sizes = Counter(cgroup)
    unclustered = float((labels < 0).mean())
    return BaseClusters(labels=labels, centroids=centroids_of(X, labels, len(order)), raw_noise_share=raw_noise / n,
                        reassigned_share=raw_noise / n - unclustered, cluster_group=tuple(cgroup), path=path,
                        groups={g: {"conversations": int(len(idx)), "clusters": sizes.get(g, 0)}
                                for g, idx in groups.items()})
