"""Plotly figures built from released aggregates: plain data in, `go.Figure` out, no Dash.

Released strings (cluster and benchmark names) go into figures only as data values (labels, axis
categories), passed through `plain` first: plotly reads a small HTML subset in text, so ``<`` and ``&``
are entity-escaped and a name is shown literally. Hover templates reference names through
``%{label}``-style fields, never by string concatenation.
"""
from __future__ import annotations

import html
from typing import Any

from dashboard.data import num

QUIZ_COLOR = "#d9822b"
ASK_COLOR = "#2b6cb0"
USAGE_COLOR = "#4a5568"
SHARE_SCALE = [[0.0, ASK_COLOR], [0.5, "#e2e8f0"], [1.0, QUIZ_COLOR]]
QUIZ_BAR = {"title": {"text": "Quizzing share", "side": "top"}, "tickformat": ".0%", "thickness": 10, "len": 0.5,
            "orientation": "h", "x": 0.5, "xanchor": "center", "y": -0.02, "yanchor": "top"}
MAX_COVERAGE_CLUSTERS = 25
MAX_COVERAGE_BARS = 150  # bars in one usage-vs-benchmarks figure: with many benchmarks it shows fewer clusters


CATEGORY_COLORS = ["#2b6cb0", "#d9822b", "#2f855a", "#9f7aea", "#c53030", "#319795", "#b7791f", "#d53f8c",
                   "#4a5568", "#38a169", "#3182ce", "#dd6b20"]
BENCHMARK_COLORS = [c for c in CATEGORY_COLORS if c != USAGE_COLOR]  # never the grey of real usage
CONTEXT = "context"  # a treemap node shown only because a filtered descendant sits under it


def treemap(clusters: list[dict[str, Any]], context_ids: Any = ()) -> Any:
    """Hierarchy as a treemap (top -> base), area = conversations, colour = quizzing share.

    A parent's area is at least the sum of its released children, so suppressed siblings or rounding
    never make plotly drop a branch. Nodes in ``context_ids`` (ancestors kept so filtered clusters have a
    place) are sized by their shown children only.
    """
    import plotly.graph_objects as go

    by_id = {str(c.get("id")): c for c in clusters if c.get("id") is not None}
    if not by_id:
        return empty("No clusters match.")
    values = _branch_totals(by_id, {str(i) for i in context_ids})
    root = "__all__"
    ids, labels, parents, sizes, colors = [root], ["All released clusters"], [""], [0.0], [None]
    for cid, c in by_id.items():
        parent = str(c.get("parent")) if c.get("parent") is not None else ""
        ids.append(cid)
        labels.append(plain(c.get("name") or cid))
        parents.append(parent if parent in by_id else root)
        sizes.append(values[cid])
        colors.append(num(c.get("quizzing_share"), 0.0))
    roots = [by_id[cid] for cid, p in zip(ids, parents) if p == root]
    sizes[0] = sum(values[str(c["id"])] for c in roots)
    colors[0] = _weighted_quizzing(roots)
    fig = go.Figure(go.Treemap(
        ids=ids, labels=labels, parents=parents, values=sizes, branchvalues="total", customdata=colors,
        marker={"colors": colors, "colorscale": SHARE_SCALE, "cmin": 0, "cmax": 1, "colorbar": QUIZ_BAR},
        hovertemplate="%{label}<br>%{value:,.0f} conversations<br>quizzing share %{customdata:.0%}<extra></extra>",
        maxdepth=3,
    ))
    return _style(fig, height=520)


