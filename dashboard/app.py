"""The Dash app: a shell (nav, cross-page filters, theme) plus one routing callback over ``release/``.

The release is re-read on every navigation and callback (the files are small), so a fresh ``clio run``
shows up on reload without restarting the server. Callbacks take ids and values from the client but
answer only from the release: an id that is not released gets "not in this release", never a trace.
"""
from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

from dashboard import auth
from dashboard import components as ui
from dashboard.security import harden
from dashboard.data import load_release
from dashboard.filters import Filters, View, from_controls, options, parse_query
from dashboard.pages import NAV, PAGES, find, not_found, resolve
from privacy.public import SchemaError

ASSETS = Path(__file__).with_name("assets")
TITLE = "Clio usage — public release"
LOG = logging.getLogger(__name__)
THEME_JS = """function(pathname, current) {
    var query = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)');
    if (query && !window.__clioThemeWatch) {  // follow a system switch while the page is open
        window.__clioThemeWatch = true;
        query.addEventListener('change', function (e) {
            window.dash_clientside.set_props('theme', {data: e.matches ? 'dark' : 'light'});
        });
    }
    var theme = query && query.matches ? 'dark' : 'light';
    return theme === current ? window.dash_clientside.no_update : theme;
}"""


def create_app(release_dir: Path, users: dict[str, str] | None = None) -> Any:
    """Build the multi-page `dash.Dash` app for ``release_dir``; fails fast if there is no release.

    ``users`` (name -> password or werkzeug hash) turns on HTTP basic auth for every route.
    """
    from dash import ALL, Input, Output, State, ctx, dcc, no_update

    release_dir = Path(release_dir)
    load_release(release_dir)
    app = _dash_class()(__name__, title=TITLE, update_title=None, use_pages=False,
                        assets_folder=str(ASSETS), suppress_callback_exceptions=True)
    app.layout = lambda: _shell(release_dir)
    harden(app)
    if users:
        auth.protect(app, users)

    app.clientside_callback(THEME_JS, Output("theme", "data"), Input("url", "pathname"), State("theme", "data"))

    @app.callback(Output("page", "children"), Input("url", "pathname"), Input("url", "search"),
                  Input("filters", "data"), Input("theme", "data"))
    def render(pathname: Any, search: Any, filters: Any, theme: Any) -> Any:
        return route(pathname, release_dir, View(filters=Filters.from_store(filters), dark=theme == "dark",
                                                 query=parse_query(search)))

    @app.callback([Output(_nav_id(p.path), "className") for p in NAV], Input("url", "pathname"))
    def highlight(pathname: Any) -> list[str]:
        current = find(pathname)
        return ["nav-link active" if p == current else "nav-link" for p in NAV]

    @app.callback(Output("filters", "data"), Input("f-mode", "value"), Input("f-domain", "value"),
                  Input("f-language", "value"), Input("f-level", "value"))
    def set_filters(mode: Any, domain: Any, language: Any, level: Any) -> dict[str, Any]:
        return from_controls(mode, domain, language, level).to_store()

    @app.callback(Output("f-mode", "value"), Output("f-domain", "value"), Output("f-language", "value"),
                  Output("f-level", "value"), Input("f-reset", "n_clicks"), prevent_initial_call=True)
    def reset_filters(_: Any) -> tuple[str, str, str, int]:
        return "all", "", "", -1

    @app.callback(Output("download", "data"), Input({"type": "download", "path": ALL}, "n_clicks"),
                  prevent_initial_call=True)
    def download(clicks: list[Any]) -> Any:
        """Send one release file; the requested path must be in the release's own list of downloads."""
        wanted = ctx.triggered_id.get("path") if isinstance(ctx.triggered_id, dict) else None
        if not any(clicks or []) or not isinstance(wanted, str):
            return no_update
        files = load_release(release_dir).downloadable()
        if wanted not in files:
            return no_update
        return dcc.send_file(str(files[wanted]), filename=wanted.removeprefix("suites/").replace("/", "-"))

    for page in PAGES:
        if page.register is not None:
            page.register(app, release_dir)
    return app


