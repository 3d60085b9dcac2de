"""Map page (``/map``): released clusters at their 2-D positions; click a marker to open the cluster.

One marker per released cluster, sized by share, coloured by quizzing share or top-level category. There
are no per-conversation points: the release has none.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from dashboard import components as ui
from dashboard import figures
from dashboard.data import Release, load_release
from dashboard.filters import Filters, View

COLOR_BY = {"quizzing": "Quizzing share", "category": "Top-level category"}


def layout(release: Release, view: View | None = None) -> Any:
    from dash import dcc, html

    view = view or View()
    return ui.page(
        "Map",
        "Each marker is one released cluster, placed so that clusters with similar requests sit close "
        "together; marker size is the cluster's share of conversations. Hover for its description, click "
        "to open it.",
        ui.section(
            "Cluster map",
            html.Div([html.Span("Colour by", className="filter-label"),
                      dcc.RadioItems(id="map-color", options=[{"label": v, "value": k} for k, v in COLOR_BY.items()],
                                     value="quizzing", inline=True, persistence=True, persistence_type="session",
                                     className="filter-radio")], className="toolbar"),
            ui.filter_note(view.filters.describe()),
            ui.graph(figure(release, view.filters, "quizzing"), "cluster-map"),
            note=_level_note(release, view.filters)),
    )


def figure(release: Release, filters: Filters, color_by: Any) -> Any:
    """The map for the current filters: the chosen level (the base level when none is chosen)."""
    base = min(release.level_numbers() or [0])
    shown = filters.select(release.clusters, default_level=base)
    categories = {str(c.get("id")): str((release.root_of(c.get("id")) or c).get("name") or c.get("id"))
                  for c in shown}
    return figures.cluster_map(shown, "category" if color_by == "category" else "quizzing", categories)


def register(app: Any, release_dir: Path) -> None:
    from dash import Input, Output, State, no_update

    @app.callback(Output("cluster-map", "figure"), Input("map-color", "value"), State("filters", "data"),
                  State("theme", "data"))
    def recolor(color_by: Any, filters: Any, theme: Any) -> Any:
        fig = figure(load_release(release_dir), Filters.from_store(filters), color_by)
        return figures.themed(fig, theme == "dark")

    @app.callback(Output("url", "pathname", allow_duplicate=True), Input("cluster-map", "clickData"),
                  prevent_initial_call=True)
    def open_cluster(click: Any) -> Any:
        cid = clicked_id(click)
        return no_update if cid is None else ui.cluster_href(cid)


def clicked_id(click: Any) -> str | None:
    """The cluster id a plotly click carries in ``customdata[0]`` (None for anything else)."""
    try:
        custom = click["points"][0]["customdata"]
    except (KeyError, IndexError, TypeError):
        return None
    cid = custom[0] if isinstance(custom, list) and custom else None
    return cid if isinstance(cid, str) and cid else None


def _level_note(release: Release, filters: Filters) -> str:
    level = filters.level if filters.level is not None else min(release.level_numbers() or [0])
    return f"Showing level {level} ({release.level_name(level)}); choose another level in the filters above."