def cluster_map(clusters: list[dict[str, Any]], color_by: str = "quizzing",
                categories: dict[str, str] | None = None, labels: int = 6) -> Any:
    """Released clusters at their 2-D map position: one marker per cluster, never per conversation.

    Size = share of conversations; colour = quizzing share, or (``color_by="category"``) the top-level
    category from ``categories`` (cluster id -> category name). ``customdata[0]`` is the cluster id, so a
    click can open the cluster; the ``labels`` largest clusters carry a short label.
    """
    import plotly.graph_objects as go

    pts = [c for c in clusters if c.get("x") is not None and c.get("y") is not None and c.get("id") is not None]
    if not pts:
        return empty("No clusters with map positions match.")
    shares = [_share(c) for c in pts]
    biggest = max(shares) or 1.0
    labelled = {id(c) for c in sorted(pts, key=_share, reverse=True)[:labels]}
    hover = ("<b>%{customdata[4]}</b><br>%{customdata[2]}<br>share %{customdata[1]:.1%} · "
             "quizzing %{customdata[3]:.0%}<extra></extra>")

    def trace(group: list[dict[str, Any]], **kw: Any) -> Any:
        return go.Scatter(
            x=[num(c.get("x")) for c in group], y=[num(c.get("y")) for c in group], mode="markers+text",
            text=[_short(c.get("name") or c.get("id")) if id(c) in labelled else "" for c in group],
            textposition="top center", textfont={"size": 10},
            customdata=[[str(c.get("id")), _share(c), _wrap(c.get("description")), num(c.get("quizzing_share")),
                         plain(c.get("name") or c.get("id"))] for c in group],
            hovertemplate=hover, **kw)

    size = {id(c): 10 + 42 * (s / biggest) ** 0.5 for c, s in zip(pts, shares)}
    if color_by == "category":
        groups: dict[str, list[dict[str, Any]]] = {}
        for c in pts:
            groups.setdefault((categories or {}).get(str(c.get("id")), "Other"), []).append(c)
        order = sorted(groups, key=lambda g: -sum(_share(c) for c in groups[g]))
        fig = go.Figure([trace(groups[g], name=plain(g), marker={
            "size": [size[id(c)] for c in groups[g]], "color": CATEGORY_COLORS[i % len(CATEGORY_COLORS)],
            "line": {"width": 1, "color": "white"}, "opacity": 0.85}) for i, g in enumerate(order)])
        fig.update_layout(legend={"orientation": "h", "y": -0.02, "yanchor": "top", "title": {"text": ""}})
    else:
        fig = go.Figure(trace(pts, showlegend=False, marker={
            "size": [size[id(c)] for c in pts], "color": [num(c.get("quizzing_share")) for c in pts],
            "colorscale": SHARE_SCALE, "cmin": 0, "cmax": 1, "line": {"width": 1, "color": "white"},
            "opacity": 0.9, "colorbar": QUIZ_BAR}))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    fig.update_layout(clickmode="event", dragmode="pan", hoverlabel={"align": "left"})
    return _style(fig, height=560)


def quizzing_vs_asking(summary: dict[str, Any]) -> Any:
    """Share of conversations that test the model (quizzing) versus use it for a need (asking)."""
    import plotly.graph_objects as go

    quiz, ask = summary.get("quizzing_share"), summary.get("asking_share")
    if quiz is None and ask is None:
        return empty("Quizzing/asking split not in this release.")
    quiz = num(quiz, 1.0 - num(ask))
    ask = num(ask, 1.0 - quiz)
    fig = go.Figure(go.Pie(
        labels=["Asking", "Quizzing"], values=[ask, quiz], hole=0.55, sort=False,
        marker={"colors": [ASK_COLOR, QUIZ_COLOR]}, textinfo="label+percent",
        hovertemplate="%{label}: %{percent}<extra></extra>",
    ))
    fig.update_layout(showlegend=False)
    return _style(fig, height=320)


def pii_removed(by_type: dict[str, Any] | None) -> Any:
    """Horizontal bar of PII spans removed per entity type (counts only, never values)."""
    import plotly.graph_objects as go

    items = sorted(((plain(k), num(v)) for k, v in (by_type or {}).items()), key=lambda kv: kv[1])
    if not items:
        return empty("No PII counts in this release.")
    fig = go.Figure(go.Bar(
        x=[v for _, v in items], y=[k for k, _ in items], orientation="h", marker={"color": USAGE_COLOR},
        hovertemplate="%{y}: %{x:,.0f} removed<extra></extra>",
    ))
    fig.update_layout(xaxis_title="spans removed")
    return _style(fig, height=max(240, 60 + 28 * len(items)))


def coverage_bars(coverage: dict[str, Any] | None, benchmarks: list[str] | None = None,
                  limit: int = MAX_COVERAGE_CLUSTERS) -> Any:
    """Per cluster: share of real usage next to each selected benchmark's share of items (largest clusters)."""
    rows = sorted((coverage or {}).get("clusters") or [], key=lambda c: -num(c.get("usage_share")))[:limit]
    chosen = benchmark_names(coverage or {}) if benchmarks is None else benchmarks
    return usage_vs_benchmarks(rows, chosen, "No per-cluster coverage matches.")


