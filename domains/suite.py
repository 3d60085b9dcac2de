"""Usage-weighted eval suites for a domain, built only from released (audited) cluster text.

released base clusters --map_clusters--> taxonomy task nodes --build_suite--> SuiteItems --write_suite--> files

Privacy: the only input is `release/clusters.json`, read through the public types (`privacy.public`), so every
item's `input` is a released exemplar (or, failing that, the released cluster description or name), copied
verbatim; nothing is invented.
"""
from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from domains.export import FORMATS, UnsupportedFormatError, write_suite
from domains.taxonomy import Taxonomy
from privacy.public import PublicCluster, PublicClusters, SchemaError, SuiteItem, read_artifact


class Embedder(Protocol):
    """Anything that embeds texts as (n, d) rows: clio's embedders, or a test's fake."""

    name: str

    def encode(self, texts: Sequence[str]) -> Any: ...


__all__ = [
    "FORMATS", "NodeMatch", "SchemaError", "SuiteItem", "UnsupportedFormatError",
    "build_suite", "load_release_clusters", "map_clusters", "write_suite",
]

BASE_LEVEL = 0
TASK_PATH_WEIGHT = 0.3  # share of the category/subcategory path in a task node's vector


@dataclass(frozen=True)
class NodeMatch:
    """One released base cluster placed under its most similar taxonomy task (cosine `similarity`)."""

    cluster_id: str
    cluster_name: str
    category: str
    subcategory: str
    task: str
    similarity: float
    share: float


def load_release_clusters(path: str | Path) -> tuple[PublicCluster, ...]:
    """The released clusters of a `release/clusters.json` file (SchemaError on a file of another version)."""
    return read_artifact(PublicClusters, Path(path)).clusters


def _base_clusters(clusters: Sequence[PublicCluster]) -> list[PublicCluster]:
    return [c for c in clusters if c.level == BASE_LEVEL]


def _cluster_text(c: PublicCluster) -> str:
    parts = [c.name, c.description, " ".join(c.keywords)]
    return ". ".join(p for p in parts if p.strip())


def _node_vectors(taxonomy: Taxonomy, embedder: Embedder):
    """(n_nodes, d) unit vectors: the task's own text, nudged towards its category/subcategory context.

    Embedding the whole path as one string lets the long shared context drown the task wording
    (MiniLM put "insurance and medical bills" under "Explain a medical condition"); mixing in the
    path at TASK_PATH_WEIGHT keeps the hierarchy as a tie-breaker without letting it dominate.
    """
    nodes = list(taxonomy.nodes())
    task_text = [f"{t.name}. {t.description}" for _, _, t in nodes]
    path_text = [f"{c.name}. {c.description} {s.name}. {s.description} {t.name}. {t.description}"
                 for c, s, t in nodes]
    task_vecs = _unit_rows(embedder.encode(task_text))
    path_vecs = _unit_rows(embedder.encode(path_text))
    return _unit_rows((1 - TASK_PATH_WEIGHT) * task_vecs + TASK_PATH_WEIGHT * path_vecs)


def _unit_rows(m):
    """Rows scaled to length 1 as float32 (all-zero rows stay zero), so cosine is a dot product."""
    import numpy as np

    m = np.asarray(m, dtype=np.float32)
    return m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)


def map_clusters(
    taxonomy: Taxonomy, clusters: Sequence[PublicCluster], embedder: Embedder, min_similarity: float = 0.3
) -> list[NodeMatch]:
    """Place each released base (level-0) cluster under its most similar task node.

    Cosine between the embedding of (name + description + keywords) and of each task node
    (task name + description, mixed with its category / subcategory path). Clusters whose best cosine is below
    `min_similarity` are outside the domain and left out. Output keeps the release order.
    """
    base = _base_clusters(clusters)
    if not base:
        return []
    nodes = list(taxonomy.nodes())
    node_vecs = _node_vectors(taxonomy, embedder)
    cluster_vecs = _unit_rows(embedder.encode([_cluster_text(c) for c in base]))
    sims = cluster_vecs @ node_vecs.T  # (n_clusters, n_nodes)
    best = sims.argmax(axis=1)  # first maximum wins: ties resolve to file order, deterministically
    out = []
    for c, j, row in zip(base, best, sims):
        score = float(row[j])
        if score < min_similarity:
            continue
        cat, sub, task = nodes[int(j)]
        out.append(NodeMatch(
            cluster_id=c.id, cluster_name=c.name,
            category=cat.name, subcategory=sub.name, task=task.name,
            similarity=round(score, 6), share=float(c.share or 0.0),
        ))
    return out


