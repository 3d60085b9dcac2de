"""Coverage stage: how benchmark items compare with released usage, with bootstrap intervals.

Three figures per benchmark, each with a 95% percentile-bootstrap interval (items and conversations resampled):

- **shares**: each item goes to the released base cluster whose centroid is nearest (or "outside" below
  `MIN_SIMILARITY`); per cluster and per top-level group the benchmark's share stands against usage's share, and
  the Jensen-Shannon divergence (bits) between the two distributions.
- **reached**: a conversation is reached by a benchmark when one of `budget` items drawn from it lies within
  cosine `threshold` of the conversation's vector. The budget is the same for every benchmark (the smallest
  benchmark's size, at most `MAX_BUDGET`), so a larger benchmark does not reach more by being larger; the threshold
  is calibrated on held-apart usage: split the released conversations in two halves, and find the cosine at which
  `budget` conversations of one half reach `CALIBRATION_TARGET` of the other. A benchmark exactly like usage thus
  reaches about 0.8 of it, whatever its size.
- **realism** = reached share / the reached share of `budget` held-apart usage conversations (same threshold, same
  budget): 1 means the benchmark's items sit among real requests as densely as real requests do; 0 that none is
  near any. With each benchmark's quizzing share (the project's classifier), it says how close to real use the
  benchmark is.

Usage no benchmark reaches is the share of conversations reached by none of them (each at the same budget).
Everything published is an aggregate over released clusters (at least `min_users` users each).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from privacy.public import BenchmarkCoverage, ClusterCoverage, GroupCoverage, PublicCoverage

MIN_SIMILARITY = 0.35  # an item nearer no released centroid than this is "outside" released usage (MiniLM) ...
# ... and per encoder whose cosines run otherwise: USE multilingual's are lower; 0.15 is the cluster-membership cosine
# measured for it when noise points join their nearest cluster (clio/cluster/base.py NOISE_SIMILARITY)
OUTSIDE_SIMILARITY = {"universal-sentence-encoder-multilingual-v3": 0.15, "use-multilingual": 0.15,
                      "universal-sentence-encoder-multilingual-v3+all-MiniLM-L6-v2": 0.15}


def outside_similarity(model: str) -> float:
    """The cosine below which a benchmark item counts as outside released usage, for the workspace's encoder."""
    return OUTSIDE_SIMILARITY.get(model, MIN_SIMILARITY)
MAX_BUDGET = 500
MIN_BUDGET = 20
CALIBRATION_TARGET = 0.8
N_BOOT = 200
SEED = 0


def js_divergence(p: np.ndarray, q: np.ndarray) -> float:
    """Jensen-Shannon divergence in bits (0 = same distribution, 1 = disjoint)."""
    p = p / max(p.sum(), 1e-12)
    q = q / max(q.sum(), 1e-12)
    m = (p + q) / 2

    def kl(a, b):
        mask = a > 0
        return float((a[mask] * np.log2(a[mask] / b[mask])).sum())

    return round(max(0.0, 0.5 * kl(p, m) + 0.5 * kl(q, m)), 4)


def interval(samples: Sequence[float] | np.ndarray) -> tuple[float, float]:
    """The 2.5th and 97.5th percentiles of bootstrap samples, rounded."""
    s = np.asarray(samples, dtype=float)
    if not len(s):
        return (0.0, 0.0)
    return (round(float(np.percentile(s, 2.5)), 4), round(float(np.percentile(s, 97.5)), 4))


def _unit(m: np.ndarray) -> np.ndarray:
    m = np.asarray(m, dtype=np.float32)
    if m.ndim != 2:
        m = m.reshape(len(m), -1)
    return m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)


def _nearest_sim(U: np.ndarray, V: np.ndarray, chunk: int = 4096) -> np.ndarray:
    """(n_u, n_v) cosine similarities as float32, computed in chunks of V."""
    out = np.empty((len(U), len(V)), dtype=np.float32)
    for s in range(0, len(V), chunk):
        out[:, s:s + chunk] = U @ V[s:s + chunk].T
    return out


def reach_samples(S: np.ndarray, threshold: float, budget: int, rng: np.random.Generator, n: int) -> np.ndarray:
    """(n, n_u) booleans: for each of `n` draws of `budget` items (columns of S, without replacement: a benchmark of
    exactly `budget` items is always whole, a larger one subsampled), which rows have one within `threshold`."""
    out = np.zeros((n, S.shape[0]), dtype=bool)
    m = S.shape[1]
    for b in range(n):
        out[b] = S[:, rng.choice(m, size=min(budget, m), replace=False)].max(axis=1) >= threshold
    return out


