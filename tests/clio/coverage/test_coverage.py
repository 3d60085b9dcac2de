"""Coverage stage on tiny inputs."""
from __future__ import annotations

import numpy as np

from clio.coverage.table import coverage_table, js_divergence


def test_js_divergence_bounds():
    p = np.array([0.5, 0.5, 0.0])
    assert js_divergence(p, p) == 0.0
    assert js_divergence(np.array([1.0, 0.0]), np.array([0.0, 1.0])) == 1.0


def test_coverage_marks_clusters_no_benchmark_reaches():
    C = np.eye(3, dtype=np.float32)
    bench = {"b": np.array([[1, 0, 0], [0.9, 0.1, 0]], dtype=np.float32)}
    doc = coverage_table({"x": 50, "y": 30, "z": 20}, C, ["x", "y", "z"], {"x": "X", "y": "Y", "z": "Z"}, bench,
                         {"b": 1.0})
    assert doc.uncovered_usage_share == 0.5
    assert doc.overlooked == ("y", "z")
    assert doc.clusters[0].benchmark_shares["b"] == 1.0