def usage_weights(matches: Sequence[NodeMatch], clusters: Sequence[PublicCluster] = ()) -> list[float]:
    """Cluster shares normalised to sum to 1; falls back to conversation counts, then uniform."""
    if not matches:
        return []
    raw = [max(m.share, 0.0) for m in matches]
    if sum(raw) <= 0:
        by_id = {c.id: c for c in clusters}
        raw = [max(float(by_id[m.cluster_id].conversations if m.cluster_id in by_id else 0), 0.0) for m in matches]
    if sum(raw) <= 0:
        raw = [1.0] * len(matches)
    total = sum(raw)
    return [r / total for r in raw]


def allocate(weights: Sequence[float], n: int) -> list[int]:
    """Largest-remainder split of `n` items proportional to `weights`; sums to exactly `n`."""
    if n < 0:
        raise ValueError(f"n_items must be >= 0, got {n}")
    if not weights:
        return []
    quotas = [w * n for w in weights]
    counts = [int(q) for q in quotas]
    # Ties in the remainder go to the earlier cluster so the split never depends on the seed.
    order = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - counts[i]), i))
    for i in order[: n - sum(counts)]:
        counts[i] += 1
    return counts


def released_inputs(cluster: PublicCluster) -> list[str]:
    """The released strings an item may use, verbatim: exemplars, else the description, else the name."""
    exemplars = [e.strip() for e in cluster.exemplars if e.strip()]
    if exemplars:
        return exemplars
    for text in (cluster.description, cluster.name):
        if text.strip():
            return [text.strip()]
    return []


def _draw(pool: list[str], k: int, rng: random.Random) -> list[str]:
    """k strings from pool, every string used once before any repeats."""
    out: list[str] = []
    while len(out) < k:
        batch = pool[:]
        rng.shuffle(batch)
        out.extend(batch[: k - len(out)])
    return out


def build_suite(
    taxonomy: Taxonomy,
    clusters: Sequence[PublicCluster],
    embedder: Embedder,
    n_items: int = 200,
    seed: int = 0,
    min_similarity: float = 0.3,
) -> list[SuiteItem]:
    """Usage-weighted suite: each matched cluster gets items in proportion to its share.

    Deterministic for a given seed (item order and which exemplar is repeated); the per-cluster
    counts do not depend on the seed. Items come out shuffled so any prefix is roughly usage-weighted.
    """
    if n_items < 0:
        raise ValueError(f"n_items must be >= 0, got {n_items}")
    matches = map_clusters(taxonomy, clusters, embedder, min_similarity=min_similarity)
    by_id = {c.id: c for c in clusters}
    usable = [m for m in matches if released_inputs(by_id[m.cluster_id])]
    weights = usage_weights(usable, clusters)
    counts = allocate(weights, n_items)
    items: list[SuiteItem] = []
    for m, w, k in zip(usable, weights, counts):
        cluster = by_id[m.cluster_id]
        rng = random.Random(f"{seed}:{m.cluster_id}")
        q = cluster.quizzing_share
        for j, text in enumerate(_draw(released_inputs(cluster), k, rng)):
            items.append(SuiteItem(
                id=f"{taxonomy.name}-{m.cluster_id}-{j:04d}", domain=taxonomy.name,
                category=m.category, subcategory=m.subcategory, task=m.task, cluster_id=m.cluster_id,
                weight=w, input=text, quizzing_share=None if q is None else float(q),
            ))
    random.Random(seed).shuffle(items)
    return items
