"""Figures: plain data in, plotly Figure out; empty or partial data never raises; released text is data."""
from __future__ import annotations

import plotly.graph_objects as go
import pytest
from plotly.io.json import to_json_plotly

from dashboard import figures
from tests.fakes.release import JS_URL, SCRIPT

ESCAPED = "&lt;script&gt;window.__xss=1&lt;/script&gt;"


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


def test_treemap_context_node_counts_only_its_shown_children(release):
    shown = [release.cluster("b3"), release.cluster("t1")]
    t = figures.treemap(shown, context_ids=["t1"]).data[0]
    assert dict(zip(t.ids, t.values))["t1"] == 120


def test_treemap_handles_three_levels(three_level_release):
    t = figures.treemap(three_level_release.clusters).data[0]
    parent_of = dict(zip(t.ids, t.parents))
    assert parent_of["b3"] == "t1" and parent_of["t1"] == "g1" and parent_of["g1"] == "__all__"


def test_released_names_are_escaped_data_values_not_markup(release):
    t = figures.treemap(release.clusters).data[0]
    assert ESCAPED in t.labels
    assert not any("<script" in str(v) for v in t.labels)
    assert "script" not in (t.hovertemplate or "") and "script" not in (t.texttemplate or "")
    bars = figures.coverage_bars(release.coverage).data[0]
    assert ESCAPED in bars.y


def test_map_has_one_marker_per_cluster_with_its_id_and_escaped_text(release):
    fig = figures.cluster_map(release.base_clusters())
    assert len(fig.data) == 1 and len(fig.data[0].x) == 4
    custom = fig.data[0].customdata
    assert [row[0] for row in custom] == ["b3", "b5", "b7", "b9"]
    assert ESCAPED in [row[4] for row in custom] and JS_URL in [row[4] for row in custom]
    assert "<script" not in to_json_plotly(fig)
    assert fig.layout.clickmode == "event"


def test_map_sizes_follow_share(release):
    marker = figures.cluster_map(release.base_clusters()).data[0].marker
    assert list(marker.size) == sorted(marker.size, reverse=True)  # base clusters come largest first


def test_map_by_category_has_one_trace_per_top_level_category(release):
    categories = {"b3": "Programming", "b5": "Programming", "b7": SCRIPT, "b9": SCRIPT}
    fig = figures.cluster_map(release.base_clusters(), "category", categories)
    assert [tr.name for tr in fig.data] == ["Programming", ESCAPED]
    assert sum(len(tr.x) for tr in fig.data) == 4


def test_map_never_takes_clusters_without_position_or_id():
    fig = figures.cluster_map([{"id": "a", "x": 1, "y": 2}, {"id": "b"}, {"x": 0, "y": 0}])
    assert len(fig.data[0].x) == 1


def test_coverage_bars_has_usage_and_one_trace_per_selected_benchmark(release):
    fig = figures.coverage_bars(release.coverage)
    assert [tr.name for tr in fig.data] == ["Real usage", "mmlu", "humaneval"]
    assert fig.data[0].y[-1] == "Python debugging help"  # largest cluster drawn on top
    assert [tr.name for tr in figures.coverage_bars(release.coverage, ["humaneval"]).data] == ["Real usage",
                                                                                               "humaneval"]


def test_js_divergence_one_bar_per_selected_benchmark(release):
    assert list(figures.js_divergence(release.coverage).data[0].x) == ["humaneval", "mmlu"]
    assert list(figures.js_divergence(release.coverage, ["mmlu"]).data[0].x) == ["mmlu"]


def test_quizzing_compare_puts_usage_first_and_stacks_to_one(release):
    fig = figures.quizzing_compare(0.23, release.coverage["benchmarks"])
    asking, quizzing = fig.data
    assert list(asking.y)[::-1] == ["Real usage", "mmlu", "humaneval"]
    assert all(a + q == pytest.approx(1) for a, q in zip(asking.x, quizzing.x))


def test_quizzing_and_pii_figures(release):
    pie = figures.quizzing_vs_asking(release.summary).data[0]
    assert list(pie.values) == [0.77, 0.23]
    bars = figures.pii_removed(release.summary["pii_removed_by_type"]).data[0]
    assert list(bars.y) == ["EMAIL_ADDRESS", "PERSON"]


def test_suite_weights_builds_the_taxonomy_tree():
    t = figures.suite_weights({"A / B / C": 0.6, "A / B / D": 0.3, "E / F / G": 0.1}).data[0]
    values = dict(zip(t.ids, t.values))
    assert values["A"] == pytest.approx(0.9) and values["A / B"] == pytest.approx(0.9) and values["E"] == 0.1
    assert dict(zip(t.ids, t.parents))["A / B / C"] == "A / B"


def test_themed_switches_template_and_keeps_transparent_background(release):
    fig = figures.themed(figures.cluster_map(release.base_clusters()), dark=True)
    assert fig.layout.paper_bgcolor == "rgba(0,0,0,0)"
    assert fig.layout.template.layout.paper_bgcolor != go.layout.Template().layout.paper_bgcolor


@pytest.mark.parametrize("build", [
    lambda: figures.treemap([]),
    lambda: figures.cluster_map([]),
    lambda: figures.cluster_map([{"id": "a"}]),
    lambda: figures.cluster_map([{"id": "a", "x": "?", "y": None}], "category"),
    lambda: figures.quizzing_vs_asking({}),
    lambda: figures.pii_removed(None),
    lambda: figures.coverage_bars(None),
    lambda: figures.coverage_bars({"clusters": [{"id": "a", "usage_share": None}]}),
    lambda: figures.js_divergence({"benchmarks": [{"name": "x"}]}),
    lambda: figures.quizzing_compare(None, [{"name": "x"}]),
    lambda: figures.share_bars([]),
    lambda: figures.mix(None, "languages"),
    lambda: figures.suite_weights({"x": "n/a"}),
])
def test_when_data_missing_then_figure_still_builds(build):
    assert isinstance(build(), go.Figure)
