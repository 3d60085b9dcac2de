"""Cluster stage: summaries' vectors in, the private clustering out (base clusters, then the levels above them)."""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from clio.cluster.base import (cluster_vectors, group_centered, make_clusterer, make_reducer, min_cluster_size_for,
                               umap_neighbors_for)
from clio.cluster.hierarchy import build_hierarchy, level_names
from clio.cluster.naming.ctfidf import term_counts
from clio.cluster.table import PrivateClusters
from clio.config import PipelineConfig
from privacy.private import PrivateFacets


def summary_languages(rows: Sequence[PrivateFacets], config: PipelineConfig) -> list[str]:
    """The language each summary is written in, which is what the embedder reads: the conversation's for
    extractive summaries; English for LLM summaries (asked for in English), except offline fallbacks."""
    if config.facets.backend == "none":
        return [r.language for r in rows]
    from clio.facets.language import detect_language

    return [detect_language(r.summary) for r in rows]


def cluster_batch(rows: Sequence[PrivateFacets], X: np.ndarray, config: PipelineConfig,
                  domains: Callable[[], np.ndarray] | None = None) -> tuple[PrivateClusters, dict]:
    """Stage function: facets and the (n, d) unit vectors of their summaries -> the private clustering and a report
    for the manifest (aggregates only). Base clusters per language group when the embedder is English-only; the
    hierarchy joins centroids with the c-TF-IDF profile of each cluster's summaries and, given `domains` (the
    domain descriptions' (m, d) vectors in X's space, asked for only when there is a level to build), their
    domain profile. Deterministic for a config."""
    min_size = min_cluster_size_for(len(X), config.cluster, config.release.min_conversations)
    base = cluster_vectors(X, make_reducer(config.cluster, min_size), make_clusterer(min_size, config.cluster),
                           config.cluster, summary_languages(rows, config), config.embed.model,
                           [r.summary for r in rows])
    k = len(base.centroids)
    docs = [[] for _ in range(k)]
    for r, c in zip(rows, base.labels):
        if c >= 0:
            docs[c].append(r.summary)
    weight = config.cluster.hierarchy_domain_weight
    scores = base.centroids @ np.asarray(domains(), dtype=np.float32).T if domains and weight > 0 and k > 1 else None
    hier = build_hierarchy(group_centered(X, base.labels, base.cluster_group), config.cluster.top_groups,
                           np.bincount(base.labels[base.labels >= 0], minlength=k), term_counts(docs)[0],
                           config.cluster.levels, config.cluster.hierarchy_term_weight, scores, weight)
    clusters = PrivateClusters(base.labels, base.centroids, hier.coords, hier.parents, hier.centroids)
    report = {"min_cluster_size": min_size, "umap_neighbors": umap_neighbors_for(config.cluster, min_size),
              **base.report(), "levels": level_names(hier.depth),
              "level_sizes": [k] + [len(c) for c in hier.centroids], "top_groups": len(hier.top_centroids)}
    return clusters, report
