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
         "usage puts its items where the conversations are. A conversation is reached when one of the same number "
         "of items from every benchmark lies within a similarity calibrated on held-apart usage, so a larger "
         "benchmark does not reach more by being larger; realism is the share reached relative to what as many real "
         "conversations reach (1 = as close to usage as usage itself). Brackets are 95% bootstrap intervals.")
REACHED = 0.5  # a cluster counts as overlooked when less than half of its conversations are reached
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
    cats = category_rows(release, rows, chosen, filters)
    if not chosen:
        return html.P("Select at least one benchmark above.", className="notice")
    shown = figures.clusters_shown(len(chosen))
    return html.Div([
        ui.filter_note(filters.describe(with_level=False)),
        ui.section("Benchmarks", _benchmarks_table(benches)),
        html.Div([
            ui.section("Realism", ui.graph(figures.realism(cov, chosen), "coverage-realism"),
                       note="Share of usage the benchmark reaches at the common budget, relative to what as many "
                            "held-apart real conversations reach; bars show 95% intervals."),
            ui.section("Divergence from real usage", ui.graph(figures.js_divergence(cov, chosen), "coverage-js"),
                       note="Jensen-Shannon divergence between the benchmark's mix of clusters and real usage: "
                            "0 means the same mix, 1 means no overlap; bars show 95% intervals."),
        ], className="two-col"),
        html.Div([
            ui.section("Quizzing vs asking: usage and benchmarks",
                       ui.graph(figures.quizzing_compare(release.summary.get("quizzing_share"), benches),
                                "coverage-quizzing"),
                       note="Real users mostly ask; benchmarks mostly quiz."),
            ui.section("How reach is measured", _reach(cov)),
        ], className="two-col"),
        ui.section("Usage vs benchmark share per top-level category",
                   ui.graph(figures.usage_vs_benchmarks(cats, chosen, "No categories match."), "coverage-categories"),
                   _share_table("coverage-category-table", "Top-level category", cats, chosen)),
        ui.section("Usage vs benchmark share per cluster",
                   ui.graph(figures.usage_vs_benchmarks(rows[:shown], chosen, "No clusters match."),
                            "coverage-clusters"),
                   _share_table("coverage-cluster-table", "Cluster", rows, chosen),
                   note=f"The figure shows the {shown} clusters with the most usage; the table lists all of them."),
        html.Div([
            ui.section("Overlooked: most usage, little reached", _overlooked(release, rows, chosen),
                       note=f"Clusters less than {REACHED:.0%} of whose conversations the selected benchmarks reach."),
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


def category_rows(release: Release, rows: list[dict[str, Any]], benchmarks: list[str],
                  filters: Filters | None = None) -> list[dict[str, Any]]:
    """Top-level groups: the release's own (with intervals and unreached usage) when no filter narrows the clusters,
    else the filtered cluster rows summed into their top-level category (top-level rows count as themselves)."""
    groups = [g for g in (release.coverage or {}).get("groups") or [] if isinstance(g, dict)]
    if groups and not (filters and filters.content_active):
        return sorted(groups, key=lambda g: -num(g.get("usage_share")))
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

    reach = cov.get("reach") if isinstance(cov.get("reach"), dict) else {}
    return html.Div([
        html.P(str(cov.get("headline") or ""), className="headline"),
        ui.stats([("usage no benchmark reaches",
                   _with_ci(cov, "uncovered_usage_share", ".0%") or ui.pct(cov.get("uncovered_usage_share"))),
                  ("benchmarks compared", ui.count(len(cov.get("benchmarks") or []))),
                  *([("items per benchmark for reach", ui.count(reach.get("budget"))),
                     ("reach threshold (cosine)", f"{num(reach.get('threshold')):.2f}")] if reach else [])]),
    ])


def _reach(cov: dict[str, Any]) -> Any:
    from dash import html

    reach = cov.get("reach") if isinstance(cov.get("reach"), dict) else {}
    if not reach:
        return html.P("This release reports coverage without a calibrated reach.", className="note")
    return ui.kv_table("coverage-reach", [
        ("items drawn from every benchmark", ui.count(reach.get("budget"))),
        ("cosine threshold", f"{num(reach.get('threshold')):.3f}"),
        ("calibrated so that as many held-apart real conversations reach",
         ui.pct(reach.get("calibration_target"))),
        ("what held-apart usage reaches (realism 1)", ui.pct(reach.get("usage_self_reach"))),
        ("bootstrap draws", ui.count(reach.get("bootstrap"))),
        ("real usage quizzing share", ui.pct(cov.get("usage_quizzing_share"))),
    ])


def _benchmarks_table(benches: list[dict[str, Any]]) -> Any:
    from dash import html

    if not benches:
        return html.P("No benchmarks in this coverage report.", className="note")
    return ui.table(
        "coverage-benchmarks-table",
        ["Benchmark", "Items", "Realism", "JS divergence", "Quizzing share", "Usage reached",
         "Items outside released usage"],
        [[b.get("name"), ui.count(b.get("items")), _with_ci(b, "realism", ".2f"), _with_ci(b, "js_divergence", ".3f"),
          _with_ci(b, "quizzing_share", ".0%"), _with_ci(b, "usage_share_reached", ".0%"),
          ui.pct(b.get("outside_share"))]
         for b in benches],
    )


def _with_ci(b: dict[str, Any], key: str, fmt: str) -> str | None:
    """A figure with its 95% bootstrap interval, when the release has one: "0.44 [0.41, 0.47]"; None when absent
    (an old release)."""
    v = b.get(key)
    if v is None:
        return None
    ci = b.get(f"{key}_ci") or []
    text = format(num(v), fmt)
    if isinstance(ci, list) and len(ci) == 2:
        text += f" [{format(num(ci[0]), fmt)}, {format(num(ci[1]), fmt)}]"
    return text


def _share_table(table_id: str, label: str, rows: list[dict[str, Any]], benchmarks: list[str]) -> Any:
    from dash.dash_table import FormatTemplate

    share = FormatTemplate.percentage(1)
    columns = [{"name": label, "id": "name"}, {"name": "Real usage", "id": "usage", "type": "numeric", "format": share},
               {"name": "Usage 95% interval", "id": "usage_ci"}]
    columns += [{"name": b, "id": f"b{i}", "type": "numeric", "format": share} for i, b in enumerate(benchmarks)]
    columns += [{"name": "No benchmark reaches", "id": "unreached", "type": "numeric", "format": share}]
    data = [{"name": str(r.get("name") or r.get("id")), "usage": num(r.get("usage_share")),
             "usage_ci": _interval(r.get("usage_share_ci"), ".1%"),
             **{f"b{i}": num((r.get("benchmark_shares") or {}).get(b)) for i, b in enumerate(benchmarks)},
             "unreached": None if r.get("unreached_share") is None else num(r.get("unreached_share"))}
            for r in rows]
    return ui.data_table(table_id, columns, data, page_size=10)


def _interval(ci: Any, fmt: str) -> str:
    return f"{format(num(ci[0]), fmt)} - {format(num(ci[1]), fmt)}" if isinstance(ci, list) and len(ci) == 2 else ""


def _overlooked(release: Release, rows: list[dict[str, Any]], benchmarks: list[str]) -> Any:
    """Clusters the selected benchmarks barely reach: the release's list when every benchmark is selected; for a
    subset, clusters no selected benchmark reaches half of (older releases: clusters no selected item lands in)."""
    from dash import html

    cov = release.coverage or {}
    every = figures.benchmark_names(cov)
    listed = cov.get("overlooked")
    reached = {str(b.get("name")): b.get("cluster_reached") for b in cov.get("benchmarks") or []
               if isinstance(b, dict) and isinstance(b.get("cluster_reached"), dict)}
    keep = {str(r.get("id")) for r in rows}
    if isinstance(listed, list) and set(benchmarks) == set(every):
        by_id = {str(r.get("id")): r for r in rows}
        picked = [by_id[str(i)] for i in listed if str(i) in keep]
    elif all(b in reached for b in benchmarks):
        picked = [r for r in rows if max(num(reached[b].get(str(r.get("id")))) for b in benchmarks) < REACHED]
    else:
        picked = [r for r in rows if not any(num((r.get("benchmark_shares") or {}).get(b)) > 0 for b in benchmarks)]
    if not picked:
        return html.P("Every shown cluster is reached by the selected benchmarks.", className="note")
    return ui.table("coverage-overlooked", ["Cluster", "Usage share", "No benchmark reaches", "Top-level category"],
                    [[r.get("name") or r.get("id"), ui.pct(r.get("usage_share"), 1),
                      ui.pct(r.get("unreached_share")) if r.get("unreached_share") is not None else "—",
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
