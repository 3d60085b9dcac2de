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
         "people actually ask. Only clusters the domain gate admits take part; no input is repeated, and every item "
         "carries what it is graded against (an answer key, a reference answer or a rubric).")
PREVIEW_COLUMNS = [("Id", "id"), ("Task", "task"), ("Cluster", "cluster"), ("Weight", "weight"),
                   ("Form", "form"), ("Source", "source"), ("Provenance", "provenance"), ("Grading", "grading"),
                   ("Input", "input"), ("Grading material", "criteria")]


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
        ui.stats([("items", ui.count(m.get("items", len(suite.items)))),
                  ("items asked for", ui.count(m.get("requested") or m.get("items", len(suite.items)))),
                  ("distinct inputs", ui.pct(m.get("distinct_input_share"))),
                  ("taxonomy nodes", ui.count(len(weights))),
                  ("usage clusters", ui.count(len({str(i.get("cluster_id")) for i in items}))),
                  ("quizzing share of items", ui.pct(_mean(items, "quizzing_share")))]),
        ui.section(str(taxonomy.get("title") or f"{suite.name} suite"),
                   ui.graph(figures.suite_weights(weights), "suite-weights"),
                   note=str(taxonomy.get("source") or "") or None),
        ui.section("Usage weight by taxonomy node", by_node(release, suite, items, weights),
                   note="Weight = share of the domain's released usage that maps to the node."),
        ui.section("Clusters in the suite", suite_clusters(release, filters, m),
                   note="Items planned in proportion to usage, and written: a cluster whose sources (released "
                        "exemplars, --pool, --llm) ran out is short rather than repeated."),
        ui.section("How the items were chosen", provenance(m, suite.items)),
        ui.section("Preview", preview(release, items),
                   note="The first items of the suite, as an eval harness will read them, with where each came from "
                        "(released exemplar, public pool, LLM) and what it is graded against."),
        ui.section("Left out by the domain gate", left_out(m),
                   note=_gate_note(m)),
        ui.section("Downloads", html.Div([ui.download_button(f) for f in suite.files], className="buttons"),
                   ui.kv_table("suite-build", [("format", m.get("format")), ("source", m.get("source")),
                                               ("seed", build.get("seed")), ("embedder", build.get("embedder")),
                                               ("public pools", ", ".join(str(p) for p in build.get("pools") or [])
                                                or "none"),
                                               ("LLM writer", build.get("llm") or "none")])),
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
    data = [{"id": str(i.get("id") or ""), "task": str(i.get("task") or ""),
             "cluster": release.name_of(i.get("cluster_id")) or str(i.get("cluster_id") or ""),
             "weight": num(i.get("weight")), "form": str(i.get("form") or ""), "source": str(i.get("source") or ""),
             "provenance": str(i.get("provenance") or ""), "grading": str(i.get("grading") or ""),
             "input": str(i.get("input") or ""), "criteria": criteria(i)} for i in items[:limit]]
    return ui.data_table("suite-preview", columns, data, page_size=8)


def suite_clusters(release: Release, filters: Filters, manifest: dict[str, Any]) -> Any:
    """One row per suite cluster: its task, usage weight, items planned and written, and the gate's figures."""
    from dash.dash_table import FormatTemplate

    rows = [c for c in manifest.get("clusters") or [] if isinstance(c, dict) and _kept(release, filters, c.get("id"))]
    pct = FormatTemplate.percentage(1)
    columns = [{"name": "Cluster", "id": "cluster"}, {"name": "Task", "id": "node"},
               {"name": "Usage weight", "id": "weight", "type": "numeric", "format": pct},
               {"name": "Items planned", "id": "requested", "type": "numeric"},
               {"name": "Items written", "id": "items", "type": "numeric"},
               {"name": "Short by", "id": "short", "type": "numeric"},
               {"name": "Domain facet share", "id": "domain_share", "type": "numeric", "format": pct},
               {"name": "Similarity to the task", "id": "similarity", "type": "numeric"}]
    data = [{"cluster": release.name_of(c.get("id")) or str(c.get("id") or ""), "node": str(c.get("node") or ""),
             "weight": num(c.get("weight")), "requested": int(num(c.get("requested"))),
             "items": int(num(c.get("items"))),
             "short": max(int(num(c.get("requested"))) - int(num(c.get("items"))), 0),
             "domain_share": None if c.get("domain_share") is None else num(c.get("domain_share")),
             "similarity": None if c.get("similarity") is None else round(num(c.get("similarity")), 2)}
            for c in sorted(rows, key=lambda c: -num(c.get("weight")))]
    return ui.data_table("suite-clusters", columns, data, page_size=10)


