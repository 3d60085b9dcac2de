"""The Dash app: a nav bar plus one routing callback (pathname -> page layout) over ``release/``.

The release is re-read on every navigation (the files are small), so a fresh ``clio run`` shows up on
reload without restarting the server.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dashboard.data import load_release
from dashboard.pages import PAGES, find, not_found

ASSETS = Path(__file__).with_name("assets")
TITLE = "Clio usage — public release"


def create_app(release_dir: Path) -> Any:
    """Build the multi-page `dash.Dash` app for ``release_dir``; fails fast if there is no release."""
    from dash import Input, Output

    release_dir = Path(release_dir)
    load_release(release_dir)
    app = _dash_class()(__name__, title=TITLE, update_title=None, use_pages=False,
                        assets_folder=str(ASSETS), suppress_callback_exceptions=True)
    app.layout = _shell()

    @app.callback(Output("page", "children"), Input("url", "pathname"))
    def render(pathname: str | None) -> Any:
        return route(pathname, release_dir)

    @app.callback([Output(_nav_id(p.path), "className") for p in PAGES], Input("url", "pathname"))
    def highlight(pathname: str | None) -> list[str]:
        current = find(pathname)
        return ["nav-link active" if p == current else "nav-link" for p in PAGES]

    return app


def route(pathname: str | None, release_dir: Path) -> Any:
    """Layout for ``pathname``: the page, a 404 page, or a readable error if the release is unusable."""
    from dash import html

    page = find(pathname)
    if page is None:
        return not_found(pathname)
    try:
        release = load_release(Path(release_dir))
    except FileNotFoundError as e:
        return _problem("No release to show", str(e))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        return _problem("A release file could not be read", f"{type(e).__name__}: {e}")
    return html.Div(page.layout(release))


def serve(workspace: Path, host: str = "127.0.0.1", port: int = 8050, debug: bool = False) -> None:
    """Serve ``WORKSPACE/release/`` on ``host:port`` (loopback by default: the dashboard has no auth)."""
    app = create_app(Path(workspace) / "release")
    app.run(host=host, port=port, debug=debug)


def _dash_class() -> type:
    """`dash.Dash` whose ``/_dash-layout`` is plain ``json.dumps`` output (``"href": "/clusters"``).

    Recent plotly serialises compactly and escapes ``/`` as ``\\u002f``, which hides the page links
    from tools that discover pages by reading the layout. ``<`` and ``>`` stay escaped.
    """
    import dash
    from plotly.utils import PlotlyJSONEncoder

    class ReleaseDash(dash.Dash):
        def serve_layout(self):
            layout = self.get_layout() if hasattr(self, "get_layout") else self._layout_value()
            body = json.dumps(layout, cls=PlotlyJSONEncoder).replace("<", "\\u003c").replace(">", "\\u003e")
            backend = getattr(self, "backend", None)
            if backend is not None:
                return backend.make_response(body, mimetype="application/json")
            import flask

            return flask.Response(body, mimetype="application/json")

    return ReleaseDash


def _shell() -> Any:
    """Initial layout: header with nav links to every page, and the slot the router fills."""
    from dash import dcc, html

    links = [dcc.Link(p.title, href=p.path, id=_nav_id(p.path), className="nav-link") for p in PAGES]
    return html.Div([
        dcc.Location(id="url", refresh=False),
        html.Header(html.Div([html.Span("Clio usage", className="brand"), html.Nav(links)],
                             className="container bar")),
        html.Main(id="page", className="container"),
        html.Footer(html.Div("Public release tier only: aggregates that passed the privacy gate.",
                             className="container"), className="footer"),
    ])


def _problem(title: str, detail: str) -> Any:
    from dash import html

    return html.Div([html.H1(title), html.P(detail, className="notice bad")], className="page")


def _nav_id(path: str) -> str:
    return "nav-" + (path.strip("/") or "overview")
