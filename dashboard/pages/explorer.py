"""Explorer page (``/explorer``): the cluster hierarchy as a treemap, an outline and a table, with search."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from dashboard import components as ui
from dashboard import figures
from dashboard.data import Release, load_release, num
from dashboard.filters import MAX_TEXT, Filters, View

MAX_OUTLINE = 300


def layout(release: Release, view: View | None = None) -> Any:
    from dash import dcc, html

    view = view or View()
    query = view.query.get("q", "")
    return ui.page(
        "Explorer",
        "Topics found in the conversations, grouped into a hierarchy. Only clusters that met the privacy "
        "thresholds are shown; names, descriptions and examples were written from scrubbed text and "
        "re-scanned for PII before release.",
        html.Div([html.Label("Search clusters", htmlFor="explorer-search", className="filter-label"),
                  dcc.Input(id="explorer-search", type="search", value=query, debounce=0.3, maxLength=MAX_TEXT,
                            placeholder="name, description or keyword", className="search")],
                 className="toolbar"),
        html.Div(body(release, view.filters, query), id="explorer-body"),
    )


def body(release: Release, filters: Filters, query: Any) -> Any:
    """Treemap, outline and table of the clusters matching the filters and the search text."""
    from dash import html

    shown = matching(release, filters, query)
    ids = {str(c.get("id")) for c in shown}
    context = [a for c in shown for a in release.ancestors(c.get("id")) if str(a.get("id")) not in ids]
    context = list({str(a.get("id")): a for a in context}.values())
    described = " · ".join(x for x in (filters.describe(), f'search "{query}"' if query else "") if x)
    return html.Div([
        ui.filter_note(described),
        ui.section("Hierarchy", ui.graph(figures.treemap(shown + context, [a.get("id") for a in context]),
                                         "explorer-treemap"),
                   html.Div(id="explorer-open", className="note"),
                   note="Area = conversations; colour = share of quizzing (orange) vs asking (blue). "
                        "Click a box to zoom in; the link below it opens the cluster."),
        html.Div([
            ui.section("Outline", _outline(release, shown, context)),
            ui.section(f"Clusters ({len(shown)})", table(release, shown),
                       note="Click a name to open the cluster. Export downloads the table as CSV."),
        ], className="two-col wide-right"),
    ])


def matching(release: Release, filters: Filters, query: Any) -> list[dict[str, Any]]:
    """Clusters at any level (or the chosen level) that pass the filters and contain the search text."""
    words = str(query or "")[:MAX_TEXT].lower().split()
    out = []
    for c in filters.select(release.clusters):
        haystack = " ".join([str(c.get("id")), str(c.get("name") or ""), str(c.get("description") or "")]
                            + [str(k) for k in c.get("keywords") or []]).lower()
        if all(w in haystack for w in words):
            out.append(c)
    return sorted(out, key=lambda c: (-num(c.get("level")), -num(c.get("conversations"))))


def table(release: Release, clusters: list[dict[str, Any]]) -> Any:
    """Sortable, filterable `DataTable` of clusters (cells are plain text, never markdown)."""
    from dash.dash_table import FormatTemplate

    share = FormatTemplate.percentage(1)
    columns = [
        {"name": "Cluster", "id": "name"},
        {"name": "Level", "id": "level", "type": "numeric"},
        {"name": "Parent", "id": "parent"},
        {"name": "Conversations", "id": "conversations", "type": "numeric"},
        {"name": "Share", "id": "share", "type": "numeric", "format": share},
        {"name": "Quizzing share", "id": "quizzing_share", "type": "numeric", "format": share},
        {"name": "Asking share", "id": "asking_share", "type": "numeric", "format": share},
        {"name": "Keywords", "id": "keywords"},
    ]
    return ui.data_table("explorer-table", columns, rows(release, clusters), page_size=12,
                         style_cell_conditional=[{"if": {"column_id": "name"}, "color": "var(--clio-accent)",
                                                  "cursor": "pointer", "fontWeight": 600}])


def rows(release: Release, clusters: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Table rows (``id`` doubles as the row id a click reports); every value is a str or number."""
    out = []
    for c in release.base_clusters() if clusters is None else clusters:
        quiz = c.get("quizzing_share")
        ask = c.get("asking_share", None if quiz is None else 1.0 - num(quiz))
        out.append({
            "id": str(c.get("id")),
            "name": str(c.get("name") or c.get("id") or ""),
            "level": int(num(c.get("level"))),
            "parent": release.name_of(c.get("parent")),
            "conversations": num(c.get("conversations")),
            "share": num(c.get("share")),
            "quizzing_share": None if quiz is None else num(quiz),
            "asking_share": None if ask is None else num(ask),
            "keywords": ", ".join(str(k) for k in c.get("keywords") or []),
        })
    return out


def register(app: Any, release_dir: Path) -> None:
    from dash import Input, Output, State, no_update

    @app.callback(Output("explorer-body", "children"), Input("explorer-search", "value"), State("filters", "data"),
                  State("theme", "data"), prevent_initial_call=True)
    def search(query: Any, filters: Any, theme: Any) -> Any:
        return ui.themed_tree(body(load_release(release_dir), Filters.from_store(filters), query), theme == "dark")

    @app.callback(Output("explorer-open", "children"), Input("explorer-treemap", "clickData"),
                  prevent_initial_call=True)
    def treemap_click(click: Any) -> Any:
        try:
            cid = click["points"][0]["id"]
        except (KeyError, IndexError, TypeError):
            return no_update
        c = load_release(release_dir).cluster(cid)
        return ["Open ", ui.cluster_link(c)] if c else ""

    @app.callback(Output("url", "pathname", allow_duplicate=True), Input("explorer-table", "active_cell"),
                  prevent_initial_call=True)
    def open_row(cell: Any) -> Any:
        if not isinstance(cell, dict) or cell.get("column_id") != "name" or not isinstance(cell.get("row_id"), str):
            return no_update
        return ui.cluster_href(cell["row_id"])


def _outline(release: Release, shown: list[dict[str, Any]], context: list[dict[str, Any]]) -> Any:
    """Nested list of the shown hierarchy with links (context ancestors in grey)."""
    from dash import html

    keep = {str(c.get("id")): c for c in shown + context}
    grey = {str(c.get("id")) for c in context}
    if not keep:
        return html.P("No clusters match.", className="note")
    kids: dict[str | None, list[dict[str, Any]]] = {}
    for c in keep.values():
        parent = str(c.get("parent")) if c.get("parent") is not None and str(c.get("parent")) in keep else None
        kids.setdefault(parent, []).append(c)
    budget = [MAX_OUTLINE]

    def ul(parent: str | None, depth: int) -> Any:
        items = []
        for c in sorted(kids.get(parent, []), key=lambda c: -num(c.get("conversations"))):
            if budget[0] <= 0 or depth > 8:
                break
            budget[0] -= 1
            cid = str(c.get("id"))
            items.append(html.Li([
                ui.cluster_link(c), html.Span(f" — {ui.pct(c.get('share'), 1)}", className="note"),
                ul(cid, depth + 1) if cid in kids else None,
            ], className="context" if cid in grey else None))
        return html.Ul(items, className="outline")

    return ul(None, 0)