def provenance(manifest: dict[str, Any], items: list[dict[str, Any]]) -> Any:
    """Items per source and per kind of grading, what each source's checks dropped, and the build's notes."""
    from dash import html

    def counts(key: str, field: str) -> dict[str, int]:
        got = manifest.get(key)
        if isinstance(got, dict) and got:
            return {str(k): int(num(v)) for k, v in got.items()}
        out: dict[str, int] = {}
        for i in items:
            out[str(i.get(field) or "")] = out.get(str(i.get(field) or ""), 0) + 1
        return out

    def listing(d: dict[str, int]) -> str:
        return ", ".join(f"{SOURCE_NAMES.get(k, k)} {v}" for k, v in sorted(d.items(), key=lambda kv: -kv[1])) or "—"

    dropped = manifest.get("dropped") if isinstance(manifest.get("dropped"), dict) else {}
    rows = [("items by source", listing(counts("sources", "source"))),
            ("items by grading", listing(counts("grading", "grading")))]
    rows += [(f"dropped from {SOURCE_NAMES.get(str(src), src)}",
              ", ".join(f"{why}: {n}" for why, n in (reasons or {}).items()) if isinstance(reasons, dict) else reasons)
             for src, reasons in dropped.items()]
    notes = [str(n) for n in manifest.get("notes") or []]
    return html.Div([ui.kv_table("suite-provenance", rows),
                     *[html.P(n, className="notice") for n in notes]])


SOURCE_NAMES = {"release": "released exemplars", "pool": "public pool", "llm": "LLM-written"}


def criteria(item: dict[str, Any]) -> str:
    """An item's grading material as text: the answer key (with its options), the reference answer, the rubric."""
    parts = []
    choices = item.get("choices") or []
    if item.get("target") and isinstance(choices, list) and choices:
        parts.append(f"answer: {item['target']} of " + "; ".join(f"{chr(65 + k)}) {c}" for k, c in enumerate(choices)))
    elif item.get("target"):
        parts.append(f"answer: {item['target']}")
    if item.get("reference"):
        parts.append(f"reference: {item['reference']}")
    rubric = item.get("rubric") or []
    if isinstance(rubric, list) and rubric:
        parts.append("rubric: " + "; ".join(str(r) for r in rubric))
    return " | ".join(parts)


def left_out(manifest: dict[str, Any]) -> Any:
    from dash import html

    rows = [r for r in manifest.get("left_out") or [] if isinstance(r, dict)]
    if not rows:
        return html.P("The gate left no released cluster out.", className="note")
    return ui.table("suite-left-out", ["Cluster", "Usage share", "Domain facet share", "Similarity", "Nearest task",
                                       "Why"],
                    [[r.get("name") or r.get("id"), ui.pct(r.get("share"), 1), ui.pct(r.get("domain_share")),
                      f"{num(r.get('similarity')):.2f}", r.get("nearest_task"), r.get("reason")] for r in rows])


def _gate_note(manifest: dict[str, Any]) -> str:
    g = manifest.get("gate") or {}
    if not g:
        return "Released clusters outside the domain."
    doms = "/".join(str(d) for d in g.get("facet_domains") or [])
    return (f"A cluster enters when at least {num(g.get('min_domain_share')):.0%} of its conversations have the domain "
            f"facet {doms} and its text is at least {num(g.get('min_similarity')):.2f} (cosine) from a task.")


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
