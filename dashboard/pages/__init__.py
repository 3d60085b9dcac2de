"""Page registry: one module per page, each exposing ``layout(release, view) -> component``.

A page module may also expose ``register(app, release_dir)`` for its own callbacks (they re-read the
release and answer only from it). The app's nav bar and router are both built from `PAGES`, so adding a
page is one line here.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from dashboard.pages import audit, cluster, coverage, explorer, overview, suites
from dashboard.pages import map as map_page


@dataclass(frozen=True)
class Page:
    path: str
    title: str
    layout: Callable[..., Any]
    register: Callable[..., None] | None = None
    nav: bool = True  # shown in the nav bar (and so discoverable from /_dash-layout)
    prefix: bool = False  # also answers /path/<arg>, e.g. /cluster/<id>


PAGES: tuple[Page, ...] = (
    Page("/", "Overview", overview.layout),
    Page("/map", "Map", map_page.layout, map_page.register),
    Page("/explorer", "Explorer", explorer.layout, explorer.register),
    Page("/coverage", "Coverage", coverage.layout, coverage.register),
    Page("/suites", "Suites", suites.layout, suites.register),
    Page("/audit", "Privacy audit", audit.layout),
    Page("/cluster", "Cluster", cluster.layout, nav=False, prefix=True),
)
NAV: tuple[Page, ...] = tuple(p for p in PAGES if p.nav)
ALIASES = {"/clusters": "/explorer"}  # earlier releases of the dashboard linked here


def find(pathname: str | None) -> Page | None:
    """The page registered for ``pathname`` (trailing slash ignored), or None."""
    return resolve(pathname)[0]


def resolve(pathname: str | None) -> tuple[Page | None, str | None]:
    """``(page, argument)`` for a path: ``/cluster/b%2F7`` -> (cluster page, ``"b/7"``)."""
    path = "/" + (pathname if isinstance(pathname, str) else "/").strip("/")
    path = ALIASES.get(path, path)
    exact = next((p for p in PAGES if p.path == path and not p.prefix), None)
    if exact is not None:
        return exact, None
    for p in PAGES:
        if p.prefix and path.startswith(p.path + "/"):
            return p, unquote(path[len(p.path) + 1:])
        if p.prefix and path == p.path:
            return p, ""
    return None, None


def not_found(pathname: str | None) -> Any:
    """404-style page; the requested path is shown as text only."""
    from dash import dcc, html

    return html.Div([html.H1("Page not found"),
                     html.P(["Nothing lives at ", html.Code(str(pathname or "")[:200]), ". Try ",
                             dcc.Link("the overview", href="/"), "."])], className="page")