def route(pathname: str | None, release_dir: Path, view: View | None = None) -> Any:
    """Layout for ``pathname``: the page, a 404 page, or a readable problem if the release is unusable."""
    from dash import html

    page, arg = resolve(pathname)
    if page is None:
        return not_found(pathname)
    try:
        release = load_release(Path(release_dir))
    except FileNotFoundError as e:
        return _problem("No release to show", str(e))
    except (SchemaError, json.JSONDecodeError, UnicodeDecodeError) as e:
        return _problem("A release file could not be read", f"{type(e).__name__}: {e}")
    view = replace(view or View(), arg=arg)
    try:
        content = page.layout(release, view)
    except Exception:  # a release of an unexpected shape: say so on the page, details only in the server log
        LOG.exception("page %s failed to render", page.path)
        return _problem("This page could not be drawn", "The release has an unexpected shape; the server log "
                        "has the details.")
    return ui.themed_tree(html.Div(content), view.dark)


def serve(workspace: Path, host: str = "127.0.0.1", port: int = 8050, debug: bool = False, *,
          users: dict[str, str] | None = None, users_file: Path | None = None, insecure: bool = False,
          threads: int = 8, say=print) -> None:
    """Serve ``WORKSPACE/release/`` on ``host:port`` (loopback by default) with waitress, a production WSGI server
    (``debug``: Flask's development server and debugger, loopback only).

    Authentication: ``users`` (name -> password), else ``users_file``, else the ``CLIO_DASHBOARD_USERS`` /
    ``CLIO_DASHBOARD_USERS_FILE`` environment variables. A non-loopback ``host`` without users, or with
    ``debug``, raises `auth.InsecureBindError` unless ``insecure=True``; a malformed users file raises
    `ValueError` naming it. The URL is announced through ``say`` only once every check has passed.
    """
    if users is None:
        users = auth.load_users_file(users_file) if users_file is not None else auth.users_from_env()
    auth.check_bind(host, authenticated=bool(users), debug=debug, insecure=insecure)
    app = create_app(Path(workspace) / "release", users=users or None)
    shown = f"[{host}]" if ":" in host else host
    say(f"dashboard on http://{shown}:{port}/ (reads {Path(workspace) / 'release'} only"
        + (", basic auth on every route)" if users else ")"))
    if debug:
        app.run(host=host, port=port, debug=True)
        return
    import waitress

    # ident="" sends no Server header (no version banner); threads bound concurrent requests
    waitress.serve(app.server, host=host, port=port, threads=threads, ident="", clear_untrusted_proxy_headers=True)


def _dash_class() -> type:
    """`dash.Dash` whose ``/_dash-layout`` is plain ``json.dumps`` output (``"href": "/map"``).

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


def _shell(release_dir: Path) -> Any:
    """Initial layout: header with nav links to every page, the filter bar, and the slot the router fills."""
    from dash import dcc, html

    try:
        opts = options(load_release(release_dir))
    except (FileNotFoundError, SchemaError, json.JSONDecodeError, UnicodeDecodeError):
        opts = {"mode": [], "domain": [], "language": [], "level": []}
    links = [dcc.Link(p.title, href=p.path, id=_nav_id(p.path), className="nav-link") for p in NAV]
    keep = {"persistence": True, "persistence_type": "session"}

    def dropdown(key: str, value: Any, label: str) -> Any:
        return html.Label([html.Span(label, className="filter-label"),
                           dcc.Dropdown(id=f"f-{key}", options=opts[key], value=value, clearable=False,
                                        searchable=False, className="filter-dropdown", **keep)],
                          className="filter")

    controls = html.Div([
        html.Div([html.Span("Show", className="filter-label"),
                  dcc.RadioItems(id="f-mode", options=opts["mode"], value="all", inline=True,
                                 className="filter-radio", **keep)], className="filter"),
        dropdown("domain", "", "Domain"), dropdown("language", "", "Language"), dropdown("level", -1, "Level"),
        html.Button("Clear filters", id="f-reset", className="button subtle", n_clicks=0),
    ], className="container filter-bar", role="search", **{"aria-label": "Filters for every page"})
    return html.Div([
        dcc.Location(id="url", refresh=False),
        dcc.Store(id="filters"), dcc.Store(id="theme"), dcc.Download(id="download"),
        html.Header(html.Div([dcc.Link("Clio usage", href="/", className="brand"), html.Nav(links)],
                             className="container bar")),
        html.Div(controls, className="filters"),
        html.Main(id="page", className="container"),
        html.Footer(html.Div("Public release tier only: aggregates that passed the privacy gate.",
                             className="container"), className="footer"),
    ])


def _problem(title: str, detail: str) -> Any:
    from dash import html

    return html.Div([html.H1(title), html.P(detail, className="notice bad")], className="page")


def _nav_id(path: str) -> str:
    return "nav-" + (path.strip("/") or "overview")
