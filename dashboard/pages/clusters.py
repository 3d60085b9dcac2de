"""Clusters page (``/clusters``): hierarchy treemap, sortable table of base clusters, details."""
from __future__ import annotations

from typing import Any

from dashboard import components as ui
from dashboard import figures
from dashboard.data import Release, num

MAX_DETAILS = 200


def layout(release: Release) -> Any:
    from dash import html

    base = release.base_clusters()
    return ui.page(
        "Clusters",
        "Topics found in the conversations, grouped into a hierarchy. Only clusters that met the privacy "
        "thresholds are shown; names, descriptions and examples were written from scrubbed text and "
        "re-scanned for PII before release.",
        ui.section("Hierarchy", ui.graph(figures.treemap(release.clusters), "treemap"),
                   note="Area = conversations; colour = share of quizzing (orange) vs asking (blue). "
                        "Click a box to zoom in."),
        ui.section("Outline", _outline(release.tree())),
        ui.section("Base clusters", table(release) if base else html.P("No clusters were released.")),
        ui.section("Cluster map", ui.graph(figures.cluster_map(base), "cluster-map"),
                   note="Nearby clusters have similar conversations; size = conversations."),
        ui.section("Cluster details", *[_details(c, release) for c in base[:MAX_DETAILS]]),
    )


def table(release: Release) -> Any:
    """Sortable, filterable `DataTable` of base clusters (cells are plain text, never markdown)."""
    from dash import dash_table
    from dash.dash_table import FormatTemplate

    share = FormatTemplate.percentage(1)
    columns = [
        {"name": "Cluster", "id": "name"},
        {"name": "Parent", "id": "parent"},
        {"name": "Conversations", "id": "conversations", "type": "numeric"},
        {"name": "Share", "id": "share", "type": "numeric", "format": share},
        {"name": "Quizzing share", "id": "quizzing_share", "type": "numeric", "format": share},
        {"name": "Asking share", "id": "asking_share", "type": "numeric", "format": share},
        {"name": "Keywords", "id": "keywords"},
    ]
    return dash_table.DataTable(
        id="clusters-table", columns=columns, data=rows(release),
        sort_action="native", filter_action="native", page_size=20,
        style_table={"overflowX": "auto"},
        style_cell={"textAlign": "left", "whiteSpace": "normal", "height": "auto", "fontSize": 13,
                    "fontFamily": "inherit", "padding": "6px", "maxWidth": 360},
        style_header={"fontWeight": 600, "backgroundColor": "#f7fafc"},
    )


def rows(release: Release) -> list[dict[str, Any]]:
    """Table rows for the base clusters; every value is a str or number."""
    out = []
    for c in release.base_clusters():
        quiz = c.get("quizzing_share")
        ask = c.get("asking_share", None if quiz is None else 1.0 - num(quiz))
        out.append({
            "name": str(c.get("name") or c.get("id") or ""),
            "parent": release.name_of(c.get("parent")),
            "conversations": num(c.get("conversations")),
            "share": num(c.get("share")),
            "quizzing_share": None if quiz is None else num(quiz),
            "asking_share": None if ask is None else num(ask),
            "keywords": ", ".join(str(k) for k in c.get("keywords") or []),
        })
    return out


def _outline(nodes: list[dict[str, Any]], depth: int = 0) -> Any:
    """Nested list of the hierarchy with conversation counts (text only)."""
    from dash import html

    if not nodes:
        return html.P("No clusters were released.", className="note")
    return html.Ul([html.Li([
        html.Span(str(n.get("name") or n.get("id")), className="name"),
        html.Span(f" — {ui.count(n.get('conversations'))} conversations, {ui.pct(n.get('share'), 1)}",
                  className="note"),
        _outline(n.get("children") or [], depth + 1) if n.get("children") and depth < 8 else None,
    ]) for n in nodes], className="outline")


def _details(c: dict[str, Any], release: Release) -> Any:
    from dash import html

    exemplars = [str(e) for e in c.get("exemplars") or []]
    return html.Details([
        html.Summary([html.Span(str(c.get("name") or c.get("id")), className="name"),
                      html.Span(f" · {ui.count(c.get('conversations'))} conversations · "
                                f"{ui.pct(c.get('share'), 1)}", className="note")]),
        html.P(str(c.get("description") or ""), className="description"),
        ui.kv_table([
            ("parent", release.name_of(c.get("parent")) or None),
            ("distinct users", ui.count(c.get("users"))),
            ("quizzing share", ui.pct(c.get("quizzing_share"))),
            ("mean turns", None if c.get("mean_turns") is None else f"{num(c.get('mean_turns')):.1f}"),
            ("keywords", c.get("keywords") or None),
            ("languages", _shares(c.get("languages"))),
            ("domains", _shares(c.get("domains"))),
        ]),
        html.Div([html.H4("Example requests"),
                  html.Ul([html.Li(e) for e in exemplars])] if exemplars else []),
    ], className="cluster")


def _shares(mix: Any) -> str | None:
    if not isinstance(mix, dict) or not mix:
        return None
    items = sorted(mix.items(), key=lambda kv: -num(kv[1]))
    return ", ".join(f"{k} {ui.pct(v)}" for k, v in items)