def _resampled_means(flags: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Per draw b, the mean of flags[b] over that draw's resampled rows (conversations resampled too)."""
    return np.array([flags[b, rows[b]].mean() for b in range(len(flags))]) if flags.shape[1] else np.zeros(len(flags))


def calibrate(U: np.ndarray, budget: int, target: float = CALIBRATION_TARGET, seed: int = SEED) -> float:
    """The cosine at which `budget` usage conversations of one held-apart half reach `target` of the other half
    (averaged over both directions and a few random splits)."""
    rng = np.random.default_rng(seed)
    thresholds = []
    for _ in range(5):
        perm = rng.permutation(len(U))
        a, b = perm[: len(U) // 2], perm[len(U) // 2:]
        for x, y in ((a, b), (b, a)):
            pick = rng.choice(y, size=min(budget, len(y)), replace=False)
            best = (U[x] @ U[pick].T).max(axis=1)
            thresholds.append(float(np.quantile(best, 1 - target)))
    return round(float(np.mean(thresholds)), 4)


def coverage_table(usage_vectors: np.ndarray, usage_labels: Sequence[int], centroids: np.ndarray, ids: list[str],
                   names: Mapping[str, str], groups: Mapping[str, tuple[str, str]],
                   bench_vectors: Mapping[str, np.ndarray], bench_quiz: Mapping[str, Sequence[bool]],
                   usage_quiz: Sequence[bool] = (), min_similarity: float = MIN_SIMILARITY,
                   n_boot: int = N_BOOT, seed: int = SEED) -> PublicCoverage:
    """Pure computation. `usage_vectors` (n, d) are the released conversations' vectors and `usage_labels` their
    base cluster (row of `centroids`, aligned with `ids`); `groups` maps a cluster id to its top-level group (id,
    name); `bench_vectors` are each benchmark's item vectors and `bench_quiz` whether each item is quizzing."""
    rng = np.random.default_rng(seed)
    U = _unit(usage_vectors) if len(usage_vectors) else np.zeros((0, 1), np.float32)
    labels = np.asarray(usage_labels, dtype=int)
    k = len(ids)
    C = _unit(centroids) if k else np.zeros((0, U.shape[1]), np.float32)
    n_u = len(U)
    u_counts = np.bincount(labels, minlength=k).astype(float) if n_u else np.zeros(k)
    u_share = u_counts / max(u_counts.sum(), 1)
    sizes = [len(V) for V in bench_vectors.values() if len(V)]
    budget = int(max(MIN_BUDGET, min([MAX_BUDGET, *sizes]))) if sizes else MIN_BUDGET
    budget = min(budget, max(n_u // 2, 1))
    threshold = calibrate(U, budget, seed=seed) if n_u >= 4 else 1.0
    group_ids = sorted({groups[i][0] for i in ids})
    g_index = np.array([group_ids.index(groups[i][0]) for i in ids], dtype=int) if k else np.zeros(0, int)

    # usage bootstrap: conversations resampled per draw (cluster shares, reached shares) and, with the held-apart
    # budget, how densely usage reaches itself
    rows_boot = rng.integers(0, max(n_u, 1), (n_boot, n_u))
    boot_u = np.stack([np.bincount(labels[r], minlength=k) / n_u for r in rows_boot]) if n_u and k \
        else np.zeros((n_boot, k))
    self_reach = []
    for _ in range(n_boot // 4 or 1):
        perm = rng.permutation(n_u)
        half = perm[: n_u // 2]
        pick = rng.choice(perm[n_u // 2:], size=min(budget, n_u - n_u // 2), replace=False) if n_u > 1 else []
        if len(pick):
            self_reach.append(float(((U[half] @ U[pick].T).max(axis=1) >= threshold).mean()))
    self_level = float(np.mean(self_reach)) if self_reach else 0.0

    benches, per_cluster, per_cluster_ci = [], {i: {} for i in ids}, {i: {} for i in ids}
    reached_any = np.zeros((n_boot, n_u), dtype=bool)
    per_group: dict[str, dict[str, list]] = {g: {} for g in group_ids}
    for name, V in bench_vectors.items():
        V = _unit(V) if len(V) else np.zeros((0, U.shape[1] if n_u else 1), np.float32)
        m = len(V)
        quiz = np.asarray(bench_quiz.get(name, [False] * m), dtype=bool)
        if m and k:
            sims = V @ C.T
            best = sims.argmax(axis=1)
            assign = np.where(sims[np.arange(m), best] >= min_similarity, best, k)  # k = outside
        else:
            assign = np.full(m, k)
        counts = np.bincount(assign, minlength=k + 1).astype(float)
        share = counts / max(m, 1)
        boot_share = np.stack([np.bincount(assign[rng.integers(0, m, m)], minlength=k + 1) / m
                               for _ in range(n_boot)]) if m else np.zeros((n_boot, k + 1))
        js = js_divergence(np.append(u_share, 0.0), share)
        js_boot = [js_divergence(np.append(boot_u[b], 0.0), boot_share[b]) for b in range(n_boot)] if m else [1.0]
        if m and n_u:
            S = _nearest_sim(U, V)
            reach = reach_samples(S, threshold, budget, rng, n_boot)
        else:
            reach = np.zeros((n_boot, n_u), dtype=bool)
        reached_any |= reach
        reached = _resampled_means(reach, rows_boot)
        realism = reached / self_level if self_level else np.zeros(n_boot)
        qboot = [float(quiz[rng.integers(0, m, m)].mean()) for _ in range(n_boot)] if m else [0.0]
        for j, i in enumerate(ids):
            per_cluster[i][name] = round(float(share[j]), 4)
            per_cluster_ci[i][name] = interval(boot_share[:, j])
        for g_pos, g in enumerate(group_ids):
            cols = np.where(g_index == g_pos)[0]
            per_group[g][name] = [round(float(share[cols].sum()), 4), interval(boot_share[:, cols].sum(axis=1))]
        cluster_reach = {i: round(float(reach[:, labels == j].mean()), 4) for j, i in enumerate(ids)
                         if (labels == j).any()}
        benches.append(BenchmarkCoverage(
            name=name, items=m, outside_share=round(float(share[-1]), 4), js_divergence=js,
            usage_share_reached=round(float(reached.mean()), 4),
            quizzing_share=round(float(quiz.mean()) if m else 0.0, 4),
            js_divergence_ci=interval(js_boot), usage_share_reached_ci=interval(reached),
            quizzing_share_ci=interval(qboot), outside_share_ci=interval(boot_share[:, -1]),
            realism=round(float(realism.mean()), 4), realism_ci=interval(realism), cluster_reached=cluster_reach))
    unreached = 1 - _resampled_means(reached_any, rows_boot)
    uncovered = round(float(unreached.mean()), 4)
    clusters = []
    for j, (i, s) in enumerate(zip(ids, u_share)):
        not_reached = round(float(1 - reached_any[:, labels == j].mean()), 4) if (labels == j).any() else 1.0
        clusters.append(ClusterCoverage(id=i, name=names[i], level=0, usage_share=round(float(s), 4),
                                        benchmark_shares=per_cluster[i], usage_share_ci=interval(boot_u[:, j]),
                                        benchmark_shares_ci=per_cluster_ci[i], group=groups[i][0],
                                        unreached_share=not_reached))
    group_rows = []
    for g_pos, g in enumerate(group_ids):
        cols = np.where(g_index == g_pos)[0]
        members = labels[np.isin(labels, cols)] if n_u else np.zeros(0, int)
        group_rows.append(GroupCoverage(
            id=g, name=next(groups[i][1] for i in ids if groups[i][0] == g),
            usage_share=round(float(u_share[cols].sum()), 4), usage_share_ci=interval(boot_u[:, cols].sum(axis=1)),
            benchmark_shares={b: v[0] for b, v in per_group[g].items()},
            benchmark_shares_ci={b: v[1] for b, v in per_group[g].items()},
            unreached_share=round(float(1 - reached_any[:, np.isin(labels, cols)].mean()), 4) if len(members)
            else 1.0))
    group_rows.sort(key=lambda r: -r.usage_share)
    overlooked = sorted((c for c in clusters if c.unreached_share >= 0.5), key=lambda c: -c.usage_share)
    closest = max(benches, key=lambda b: b.realism) if benches else None
    headline = (f"{uncovered:.0%} of released usage is reached by no benchmark (at {budget} items each, cosine "
                f">= {threshold:.2f})"
                + (f"; most realistic: {closest.name} (realism {closest.realism:.2f})" if closest else ""))
    return PublicCoverage(
        min_similarity=min_similarity, benchmarks=tuple(benches), clusters=tuple(clusters),
        usage_share_of="conversations in released base clusters", uncovered_usage_share=uncovered,
        overlooked=tuple(c.id for c in overlooked), headline=headline, groups=tuple(group_rows),
        reach={"threshold": threshold, "budget": budget, "calibration_target": CALIBRATION_TARGET,
               "usage_self_reach": round(self_level, 4), "bootstrap": n_boot,
               "definition": "a conversation is reached when one of `budget` items drawn from the benchmark is within "
                             "cosine `threshold`; the threshold makes `budget` held-apart conversations reach "
                             "`calibration_target` of the others"},
        uncovered_usage_share_ci=interval(unreached),
        usage_quizzing_share=round(float(np.mean(usage_quiz)), 4) if len(usage_quiz) else None)


def coverage_batch(usage_vectors: np.ndarray, usage_labels: Sequence[int], centroids: np.ndarray, ids: list[str],
                   names: Mapping[str, str], groups: Mapping[str, tuple[str, str]],
                   bench_vectors: Mapping[str, np.ndarray], bench_quiz: Mapping[str, Sequence[bool]],
                   usage_quiz: Sequence[bool] = (), min_similarity: float = MIN_SIMILARITY) -> PublicCoverage:
    """Stage function: released conversations' vectors and base clusters, benchmark item vectors and forms (made by
    the caller, cached by file content) -> coverage."""
    return coverage_table(usage_vectors, usage_labels, centroids, ids, names, groups, bench_vectors, bench_quiz,
                          usage_quiz, min_similarity)
