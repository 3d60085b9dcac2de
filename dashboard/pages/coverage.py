"""Coverage page (``/coverage``): how well each benchmark's items match what people actually do."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from dashboard import components as ui
from dashboard import figures
from dashboard.data import Release, load_release, num
from dashboard.filters import Filters, View

COMMAND = "clio coverage ..."
INTRO = ("Each benchmark item is assigned to the nearest usage cluster. A benchmark that mirrors real "
         "usage puts its items where the conversations are; usage in clusters no item reaches is "
         "untested by that benchmark.")
OVER_MIN_SHARE = 0.05  # a benchmark area counts as over-tested from 5% of its items ...
OVER_RATIO = 2.0  # ... when that is at least twice the area's share of real usage


def layout(release: Release, view: View | None = None) -> Any:
    from dash import dcc, html

    view = view or View()
    cov = release.coverage
    if not cov:
        return ui.page("Benchmark coverage", INTRO, ui.not_computed("Benchmark coverage", COMMAND))
    names = figures.benchmark_names(cov)
    return ui.page(
        "Benchmark coverage", INTRO,
        ui.section("Headline", _headline(cov)),
        html.Div([html.Span("Benchmarks", className="filter-label"),
                  dcc.Checklist(id="coverage-benchmarks", options=[{"label": n, "value": n} for n in names],
                                value=names, inline=True, persistence=True, persistence_type="session",
                                className="filter-radio")], className="toolbar"),
        html.Div(body(release, view.filters, names), id="coverage-body"),
    )


def body(release: Release, filters: Filters, selected: Any) -> Any:
    """Every coverage section for the selected benchmarks and the filtered clusters."""
    from dash import html

    cov = release.coverage or {}
    names = figures.benchmark_names(cov)
    chosen = [n for n in names if isinstance(selected, list) and n in selected]
    benches = [b for b in cov.get("benchmarks") or [] if str(b.get("name")) in chosen]
    rows = cluster_rows(release, filters)
    cats = category_rows(release, rows, chosen)
    if not chosen:
        return html.P("Select at least one benchmark above.", className="notice")
    return html.Div([
        ui.filter_note(filters.describe(with_level=False)),
        ui.section("Benchmarks", _benchmarks_table(benches)),
        html.Div([
            ui.section("Divergence from real usage", ui.graph(figures.js_divergence(cov, chosen), "coverage-js"),
                       note="Jensen-Shannon divergence between the benchmark's mix of clusters and real usage: "
                            "0 means the same mix, 1 means no overlap."),
            ui.section("Quizzing vs asking: usage and benchmarks",
                       ui.graph(figures.quizzing_compare(release.summary.get("quizzing_share"), benches),
                                "coverage-quizzing"),
                       note="Real users mostly ask; benchmarks mostly quiz."),
        ], className="two-col"),
        ui.section("Usage vs benchmark share per top-level category",
                   ui.graph(figures.usage_vs_benchmarks(cats, chosen, "No categories match."), "coverage-categories"),
                   _share_table("coverage-category-table", "Top-level category", cats, chosen)),
        ui.section("Usage vs benchmark share per cluster",
                   ui.graph(figures.usage_vs_benchmarks(rows[:figures.MAX_COVERAGE_CLUSTERS], chosen,
                                                        "No clusters match."), "coverage-clusters"),
                   _share_table("coverage-cluster-table", "Cluster", rows, chosen),
                   note=f"The figure shows the {figures.MAX_COVERAGE_CLUSTERS} clusters with the most usage; the "
                        "table lists all of them."),
        html.Div([
            ui.section("Overlooked: most usage, no benchmark item", _overlooked(release, rows, chosen),
                       note="Clusters people use that none of the selected benchmarks tests."),
            ui.section("Over-tested: benchmark areas with little usage", _overtested(benches, rows),
                       note=f"Clusters holding at least {OVER_MIN_SHARE:.0%} of a benchmark's items and at least "
                            f"{OVER_RATIO:.0f}× their share of real usage, and items outside every released "
                            "cluster."),
        ], className="two-col"),
    ])


def cluster_rows(release: Release, filters: Filters) -> list[dict[str, Any]]:
    """coverage.json cluster rows for clusters that pass the filters, most usage first.

    Coverage is reported for base clusters, so the level filter does not apply here.
    """
    out = []
    for row in (release.coverage or {}).get("clusters") or []:
        if not isinstance(row, dict):
            continue
        c = release.cluster(row.get("id"))
        if (c is None and not filters.content_active) or (c is not None and filters.matches(c)):
            out.append(row)
    return sorted(out, key=lambda r: -num(r.get("usage_share")))


def category_rows(release: Release, rows: list[dict[str, Any]], benchmarks: list[str]) -> list[dict[str, Any]]:
    """Cluster rows summed into their top-level category (rows for top-level clusters count as themselves)."""
    cats: dict[str, dict[str, Any]] = {}
    for row in rows:
        root = release.root_of(row.get("id")) or {"id": row.get("id"), "name": row.get("name")}
        cat = cats.setdefault(str(root.get("id")), {"id": root.get("id"), "name": root.get("name") or root.get("id"),
                                                    "usage_share": 0.0, "benchmark_shares": dict.fromkeys(benchmarks,
                                                                                                          0.0)})
        cat["usage_share"] += num(row.get("usage_share"))
        for b in benchmarks:
            cat["benchmark_shares"][b] += num((row.get("benchmark_shares") or {}).get(b))
    return sorted(cats.values(), key=lambda r: -r["usage_share"])


def register(app: Any, release_dir: Path) -> None:
    from dash import Input, Output, State

    @app.callback(Output("coverage-body", "children"), Input("coverage-benchmarks", "value"),
                  State("filters", "data"), State("theme", "data"), prevent_initial_call=True)
    def choose(selected: Any, filters: Any, theme: Any) -> Any:
        return ui.themed_tree(body(load_release(release_dir), Filters.from_store(filters), selected), theme == "dark")


def _headline(cov: dict[str, Any]) -> Any:
    from dash import html

    return html.Div([
        html.P(str(cov.get("headline") or ""), className="headline"),
        ui.stats([("usage in clusters no benchmark item reaches", ui.pct(cov.get("uncovered_usage_share"))),
                  ("benchmarks compared", ui.count(len(cov.get("benchmarks") or [])))]),
    ])


def _benchmarks_table(benches: list[dict[str, Any]]) -> Any:
    from dash import html

    if not benches:
        return html.P("No benchmarks in this coverage report.", className="note")
    return ui.table(
        "coverage-benchmarks-table",
        ["Benchmark", "Items", "JS divergence", "Quizzing share", "Usage reached", "Items outside released usage"],
        [[b.get("name"), ui.count(b.get("items")),
          None if b.get("js_divergence") is None else f"{num(b.get('js_divergence')):.3f}",
          ui.pct(b.get("quizzing_share")), ui.pct(b.get("usage_share_reached")), ui.pct(b.get("outside_share"))]
         for b in benches],
    )


def _share_table(table_id: str, label: str, rows: list[dict[str, Any]], benchmarks: list[str]) -> Any:
    from dash.dash_table import FormatTemplate

    share = FormatTemplate.percentage(1)
    columns = [{"name": label, "id": "name"}, {"name": "Real usage", "id": "usage", "type": "numeric", "format": share}]
    columns += [{"name": b, "id": f"b{i}", "type": "numeric", "format": share} for i, b in enumerate(benchmarks)]
    data = [{"name": str(r.get("name") or r.get("id")), "usage": num(r.get("usage_share")),
             **{f"b{i}": num((r.get("benchmark_shares") or {}).get(b)) for i, b in enumerate(benchmarks)}}
            for r in rows]
    return ui.data_table(table_id, columns, data, page_size=10)


def _overlooked(release: Release, rows: list[dict[str, Any]], benchmarks: list[str]) -> Any:
    from dash import html

    every = figures.benchmark_names(release.coverage or {})
    listed = (release.coverage or {}).get("overlooked")
    if isinstance(listed, list) and set(benchmarks) == set(every):
        keep = {str(r.get("id")) for r in rows}
        by_id = {str(r.get("id")): r for r in rows}
        picked = [by_id[str(i)] for i in listed if str(i) in keep]
    else:
        picked = [r for r in rows if not any(num((r.get("benchmark_shares") or {}).get(b)) > 0 for b in benchmarks)]
    if not picked:
        return html.P("Every shown cluster is reached by at least one selected benchmark.", className="note")
    return ui.table("coverage-overlooked", ["Cluster", "Usage share", "Top-level category"],
                    [[r.get("name") or r.get("id"), ui.pct(r.get("usage_share"), 1),
                      (release.root_of(r.get("id")) or {}).get("name")] for r in picked])


def _overtested(benches: list[dict[str, Any]], rows: list[dict[str, Any]]) -> Any:
    from dash import html

    found = []
    for b in benches:
        name = str(b.get("name"))
        for r in rows:
            items, usage = num((r.get("benchmark_shares") or {}).get(name)), num(r.get("usage_share"))
            if items >= OVER_MIN_SHARE and items >= OVER_RATIO * usage:
                found.append((items - usage, [name, r.get("name") or r.get("id"), ui.pct(items), ui.pct(usage, 1)]))
        if num(b.get("outside_share")) > 0:
            found.append((num(b.get("outside_share")),
                          [name, "(outside every released cluster)", ui.pct(b.get("outside_share")), "0%"]))
    if not found:
        return html.P("No benchmark concentrates on areas with little usage.", className="note")
    found.sort(key=lambda f: -f[0])
    return ui.table("coverage-overtested", ["Benchmark", "Area", "Share of its items", "Share of usage"],
                    [row for _, row in found])
