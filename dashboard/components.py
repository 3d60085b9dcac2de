"""Small layout helpers shared by the pages (cards, sections, notices, tables).

Every released string is passed as a plain text child or table cell: nothing here interprets
markup, so a cluster named ``<script>...`` is displayed, never run.
"""
from __future__ import annotations

from typing import Any

from dashboard.data import num

GRAPH_CONFIG = {"displaylogo": False, "responsive": True}


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


def graph(fig: Any, graph_id: str | None = None) -> Any:
    from dash import dcc

    kwargs = {"id": graph_id} if graph_id else {}
    return dcc.Graph(figure=fig, config=GRAPH_CONFIG, **kwargs)


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


def kv_table(rows: list[tuple[str, Any]]) -> Any:
    """Two-column key/value table; values are shown as text."""
    from dash import html

    return html.Table(html.Tbody([html.Tr([html.Th(k), html.Td(_text(v))]) for k, v in rows]),
                      className="kv")


def table(columns: list[str], rows: list[list[Any]], class_name: str = "grid") -> Any:
    """Plain HTML table; cells may be components or values (values are shown as text)."""
    from dash import html

    return html.Table([html.Thead(html.Tr([html.Th(c) for c in columns])),
                       html.Tbody([html.Tr([html.Td(_cell(v)) for v in row]) for row in rows])],
                      className=class_name)


def _cell(value: Any) -> Any:
    return value if hasattr(value, "to_plotly_json") else _text(value)


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)
