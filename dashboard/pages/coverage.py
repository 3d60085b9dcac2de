"""Coverage page (``/coverage``): how well each benchmark's items match what people actually do."""
from __future__ import annotations

from typing import Any

from dashboard import components as ui
from dashboard import figures
from dashboard.data import Release, num

COMMAND = "clio coverage ..."
INTRO = ("Each benchmark item is assigned to the nearest usage cluster. A benchmark that mirrors real "
         "usage puts its items where the conversations are; usage in clusters no item reaches is "
         "untested by that benchmark.")


def layout(release: Release) -> Any:
    cov = release.coverage
    if not cov:
        return ui.page("Benchmark coverage", INTRO, ui.not_computed("Benchmark coverage", COMMAND))
    return ui.page(
        "Benchmark coverage", INTRO,
        ui.section("Headline", _headline(cov)),
        ui.section("Benchmarks", _benchmarks_table(cov)),
        ui.section("Divergence from real usage", ui.graph(figures.js_divergence(cov), "js-divergence"),
                   note="Jensen-Shannon divergence between the benchmark's mix of clusters and real usage: "
                        "0 means the same mix, 1 means no overlap."),
        ui.section("Usage vs benchmark share per cluster", ui.graph(figures.coverage_bars(cov), "coverage-bars"),
                   note=f"The {figures.MAX_COVERAGE_CLUSTERS} clusters with the most usage."),
        ui.section("Usage no benchmark reaches", _uncovered_table(cov)),
    )


def _headline(cov: dict[str, Any]) -> Any:
    from dash import html

    return html.Div([
        html.P(str(cov.get("headline") or ""), className="headline"),
        ui.stats([("usage in clusters no benchmark item reaches", ui.pct(cov.get("uncovered_usage_share"))),
                  ("benchmarks compared", ui.count(len(cov.get("benchmarks") or [])))]),
    ])


def _benchmarks_table(cov: dict[str, Any]) -> Any:
    from dash import html

    rows = cov.get("benchmarks") or []
    if not rows:
        return html.P("No benchmarks in this coverage report.", className="note")
    return ui.table(
        ["Benchmark", "Items", "JS divergence", "Quizzing share", "Usage reached"],
        [[b.get("name"), ui.count(b.get("items")),
          None if b.get("js_divergence") is None else f"{num(b.get('js_divergence')):.3f}",
          ui.pct(b.get("quizzing_share")), ui.pct(b.get("usage_share_reached"))] for b in rows],
    )


def _uncovered_table(cov: dict[str, Any]) -> Any:
    from dash import html

    rows = [c for c in cov.get("clusters") or []
            if not any(num(v) > 0 for v in (c.get("benchmark_shares") or {}).values())]
    rows.sort(key=lambda c: -num(c.get("usage_share")))
    if not rows:
        return html.P("Every released cluster is reached by at least one benchmark item.", className="note")
    return ui.table(["Cluster", "Level", "Usage share"],
                    [[c.get("name") or c.get("id"), c.get("level"), ui.pct(c.get("usage_share"), 1)]
                     for c in rows])
