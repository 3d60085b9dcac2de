"""Page registry: one module per page, each exposing ``layout(release) -> component``.

The app's nav bar and router are both built from `PAGES`, so adding a page is one line here.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dashboard.pages import audit, clusters, coverage, overview


@dataclass(frozen=True)
class Page:
    path: str
    title: str
    layout: Callable[[Any], Any]


PAGES: tuple[Page, ...] = (
    Page("/", "Overview", overview.layout),
    Page("/clusters", "Clusters", clusters.layout),
    Page("/coverage", "Coverage", coverage.layout),
    Page("/audit", "Privacy audit", audit.layout),
)


def find(pathname: str | None) -> Page | None:
    """The page registered for ``pathname`` (trailing slash ignored), or None."""
    path = "/" + (pathname or "/").strip("/")
    return next((p for p in PAGES if p.path == path), None)


def not_found(pathname: str | None) -> Any:
    """404-style page; the requested path is shown as text only."""
    from dash import dcc, html

    return html.Div([html.H1("Page not found"),
                     html.P(["Nothing lives at ", html.Code(str(pathname or "")), ". Try ",
                             dcc.Link("the overview", href="/"), "."])], className="page")
