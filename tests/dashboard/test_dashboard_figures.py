"""Figures: plain data in, plotly Figure out; empty or partial data never raises."""
from __future__ import annotations

import plotly.graph_objects as go
import pytest

from dashboard import figures

SCRIPT = "<script>alert(1)</script>"


def test_treemap_nests_base_under_top_and_keeps_parents_at_least_children(release):
    fig = figures.treemap(release.clusters)
    t = fig.data[0]
    parent_of = dict(zip(t.ids, t.parents))
    size = dict(zip(t.ids, t.values))
    assert parent_of["b3"] == "t1" and parent_of["t1"] == "__all__"
    for node in t.ids:
        kids = [k for k, p in parent_of.items() if p == node]
        assert size[node] >= sum(size[k] for k in kids)
    assert t.branchvalues == "total"


def test_treemap_when_parent_smaller_than_children_then_parent_raised():
    clusters = [{"id": "t", "parent": None, "conversations": 5, "name": "T"},
                {"id": "a", "parent": "t", "conversations": 4, "name": "A"},
                {"id": "b", "parent": "t", "conversations": 3, "name": "B"}]
    t = figures.treemap(clusters).data[0]
    assert dict(zip(t.ids, t.values))["t"] == 7


def test_released_names_are_escaped_data_values_not_markup(release):
    t = figures.treemap(release.clusters).data[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in t.labels
    assert not any("<script" in str(v) for v in t.labels)
    assert "script" not in (t.hovertemplate or "") and "script" not in (t.texttemplate or "")
    bars = figures.coverage_bars(release.coverage).data[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in bars.y


def test_coverage_bars_has_usage_and_one_trace_per_benchmark(release):
    fig = figures.coverage_bars(release.coverage)
    assert [tr.name for tr in fig.data] == ["Real usage", "mmlu", "humaneval"]
    assert fig.data[0].y[-1] == "Python debugging help"  # largest cluster drawn on top


def test_js_divergence_one_bar_per_benchmark(release):
    bars = figures.js_divergence(release.coverage).data[0]
    assert list(bars.x) == ["humaneval", "mmlu"]


def test_quizzing_and_pii_figures(release):
    pie = figures.quizzing_vs_asking(release.summary).data[0]
    assert list(pie.values) == [0.77, 0.23]
    bars = figures.pii_removed(release.summary["pii_removed_by_type"]).data[0]
    assert list(bars.y) == ["EMAIL_ADDRESS", "PERSON"]


@pytest.mark.parametrize("build", [
    lambda: figures.treemap([]),
    lambda: figures.cluster_map([{"id": "a"}]),
    lambda: figures.quizzing_vs_asking({}),
    lambda: figures.pii_removed(None),
    lambda: figures.coverage_bars(None),
    lambda: figures.coverage_bars({"clusters": [{"id": "a", "usage_share": None}]}),
    lambda: figures.js_divergence({"benchmarks": [{"name": "x"}]}),
])
def test_when_data_missing_then_figure_still_builds(build):
    assert isinstance(build(), go.Figure)
