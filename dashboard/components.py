"""Small layout helpers shared by the pages (cards, sections, notices, tables, links).

Every released string is passed as a plain text child or table cell: nothing here interprets
markup, so a cluster named ``<script>...`` is displayed, never run. Links to clusters are always
``/cluster/<percent-encoded id>``, so no released value can become a ``javascript:`` URL.

Every table is a `DataTable` with a CSV export button; every graph keeps plotly's PNG download.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

from dashboard.data import num

GRAPH_CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'
TABLE_STYLE = {
    "style_table": {"overflowX": "auto"},
    "style_cell": {"textAlign": "left", "whiteSpace": "normal", "height": "auto", "fontFamily": FONT,
                   "fontSize": 13, "padding": "6px 8px", "maxWidth": 420, "minWidth": 60, "overflowWrap": "anywhere",
                   "backgroundColor": "var(--clio-card)", "color": "var(--clio-fg)",
                   "border": "1px solid var(--clio-line)"},
    "style_header": {"fontWeight": 600, "backgroundColor": "var(--clio-head)", "color": "var(--clio-fg)"},
}
STATUS_STYLE = {"PASS": "var(--clio-ok)", "FAIL": "var(--clio-bad)", "UNKNOWN": "var(--clio-warn)",
                "matches": "var(--clio-ok)", "differs": "var(--clio-bad)", "missing": "var(--clio-warn)"}


def pct(value: Any, digits: int = 0) -> str:
    """``0.413 -> "41%"``; missing -> an em dash."""
    return "—" if value is None else f"{num(value):.{digits}%}"


def count(value: Any) -> str:
    return "—" if value is None else f"{num(value):,.0f}"


def page(title: str, intro: str, *children: Any) -> Any:
    from dash import html

    return html.Div([html.H1(title), html.P(intro, className="intro"), *children], className="page")


def section(title: str, *children: Any, note: str | None = None) -> Any:
    from dash import html

    head = [html.H2(title)] + ([html.P(note, className="note")] if note else [])
    return html.Section(head + list(children), className="card")


def stats(items: list[tuple[str, str]]) -> Any:
    """A row of headline numbers: ``[(label, formatted value), ...]``."""
    from dash import html

    return html.Div([html.Div([html.Div(value, className="stat-value"), html.Div(label, className="stat-label")],
                              className="stat") for label, value in items], className="stats")


def graph(fig: Any, graph_id: str) -> Any:
    """A plotly graph that follows its container's width; its modebar camera button saves ``<graph_id>.png``.

    The height the figure asks for becomes the container's height (a responsive dcc.Graph otherwise
    takes the height of whatever holds it).
    """
    from dash import dcc

    height = getattr(getattr(fig, "layout", None), "height", None) or 450
    config = {**GRAPH_CONFIG, "toImageButtonOptions": {"format": "png", "filename": graph_id, "scale": 2}}
    return dcc.Graph(id=graph_id, figure=fig, config=config, responsive=True, style={"height": f"{height}px"},
                     className="graph")


def csv_safe(value: Any) -> Any:
    """Neutralise spreadsheet formulas in exported text: a released string starting with = + @ (or - before a
    non-digit) gets a leading apostrophe, so opening the CSV never runs it (OWASP CSV injection)."""
    if isinstance(value, str) and value and (value[0] in "=+@\t\r" or (value[0] == "-" and not value[1:2].isdigit())):
        return "'" + value
    return value


def data_table(table_id: str, columns: list[dict[str, Any]], data: list[dict[str, Any]], page_size: int = 15,
               sortable: bool = True, **kwargs: Any) -> Any:
    """A text-only `DataTable` (never markdown) with CSV export, sorting and, for long tables, filtering."""
    from dash import dash_table

    status_cols = [c["id"] for c in columns if c.get("status")]
    columns = [{k: v for k, v in c.items() if k != "status"} for c in columns]
    conditional = [{"if": {"filter_query": f'{{{col}}} = "{value}"', "column_id": col}, "color": color,
                    "fontWeight": 700} for col in status_cols for value, color in STATUS_STYLE.items()]
    return dash_table.DataTable(
        id=table_id, columns=columns, data=[{k: csv_safe(v) for k, v in row.items()} for row in data],
        export_format="csv", export_headers="display",
        sort_action="native" if sortable else "none", filter_action="native" if len(data) > page_size else "none",
        page_size=page_size, style_data_conditional=conditional, **TABLE_STYLE, **kwargs)


def table(table_id: str, headers: list[str], rows: list[list[Any]], status: tuple[str, ...] = (),
          page_size: int = 15) -> Any:
    """Simple text table: ``headers`` and rows of values (shown as text); ``status`` names PASS/FAIL columns."""
    keys = [f"c{i}" for i in range(len(headers))]
    columns = [{"name": h, "id": k, **({"status": True} if h in status else {})} for h, k in zip(headers, keys)]
    data = [{k: _text(v) for k, v in zip(keys, row)} for row in rows]
    return data_table(table_id, columns, data, page_size=page_size)


def kv_table(table_id: str, rows: list[tuple[str, Any]], headers: tuple[str, str] = ("Item", "Value")) -> Any:
    """Two-column key/value table; values are shown as text."""
    return table(table_id, list(headers), [[k, v] for k, v in rows], page_size=max(15, len(rows)))


def cluster_link(cluster: dict[str, Any] | None, fallback: str = "—") -> Any:
    """Link to a released cluster's page, its name as link text."""
    from dash import dcc

    if not cluster or cluster.get("id") is None:
        return fallback
    return dcc.Link(str(cluster.get("name") or cluster.get("id")), href=cluster_href(cluster.get("id")))


def cluster_href(cluster_id: Any) -> str:
    return "/cluster/" + quote(str(cluster_id), safe="")


def download_button(relpath: str, label: str | None = None) -> Any:
    """Button that downloads one release file (the server checks the path against the release's list)."""
    from dash import html

    return html.Button(label or f"Download {relpath.rsplit('/', 1)[-1]}", id={"type": "download", "path": relpath},
                       className="button", n_clicks=0)


def filter_note(description: str) -> Any:
    """A one-line reminder that cross-page filters narrow what a page shows."""
    from dash import html

    if not description:
        return None
    return html.P(["Filtered: ", html.Strong(description), " (change or clear the filters at the top)."],
                  className="notice filter-note")


def not_computed(what: str, command: str) -> Any:
    """Friendly notice for an optional release file that is absent."""
    from dash import html

    return html.Div([html.Strong(f"{what} not computed yet"), " — run ", html.Code(command),
                     " and reload this page."], className="notice")


def status(passed: Any) -> Any:
    """PASS / FAIL / UNKNOWN badge."""
    from dash import html

    label, cls = ("PASS", "ok") if passed is True else ("FAIL", "bad") if passed is False else ("UNKNOWN", "warn")
    return html.Span(label, className=f"badge {cls}")


def themed_tree(component: Any, dark: bool) -> Any:
    """Restyle every graph figure under ``component`` for the reader's colour scheme (in place)."""
    from dashboard.figures import themed

    stack = [component]
    while stack:
        node = stack.pop()
        if isinstance(node, (list, tuple)):
            stack.extend(node)
            continue
        fig = getattr(node, "figure", None)
        if fig is not None and hasattr(fig, "update_layout"):
            themed(fig, dark)
        children = getattr(node, "children", None)
        if children is not None and not isinstance(children, str):
            stack.append(children)
    return component


def status_text(passed: Any) -> str:
    return "PASS" if passed is True else "FAIL" if passed is False else "UNKNOWN"


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)
