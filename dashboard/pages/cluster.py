"""Cluster page (``/cluster/<id>``): one released cluster, its place in the hierarchy and nearest benchmarks.

The id comes from the URL, i.e. from the client: it is only ever looked up in the release. An id that is
not released gets a page saying so, with the reasons clusters are withheld, and nothing else.
"""
from __future__ import annotations

from typing import Any

from dashboard import components as ui
from dashboard import figures
from dashboard.data import Release, num
from dashboard.filters import View
from dashboard.pages.audit import REASONS

CONCERN_SCALE = "1 = no concern … 5 = severe (mean over the cluster's conversations)"


def layout(release: Release, view: View | None = None) -> Any:
    from dash import dcc, html

    view = view or View()
    c = release.cluster(view.arg) if view.arg else None
    if c is None:
        return missing(release, view.arg)
    quiz = c.get("quizzing_share")
    split = None if quiz is None else {"asking": 1 - num(quiz), "quizzing": num(quiz)}
    chain = release.ancestors(c.get("id"))
    crumbs = [dcc.Link("Explorer", href="/explorer")]
    for a in reversed(chain):
        crumbs += [" / ", ui.cluster_link(a)]
    exemplars = [str(e) for e in c.get("exemplars") or []]
    cid = str(c.get("id"))
    return html.Div([
        html.Nav(crumbs + [" / ", html.Span(str(c.get("name") or cid))], className="crumbs",
                 **{"aria-label": "Breadcrumb"}),
        html.H1(str(c.get("name") or cid)),
        html.P(str(c.get("description") or ""), className="intro"),
        ui.stats([
            ("share of conversations", ui.pct(c.get("share"), 1)),
            ("conversations", ui.count(c.get("conversations"))),
            ("distinct users", ui.count(c.get("users"))),
            ("quizzing / asking", "—" if quiz is None else f"{ui.pct(quiz)} / {ui.pct(1 - num(quiz))}"),
            ("mean turns", "—" if c.get("mean_turns") is None else f"{num(c.get('mean_turns')):.1f}"),
            ("concern level", "—" if c.get("mean_concern") is None else f"{num(c.get('mean_concern')):.1f} / 5"),
        ]),
        html.Div([
            ui.section("Quizzing vs asking", ui.graph(figures.mix(split, "conversations"), "cluster-split")),
            ui.section("Languages", ui.graph(figures.mix(c.get("languages"), "languages"), "cluster-languages")),
            ui.section("Domains", ui.graph(figures.mix(c.get("domains"), "domains"), "cluster-domains")),
            ui.section("Nearest benchmarks", nearest_benchmarks(release, cid),
                       note="Share of each benchmark's items whose nearest usage cluster is this one."),
        ], className="two-col"),
        ui.section("Place in the hierarchy", ui.kv_table("cluster-facts", [
            ("id", cid),
            ("level", f"{int(num(c.get('level')))} ({release.level_name(int(num(c.get('level'))))})"),
            ("parent", release.name_of(c.get("parent")) or None),
            ("top-level category", (release.root_of(cid) or {}).get("name")),
            ("keywords", c.get("keywords") or None),
            ("concern scale", CONCERN_SCALE),
        ])),
        _children(release, cid),
        ui.section("Example requests", html.Ul([html.Li(e) for e in exemplars]) if exemplars else
                   html.P("No examples were released for this cluster.", className="note"),
                   note="Written from scrubbed text and re-scanned for PII before release."),
    ], className="page")


def nearest_benchmarks(release: Release, cluster_id: str) -> Any:
    """Table of benchmarks ranked by how many of their items land in this cluster."""
    from dash import html

    if release.coverage is None:
        return ui.not_computed("Benchmark coverage", "clio coverage ...")
    row = release.coverage_row(cluster_id)
    shares = sorted(((str(b), num(s)) for b, s in ((row or {}).get("benchmark_shares") or {}).items()),
                    key=lambda kv: -kv[1])
    usage = None if row is None else row.get("usage_share")
    if not shares or not any(s > 0 for _, s in shares):
        return html.P("No benchmark item lands in this cluster: usage here is untested by every benchmark "
                      "in the coverage report.", className="notice")
    return ui.table("cluster-benchmarks", ["Benchmark", "Share of its items here", "Share of real usage here"],
                    [[b, ui.pct(s, 1), ui.pct(usage, 1)] for b, s in shares])


def missing(release: Release, cluster_id: Any) -> Any:
    """Page for an id that is not in the release: why clusters go missing, no other detail."""
    from dash import dcc, html

    reasons = (release.audit or {}).get("suppressed") or {}
    why = [html.Li(f"{REASONS.get(str(k), str(k).replace('_', ' '))}: {ui.count(v)} clusters")
           for k, v in reasons.items()]
    return html.Div([
        html.H1("Not in this release"),
        html.P(["There is no released cluster with id ", html.Code(str(cluster_id or "")[:120]), "."],
               className="notice"),
        html.P("A cluster is missing from a release when the release gate withheld it: it had too few distinct "
               "users or conversations, or it was dropped by a privacy check. Withheld clusters are not published "
               "in any form: no id, name, count or example."),
        html.Div([html.H2("Clusters withheld from this release"), html.Ul(why)]) if why else None,
        html.P([dcc.Link("Browse released clusters", href="/explorer"), " · ",
                dcc.Link("Privacy audit", href="/audit")]),
    ], className="page")


def _children(release: Release, cluster_id: str) -> Any:
    from dash import html

    kids = release.children_of(cluster_id)
    if not kids:
        return None
    return ui.section(f"Sub-clusters ({len(kids)})", html.Ul([
        html.Li([ui.cluster_link(k), html.Span(f" — {ui.pct(k.get('share'), 1)} of conversations, "
                                               f"quizzing {ui.pct(k.get('quizzing_share'))}", className="note")])
        for k in kids], className="outline"))
