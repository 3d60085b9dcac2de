"""Suites page (``/suites``): generated domain eval suites by taxonomy node, usage weights, preview, downloads."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from dashboard import components as ui
from dashboard import figures
from dashboard.data import Release, Suite, load_release, num
from dashboard.filters import Filters, View

COMMAND = "clio suite medical --workspace WS --out WS/release/suites/medical"
INTRO = ("Eval suites generated from released clusters only: each item is tied to a usage cluster and a node "
         "of the domain's taxonomy, and weighted by how much real usage that cluster has, so a suite tests what "
         "people actually ask.")
PREVIEW_COLUMNS = [("Id", "id"), ("Category", "category"), ("Subcategory", "subcategory"), ("Task", "task"),
                   ("Cluster", "cluster"), ("Weight", "weight"), ("Quizzing share", "quizzing_share"),
                   ("Input", "input")]


def layout(release: Release, view: View | None = None) -> Any:
    from dash import dcc, html

    view = view or View()
    if not release.suites:
        return ui.page("Suites", INTRO, ui.not_computed("Domain suites", COMMAND))
    names = [s.name for s in release.suites]
    return ui.page(
        "Suites", INTRO,
        html.Div([html.Span("Suite", className="filter-label"),
                  dcc.RadioItems(id="suite-select", options=[{"label": n, "value": n} for n in names], value=names[0],
                                 inline=True, className="filter-radio")], className="toolbar"),
        html.Div(body(release, view.filters, names[0]), id="suite-body"),
    )


def body(release: Release, filters: Filters, name: Any) -> Any:
    from dash import html

    suite = release.suite(name)
    if suite is None:
        return html.P("That suite is not in this release.", className="notice")
    m = suite.manifest
    items = [i for i in suite.items if _kept(release, filters, i.get("cluster_id"))]
    weights = node_weights(release, filters, suite)
    taxonomy = m.get("taxonomy") or {}
    build = m.get("build") or {}
    return html.Div([
        ui.filter_note(filters.describe(with_level=False)),
        ui.stats([("items", ui.count(m.get("items", len(suite.items)))), ("taxonomy nodes", ui.count(len(weights))),
                  ("usage clusters", ui.count(len({str(i.get("cluster_id")) for i in items}))),
                  ("quizzing share of items", ui.pct(_mean(items, "quizzing_share")))]),
        ui.section(str(taxonomy.get("title") or f"{suite.name} suite"),
                   ui.graph(figures.suite_weights(weights), "suite-weights"),
                   note=str(taxonomy.get("source") or "") or None),
        ui.section("Usage weight by taxonomy node", by_node(release, suite, items, weights),
                   note="Weight = share of the domain's released usage that maps to the node."),
        ui.section("Preview", preview(release, items),
                   note="The first items of the suite, as an eval harness will read them."),
        ui.section("Downloads", html.Div([ui.download_button(f) for f in suite.files], className="buttons"),
                   ui.kv_table("suite-build", [("format", m.get("format")), ("source", m.get("source")),
                                               ("seed", build.get("seed")), ("embedder", build.get("embedder"))])),
    ])


def node_weights(release: Release, filters: Filters, suite: Suite) -> dict[str, float]:
    """Taxonomy node -> usage weight: the manifest's, or summed from its clusters that pass the filters."""
    m = suite.manifest
    if not filters.content_active and isinstance(m.get("node_weights"), dict):
        return {str(k): num(v) for k, v in m["node_weights"].items()}
    out: dict[str, float] = {}
    for c in m.get("clusters") or []:
        if isinstance(c, dict) and c.get("node") and _kept(release, filters, c.get("id")):
            out[str(c["node"])] = out.get(str(c["node"]), 0.0) + num(c.get("weight"))
    if not out and not m.get("clusters"):  # no per-cluster breakdown: derive from the items
        for i in suite.items:
            if _kept(release, filters, i.get("cluster_id")):
                key = " / ".join(str(i.get(k) or "") for k in ("category", "subcategory", "task"))
                out[key] = max(out.get(key, 0.0), num(i.get("weight")))
    return out


def by_node(release: Release, suite: Suite, items: list[dict[str, Any]], weights: dict[str, float]) -> Any:
    from dash.dash_table import FormatTemplate

    per_node: dict[str, list[dict[str, Any]]] = {}
    for i in items:
        per_node.setdefault(" / ".join(str(i.get(k) or "") for k in ("category", "subcategory", "task")), []).append(i)
    data = []
    for node, weight in sorted(weights.items(), key=lambda kv: -kv[1]):
        parts = (node.split(" / ") + ["", "", ""])[:3]
        its = per_node.get(node, [])
        clusters = sorted({release.name_of(i.get("cluster_id")) or str(i.get("cluster_id")) for i in its})
        data.append({"category": parts[0], "subcategory": parts[1], "task": parts[2], "weight": weight,
                     "items": len(its), "quizzing_share": _mean(its, "quizzing_share"),
                     "clusters": "; ".join(clusters)})
    pct = FormatTemplate.percentage(1)
    columns = [{"name": "Category", "id": "category"}, {"name": "Subcategory", "id": "subcategory"},
               {"name": "Task", "id": "task"},
               {"name": "Usage weight", "id": "weight", "type": "numeric", "format": pct},
               {"name": "Items", "id": "items", "type": "numeric"},
               {"name": "Quizzing share", "id": "quizzing_share", "type": "numeric", "format": pct},
               {"name": "Usage clusters", "id": "clusters"}]
    return ui.data_table("suite-nodes", columns, data, page_size=12)


def preview(release: Release, items: list[dict[str, Any]], limit: int = 200) -> Any:
    from dash.dash_table import FormatTemplate

    pct = FormatTemplate.percentage(1)
    columns = [{"name": n, "id": k, **({"type": "numeric", "format": pct} if k in ("weight", "quizzing_share") else {})}
               for n, k in PREVIEW_COLUMNS]
    data = [{"id": str(i.get("id") or ""), "category": str(i.get("category") or ""),
             "subcategory": str(i.get("subcategory") or ""), "task": str(i.get("task") or ""),
             "cluster": release.name_of(i.get("cluster_id")) or str(i.get("cluster_id") or ""),
             "weight": num(i.get("weight")), "quizzing_share": num(i.get("quizzing_share")),
             "input": str(i.get("input") or "")} for i in items[:limit]]
    return ui.data_table("suite-preview", columns, data, page_size=8)


def register(app: Any, release_dir: Path) -> None:
    from dash import Input, Output, State

    @app.callback(Output("suite-body", "children"), Input("suite-select", "value"), State("filters", "data"),
                  State("theme", "data"), prevent_initial_call=True)
    def choose(name: Any, filters: Any, theme: Any) -> Any:
        return ui.themed_tree(body(load_release(release_dir), Filters.from_store(filters), name), theme == "dark")


def _kept(release: Release, filters: Filters, cluster_id: Any) -> bool:
    """Suite items hang off base clusters, so the level filter does not apply here."""
    if not filters.content_active:
        return True
    c = release.cluster(cluster_id)
    return c is not None and filters.matches(c)


def _mean(items: list[dict[str, Any]], key: str) -> float | None:
    vals = [num(i.get(key)) for i in items if i.get(key) is not None]
    return sum(vals) / len(vals) if vals else None
