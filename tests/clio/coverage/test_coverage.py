"""Coverage on synthetic vectors: shares, a reach that does not grow with benchmark size, realism, intervals."""
from __future__ import annotations

import numpy as np
import pytest

from clio.coverage.table import coverage_table, js_divergence


def test_js_divergence_bounds():
    p = np.array([0.5, 0.5, 0.0])
    assert js_divergence(p, p) == 0.0
    assert js_divergence(np.array([1.0, 0.0]), np.array([0.0, 1.0])) == 1.0


def blobs(rng, centres, n, spread=0.12):
    """n points around each of `centres` (rows), as unit vectors, and their blob labels."""
    X = np.concatenate([c + spread * rng.standard_normal((n, centres.shape[1])) for c in centres])
    return X / np.linalg.norm(X, axis=1, keepdims=True), np.repeat(np.arange(len(centres)), n)


@pytest.fixture(scope="module")
def world():
    rng = np.random.default_rng(0)
    centres = np.eye(4, 32, dtype=np.float32)
    U, labels = blobs(rng, centres[:3], 200)  # usage: three clusters of 200
    like_usage, _ = blobs(rng, centres[:3], 300)  # a benchmark drawn like usage, 900 items
    small_like, _ = blobs(rng, centres[:3], 20)  # the same, 60 items
    only_first, _ = blobs(rng, centres[:1], 100)  # a benchmark that tests one cluster only
    elsewhere, _ = blobs(rng, centres[3:], 100)  # a benchmark of something nobody uses
    ids = ["b0", "b1", "b2"]
    groups = {"b0": ("t0", "Group A"), "b1": ("t0", "Group A"), "b2": ("t1", "Group B")}
    benches = {"like": like_usage, "small_like": small_like, "first": only_first, "nobody": elsewhere}
    quiz = {k: [k == "first"] * len(v) for k, v in benches.items()}
    doc = coverage_table(U, labels, centres[:3], ids, {i: i.upper() for i in ids}, groups, benches, quiz,
                         usage_quiz=[False] * len(U), n_boot=60)
    return doc, {b.name: b for b in doc.benchmarks}


def test_reach_does_not_grow_with_benchmark_size(world):
    _, b = world
    assert abs(b["like"].usage_share_reached - b["small_like"].usage_share_reached) < 0.08
    assert b["like"].items == 900 and b["small_like"].items == 60


def test_a_benchmark_like_usage_is_realistic_and_one_of_nobody_is_not(world):
    doc, b = world
    assert doc.reach["usage_self_reach"] == pytest.approx(0.8, abs=0.08)
    assert b["like"].realism > 0.8
    assert b["first"].realism < 0.5 * b["like"].realism  # reaches one cluster of three
    assert b["nobody"].realism < 0.05 and b["nobody"].outside_share > 0.9
    assert b["like"].js_divergence < 0.05 < b["first"].js_divergence


def test_every_figure_has_an_interval_around_it(world):
    doc, b = world
    for bc in b.values():
        lo, hi = bc.usage_share_reached_ci
        assert lo <= bc.usage_share_reached <= hi
        lo, hi = bc.js_divergence_ci
        assert lo - 0.02 <= bc.js_divergence <= hi + 0.02
    assert b["first"].quizzing_share == 1.0 and b["like"].quizzing_share == 0.0
    for c in doc.clusters:
        lo, hi = c.usage_share_ci
        assert lo <= c.usage_share <= hi
        assert set(c.benchmark_shares_ci) == set(b)


def test_groups_sum_their_clusters_and_unreached_usage_is_reported(world):
    doc, _ = world
    g = {r.id: r for r in doc.groups}
    assert g["t0"].usage_share == pytest.approx(2 / 3, abs=0.01) and g["t1"].name == "Group B"
    assert g["t0"].benchmark_shares["first"] == pytest.approx(1.0, abs=0.02)
    assert g["t1"].benchmark_shares["first"] == pytest.approx(0.0, abs=0.02)
    assert 0 <= doc.uncovered_usage_share <= 0.2
    assert doc.uncovered_usage_share_ci[0] <= doc.uncovered_usage_share <= doc.uncovered_usage_share_ci[1]