def clusters_shown(n_benchmarks: int) -> int:
    """How many clusters a usage-vs-benchmarks figure shows: 25 with a few benchmarks, fewer (at least 8) with many,
    so nine real benchmarks still give a readable figure (the tables list every cluster)."""
    return max(8, min(MAX_COVERAGE_CLUSTERS, MAX_COVERAGE_BARS // (1 + max(n_benchmarks, 1))))


def usage_vs_benchmarks(rows: list[dict[str, Any]], benchmarks: list[str], none: str = "Nothing to compare.") -> Any:
    """Grouped horizontal bars: ``usage_share`` and ``benchmark_shares[b]`` for each row (``name``) in order."""
    import plotly.graph_objects as go

    if not rows:
        return empty(none)
    rows = rows[::-1]  # horizontal bars draw bottom-up; keep the first row on top
    names = _unique_labels([plain(c.get("name") or c.get("id")) for c in rows])
    fig = go.Figure()
    fig.add_trace(go.Bar(
        name="Real usage", y=names, x=[num(c.get("usage_share")) for c in rows], orientation="h",
        marker={"color": USAGE_COLOR},
        hovertemplate="%{y}<br>usage %{x:.1%} of clustered conversations<extra></extra>",
    ))
    for i, b in enumerate(benchmarks):
        fig.add_trace(go.Bar(
            name=plain(b), y=names, x=[num((c.get("benchmark_shares") or {}).get(b)) for c in rows],
            orientation="h", marker={"color": BENCHMARK_COLORS[(i + 1) % len(BENCHMARK_COLORS)]},
            hovertemplate="%{y}<br>%{fullData.name} %{x:.1%}<extra></extra>",
        ))
    fig.update_layout(barmode="group", xaxis_tickformat=".0%",
                      xaxis_title="share (usage: of clustered conversations; benchmarks: of their items)",
                      legend={"orientation": "h", "y": 1.02, "yanchor": "bottom"})
    fig.update_yaxes(automargin=True)
    return _style(fig, height=max(320, 90 + len(rows) * (14 + 8 * (1 + len(benchmarks)))))


def js_divergence(coverage: dict[str, Any] | None, benchmarks: list[str] | None = None) -> Any:
    """Jensen-Shannon divergence between each benchmark's cluster mix and real usage (0 = same mix), with its 95%
    bootstrap interval as error bars when the release has one."""
    return _benchmark_bars(coverage, benchmarks, "js_divergence", "JS divergence from usage", QUIZ_COLOR,
                           "No benchmark divergences to show.", (0, 1))


def realism(coverage: dict[str, Any] | None, benchmarks: list[str] | None = None) -> Any:
    """Each benchmark's realism (usage it reaches relative to held-apart usage's own reach), with 95% intervals."""
    return _benchmark_bars(coverage, benchmarks, "realism", "realism (1 = as near usage as usage is)", ASK_COLOR,
                           "This release has no realism figures (re-run clio coverage).", None, descending=True)


def _benchmark_bars(coverage: dict[str, Any] | None, benchmarks: list[str] | None, key: str, title: str, color: str,
                    none: str, y_range: tuple[float, float] | None, descending: bool = False) -> Any:
    import plotly.graph_objects as go

    rows = [b for b in (coverage or {}).get("benchmarks") or [] if b.get(key) is not None
            and (benchmarks is None or str(b.get("name")) in benchmarks)]
    if not rows:
        return empty(none)
    rows = sorted(rows, key=lambda b: -num(b.get(key)) if descending else num(b.get(key)))
    y = [num(b.get(key)) for b in rows]
    cis = [b.get(f"{key}_ci") for b in rows]
    has_ci = all(isinstance(c, list) and len(c) == 2 for c in cis)
    error = ({"type": "data", "symmetric": False, "array": [max(num(c[1]) - v, 0.0) for c, v in zip(cis, y)],
              "arrayminus": [max(v - num(c[0]), 0.0) for c, v in zip(cis, y)], "color": USAGE_COLOR}
             if has_ci else None)
    fig = go.Figure(go.Bar(
        x=[plain(b.get("name")) for b in rows], y=y, marker={"color": color}, error_y=error,
        hovertemplate="%{x}: %{y:.3f}<extra></extra>",
    ))
    fig.update_layout(yaxis_title=title)
    if y_range:
        fig.update_layout(yaxis_range=list(y_range))
    fig.update_xaxes(type="category")
    return _style(fig, height=340)


def quizzing_compare(usage_quizzing: Any, benchmarks: list[dict[str, Any]]) -> Any:
    """100% bars: asking vs quizzing share of real usage and of each benchmark's items."""
    import plotly.graph_objects as go

    rows = [("Real usage", usage_quizzing)] + [(str(b.get("name")), b.get("quizzing_share")) for b in benchmarks]
    rows = [(plain(n), num(q)) for n, q in rows if q is not None]
    if not rows:
        return empty("No quizzing shares in this release.")
    names = _unique_labels([n for n, _ in rows])[::-1]
    quiz = [q for _, q in rows][::-1]
    fig = go.Figure([
        go.Bar(name="Asking", y=names, x=[1 - q for q in quiz], orientation="h", marker={"color": ASK_COLOR},
               hovertemplate="%{y}: asking %{x:.0%}<extra></extra>"),
        go.Bar(name="Quizzing", y=names, x=quiz, orientation="h", marker={"color": QUIZ_COLOR},
               hovertemplate="%{y}: quizzing %{x:.0%}<extra></extra>"),
    ])
    fig.update_layout(barmode="stack", xaxis_tickformat=".0%", xaxis_range=[0, 1],
                      legend={"orientation": "h", "y": 1.02, "yanchor": "bottom"})
    fig.update_yaxes(automargin=True)
    return _style(fig, height=max(220, 90 + 34 * len(rows)))


def share_bars(rows: list[tuple[str, float, float | None]], x_title: str = "share of conversations") -> Any:
    """Horizontal bars of ``(label, share, quizzing share or None)``, largest on top, coloured by quizzing."""
    import plotly.graph_objects as go

    if not rows:
        return empty("Nothing matches the filters.")
    rows = sorted(rows, key=lambda r: r[1])
    fig = go.Figure(go.Bar(
        y=_unique_labels([plain(r[0]) for r in rows]), x=[r[1] for r in rows], orientation="h",
        customdata=[num(r[2]) for r in rows],
        marker={"color": [num(r[2]) for r in rows], "colorscale": SHARE_SCALE, "cmin": 0, "cmax": 1,
                "colorbar": {**QUIZ_BAR, "y": -0.25}},
        hovertemplate="%{y}<br>%{x:.1%} · quizzing %{customdata:.0%}<extra></extra>",
    ))
    fig.update_layout(xaxis_tickformat=".0%", xaxis_title=x_title)
    fig.update_yaxes(automargin=True)
    return _style(fig, height=max(300, 130 + 30 * len(rows)))


def mix(shares: dict[str, Any] | None, what: str) -> Any:
    """Horizontal bar of a released mix (languages, domains, quizzing/asking): ``{label: share}``."""
    import plotly.graph_objects as go

    items = sorted(((plain(k), num(v)) for k, v in (shares or {}).items()), key=lambda kv: kv[1])
    if not items:
        return empty(f"No {what} in this release.")
    colors = [{"quizzing": QUIZ_COLOR}.get(k, ASK_COLOR) for k, _ in items]
    fig = go.Figure(go.Bar(x=[v for _, v in items], y=[k for k, _ in items], orientation="h",
                           marker={"color": colors}, hovertemplate="%{y}: %{x:.0%}<extra></extra>"))
    fig.update_layout(xaxis_tickformat=".0%", xaxis_range=[0, 1], xaxis_title=f"share ({what})")
    fig.update_yaxes(type="category", automargin=True)
    return _style(fig, height=max(180, 70 + 28 * len(items)))


def suite_weights(node_weights: dict[str, Any] | None) -> Any:
    """Taxonomy nodes (``"Category / Subcategory / Task"``) as a treemap sized by usage weight."""
    import plotly.graph_objects as go

    weights = {str(k): num(v) for k, v in (node_weights or {}).items() if num(v) > 0}
    if not weights:
        return empty("No taxonomy weights in this suite.")
    totals: dict[str, float] = {}
    for path, w in weights.items():
        parts = [p.strip() for p in path.split("/") if p.strip()] or [path]
        for depth in range(1, len(parts) + 1):
            key = " / ".join(parts[:depth])
            totals[key] = totals.get(key, 0.0) + w
    ids = list(totals)
    parents = [" / ".join(i.split(" / ")[:-1]) for i in ids]
    fig = go.Figure(go.Treemap(
        ids=[plain(i) for i in ids], parents=[plain(p) for p in parents],
        labels=[plain(i.split(" / ")[-1]) for i in ids], values=[totals[i] for i in ids], branchvalues="total",
        hovertemplate="%{label}<br>usage weight %{value:.1%}<extra></extra>", texttemplate="%{label}<br>%{value:.0%}",
    ))
    return _style(fig, height=420)


def themed(fig: Any, dark: bool) -> Any:
    """The figure restyled for a dark or light page (transparent background either way)."""
    fig.update_layout(template="plotly_dark" if dark else "plotly_white",
                      paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)")
    return fig


def plain(value: Any) -> str:
    """Released text for a plotly label: entity-escaped so plotly shows it verbatim, never as markup."""
    return html.escape(str(value), quote=False)


def empty(message: str) -> Any:
    """A blank figure carrying a short message, so a page never shows a broken chart."""
    import plotly.graph_objects as go

    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                       font={"size": 14, "color": "#718096"})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _style(fig, height=220)


def _style(fig: Any, height: int) -> Any:
    fig.update_layout(template="plotly_white", height=height, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
                      font={"family": "system-ui, -apple-system, Segoe UI, sans-serif", "size": 12})
    return fig


def _share(c: dict[str, Any]) -> float:
    return num(c.get("share"), num(c.get("conversations")))


def _short(value: Any, width: int = 26) -> str:
    text = str(value)
    return plain(text if len(text) <= width else text[: width - 1] + "…")


def _wrap(value: Any, width: int = 60, max_lines: int = 4) -> str:
    """Escaped text with ``<br>`` line breaks for a hover label (the only markup added is ours)."""
    import textwrap

    lines = textwrap.wrap(str(value or ""), width)
    if len(lines) > max_lines:
        lines = lines[:max_lines - 1] + [lines[max_lines - 1][: width - 1] + "…"]
    return "<br>".join(plain(line) for line in lines)


def _branch_totals(by_id: dict[str, dict[str, Any]], context: set[str] | None = None) -> dict[str, float]:
    """Conversations per node, raised where needed so each parent >= the sum of its children.

    Nodes in ``context`` count only their shown children (they are there to hold filtered descendants).
    """
    context = context or set()
    kids: dict[str, list[str]] = {}
    for cid, c in by_id.items():
        if c.get("parent") is not None and str(c["parent"]) in by_id:
            kids.setdefault(str(c["parent"]), []).append(cid)
    totals: dict[str, float] = {}

    def total(cid: str, seen: frozenset[str]) -> float:
        if cid not in totals:
            below = sum(total(k, seen | {cid}) for k in kids.get(cid, []) if k not in seen | {cid})
            own = 0.0 if cid in context else num(by_id[cid].get("conversations"))
            totals[cid] = max(own, below)
        return totals[cid]

    for cid in by_id:
        total(cid, frozenset())
    return totals


def _weighted_quizzing(clusters: list[dict[str, Any]]) -> float:
    weight = sum(num(c.get("conversations")) for c in clusters)
    if not weight:
        return 0.0
    return sum(num(c.get("quizzing_share")) * num(c.get("conversations")) for c in clusters) / weight


def benchmark_names(coverage: dict[str, Any]) -> list[str]:
    """Benchmarks named in a coverage report, in report order."""
    names = [str(b.get("name")) for b in coverage.get("benchmarks") or [] if b.get("name") is not None]
    for c in coverage.get("clusters") or []:
        names += [str(k) for k in (c.get("benchmark_shares") or {}) if str(k) not in names]
    return list(dict.fromkeys(names))


def _unique_labels(labels: list[str]) -> list[str]:
    """Category axes merge equal labels; suffix repeats so two clusters never share a bar."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out
