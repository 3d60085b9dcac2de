"""The domain gate: which released base clusters belong to a domain's suite, and why the others do not.

A cluster enters when both of its public figures clear the thresholds of the domain pack (`Taxonomy.gate`):
the share of its conversations whose domain facet is one of the pack's `facet_domains` (the cluster's released
`domains` histogram), and the cosine between its released text and the nearest task of the taxonomy. The first
keeps out clusters whose words happen to resemble a task ("a cover letter for a data-analyst job" is not medical
research); the second keeps out in-domain clusters the taxonomy has no task for. Everything left out is listed
with its figures and the reason, so the manifest shows what the suite does not test.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from domains.taxonomy import Taxonomy, node_label
from privacy.public import LeftOutCluster, PublicCluster

BASE_LEVEL = 0
# The space the packs' gate thresholds, the pool floor and the near-duplicate cosine were measured in
# (bench/suite_eval.py). A suite embeds only released strings and public items, so it need not share the
# workspace's clustering encoder: it uses this model whatever the workspace clusters with.
SUITE_MODEL = "all-MiniLM-L6-v2"
TASK_PATH_WEIGHT = 0.3  # share of the category/subcategory path in a task node's vector


class Embedder(Protocol):
    """Anything that embeds texts as (n, d) rows: clio's embedders, or a test's fake."""

    name: str

    def encode(self, texts: Sequence[str]) -> Any: ...


@dataclass(frozen=True)
class NodeMatch:
    """One released base cluster placed under its most similar taxonomy task (cosine `similarity`), with the share
    of its conversations the domain facet puts in the domain (`domain_share`)."""

    cluster_id: str
    cluster_name: str
    category: str
    subcategory: str
    task: str
    similarity: float
    share: float
    domain_share: float = 1.0


@dataclass(frozen=True)
class GateResult:
    admitted: tuple[NodeMatch, ...]
    left_out: tuple[LeftOutCluster, ...]
    thresholds: dict


def unit_rows(m):
    """Rows scaled to length 1 as float32 (all-zero rows stay zero), so cosine is a dot product."""
    import numpy as np

    m = np.asarray(m, dtype=np.float32)
    if m.ndim != 2:
        m = m.reshape(len(m), -1)
    return m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)


def base_clusters(clusters: Sequence[PublicCluster]) -> list[PublicCluster]:
    return [c for c in clusters if c.level == BASE_LEVEL]


def cluster_text(c: PublicCluster) -> str:
    parts = [c.name, c.description, " ".join(c.keywords)]
    return ". ".join(p for p in parts if p.strip())


def node_vectors(taxonomy: Taxonomy, embedder: Embedder):
    """(n_nodes, d) unit vectors: the task's own text, nudged towards its category/subcategory context.

    Embedding the whole path as one string lets the long shared context drown the task wording
    (MiniLM put "insurance and medical bills" under "Explain a medical condition"); mixing in the
    path at TASK_PATH_WEIGHT keeps the hierarchy as a tie-breaker without letting it dominate.
    """
    nodes = list(taxonomy.nodes())
    task_text = [f"{t.name}. {t.description}" for _, _, t in nodes]
    path_text = [f"{c.name}. {c.description} {s.name}. {s.description} {t.name}. {t.description}"
                 for c, s, t in nodes]
    task_vecs = unit_rows(embedder.encode(task_text))
    path_vecs = unit_rows(embedder.encode(path_text))
    return unit_rows((1 - TASK_PATH_WEIGHT) * task_vecs + TASK_PATH_WEIGHT * path_vecs)


def domain_share(taxonomy: Taxonomy, cluster: PublicCluster) -> float:
    """Share of the cluster's conversations whose domain facet is one of the pack's `facet_domains`."""
    wanted = {d.casefold() for d in taxonomy.gate.facet_domains}
    return float(sum(v for k, v in (cluster.domains or {}).items() if k.casefold() in wanted))


def gate_clusters(taxonomy: Taxonomy, clusters: Sequence[PublicCluster], embedder: Embedder,
                  min_similarity: float | None = None, min_domain_share: float | None = None) -> GateResult:
    """Admit each released base cluster to the domain, or leave it out with its figures and the reason.

    Thresholds default to the pack's (`taxonomy.gate`); both must be met. Admitted clusters keep the release
    order; left-out ones are listed largest first.
    """
    sim_min = taxonomy.gate.min_similarity if min_similarity is None else min_similarity
    share_min = taxonomy.gate.min_domain_share if min_domain_share is None else min_domain_share
    thresholds = {"facet_domains": list(taxonomy.gate.facet_domains), "min_domain_share": share_min,
                  "min_similarity": sim_min}
    base = base_clusters(clusters)
    if not base:
        return GateResult((), (), thresholds)
    nodes = list(taxonomy.nodes())
    sims = unit_rows(embedder.encode([cluster_text(c) for c in base])) @ node_vectors(taxonomy, embedder).T
    best = sims.argmax(axis=1)  # first maximum wins: ties resolve to file order, deterministically
    admitted, left = [], []
    for c, j, row in zip(base, best, sims):
        score, dshare = float(row[j]), domain_share(taxonomy, c)
        cat, sub, task = nodes[int(j)]
        reasons = []
        if dshare < share_min:
            reasons.append(f"domain facet share {dshare:.2f} < {share_min:.2f} "
                           f"({'/'.join(taxonomy.gate.facet_domains)})")
        if score < sim_min:
            reasons.append(f"similarity to the nearest task {score:.2f} < {sim_min:.2f}")
        if reasons:
            left.append(LeftOutCluster(id=c.id, name=c.name, share=float(c.share or 0.0),
                                       domain_share=round(dshare, 4), similarity=round(score, 4),
                                       nearest_task=node_label(cat.name, sub.name, task.name),
                                       reason="; ".join(reasons)))
            continue
        admitted.append(NodeMatch(cluster_id=c.id, cluster_name=c.name, category=cat.name, subcategory=sub.name,
                                  task=task.name, similarity=round(score, 6), share=float(c.share or 0.0),
                                  domain_share=round(dshare, 4)))
    left.sort(key=lambda x: (-x.share, x.id))
    return GateResult(tuple(admitted), tuple(left), thresholds)
