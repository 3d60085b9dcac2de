"""Coverage stage: where benchmark items land among released usage clusters.

Items are embedded with the run's model and assigned to the nearest released base cluster when
similar enough. Per benchmark: share per cluster, Jensen-Shannon divergence (base 2) from usage
(with an "outside" bucket for items that reach no released cluster), and the usage share no item reaches.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from clio.embed.embedders import Embedder
from clio.facets.quizask.classify import turn_score
from privacy.public import BenchmarkCoverage, ClusterCoverage, PublicCluster, PublicCoverage

MIN_SIMILARITY = 0.35


def js_divergence(p: np.ndarray, q: np.ndarray) -> float:
    """Jensen-Shannon divergence in bits (0 = same distribution, 1 = disjoint)."""
    p = p / max(p.sum(), 1e-12)
    q = q / max(q.sum(), 1e-12)
    m = (p + q) / 2

    def kl(a, b):
        mask = a > 0
        return float((a[mask] * np.log2(a[mask] / b[mask])).sum())

    return round(max(0.0, 0.5 * kl(p, m) + 0.5 * kl(q, m)), 4)


def coverage_table(usage: dict[str, int], centroids: np.ndarray, ids: list[str], names: dict[str, str],
                   bench_vectors: dict[str, np.ndarray], bench_quiz: dict[str, float],
                   min_similarity: float = MIN_SIMILARITY) -> PublicCoverage:
    """Pure computation over released clusters (ids/centroids aligned) and embedded benchmark items."""
    u = np.array([usage[i] for i in ids], dtype=float)
    u_share = u / max(u.sum(), 1)
    benches, per_cluster = [], {i: {} for i in ids}
    reached = np.zeros(len(ids), dtype=bool)
    for name, V in bench_vectors.items():
        counts = np.zeros(len(ids) + 1)
        if len(ids) and len(V):
            sims = V @ centroids.T
            best = sims.argmax(axis=1)
            ok = sims[np.arange(len(V)), best] >= min_similarity
            np.add.at(counts, best[ok], 1)
            counts[-1] = (~ok).sum()
        else:
            counts[-1] = len(V)
        share = counts / max(1, counts.sum())
        reached |= counts[:-1] > 0
        for j, i in enumerate(ids):
            per_cluster[i][name] = round(float(share[j]), 4)
        benches.append(BenchmarkCoverage(name=name, items=len(V), outside_share=round(float(share[-1]), 4),
                                         js_divergence=js_divergence(np.append(u_share, 0.0), share),
                                         usage_share_reached=round(float(u_share[counts[:-1] > 0].sum()), 4),
                                         quizzing_share=round(bench_quiz.get(name, 0.0), 4)))
    uncovered = round(float(u_share[~reached].sum()), 4) if len(ids) else 0.0
    clusters = [ClusterCoverage(id=i, name=names[i], level=0, usage_share=round(float(s), 4),
                                benchmark_shares=per_cluster[i]) for i, s in zip(ids, u_share)]
    overlooked = sorted((c for c in clusters if not any(c.benchmark_shares.values())), key=lambda c: -c.usage_share)
    headline = (f"{uncovered:.0%} of released usage is in clusters no benchmark item reaches"
                + (f" (largest: {overlooked[0].name})" if overlooked else ""))
    # usage shares here are of the conversations in released base clusters (what benchmarks can be compared
    # with); clusters.json's `share` is of every accepted conversation, unclustered and suppressed included
    return PublicCoverage(min_similarity=min_similarity, benchmarks=tuple(benches), clusters=tuple(clusters),
                          usage_share_of="conversations in released base clusters", uncovered_usage_share=uncovered,
                          overlooked=tuple(c.id for c in overlooked), headline=headline)


def coverage_batch(released: Sequence[PublicCluster], centroids: np.ndarray, benchmarks: Mapping[str, Sequence[str]],
                   embedder: Embedder, min_similarity: float = MIN_SIMILARITY) -> PublicCoverage:
    """Stage function: released base clusters with their centroids (aligned rows of the run's embedding space) and
    benchmark items by benchmark name -> coverage. Items are embedded with the run's `embedder`."""
    vectors, quiz = {}, {}
    for name, items in benchmarks.items():
        vectors[name] = embedder.encode(list(items))
        quiz[name] = float(np.mean([turn_score(t)[0] >= 0.5 for t in items]))
    return coverage_table({c.id: c.conversations for c in released}, centroids, [c.id for c in released],
                          {c.id: c.name for c in released}, vectors, quiz, min_similarity)
