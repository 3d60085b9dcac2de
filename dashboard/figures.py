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
MAX_COVERAGE_CLUSTERS = 25


def treemap(clusters: list[dict[str, Any]]) -> Any:
    """Hierarchy as a treemap (top -> base), area = conversations, colour = quizzing share.

    A parent's area is at least the sum of its released children, so suppressed siblings or rounding
    never make plotly drop a branch.
    """
    import plotly.graph_objects as go

    by_id = {str(c.get("id")): c for c in clusters if c.get("id") is not None}
    if not by_id:
        return empty("No clusters were released.")
    values = _branch_totals(by_id)
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
        marker={"colors": colors, "colorscale": SHARE_SCALE, "cmin": 0, "cmax": 1,
                "colorbar": {"title": {"text": "Quizzing share"}, "tickformat": ".0%"}},
        hovertemplate="%{label}<br>%{value:,.0f} conversations<br>quizzing share %{customdata:.0%}<extra></extra>",
        maxdepth=3,
    ))
    return _style(fig, height=560)


def cluster_map(clusters: list[dict[str, Any]]) -> Any:
    """Base clusters at their 2-D map position, sized by conversations, coloured by quizzing share."""
    import plotly.graph_objects as go

    pts = [c for c in clusters if c.get("x") is not None and c.get("y") is not None]
    if not pts:
        return empty("No map coordinates in this release.")
    sizes = [num(c.get("conversations")) for c in pts]
    biggest = max(sizes) or 1.0
    fig = go.Figure(go.Scatter(
        x=[num(c.get("x")) for c in pts], y=[num(c.get("y")) for c in pts], mode="markers",
        text=[plain(c.get("name") or c.get("id")) for c in pts], customdata=sizes,
        marker={"size": [8 + 40 * (s / biggest) ** 0.5 for s in sizes],
                "color": [num(c.get("quizzing_share")) for c in pts], "colorscale": SHARE_SCALE,
                "cmin": 0, "cmax": 1, "line": {"width": 1, "color": "white"},
                "colorbar": {"title": {"text": "Quizzing share"}, "tickformat": ".0%"}},
        hovertemplate="%{text}<br>%{customdata:,.0f} conversations<extra></extra>",
    ))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _style(fig, height=460)


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


def coverage_bars(coverage: dict[str, Any] | None, limit: int = MAX_COVERAGE_CLUSTERS) -> Any:
    """Per cluster: share of real usage next to each benchmark's share of items (largest clusters)."""
    import plotly.graph_objects as go

    rows = sorted((coverage or {}).get("clusters") or [], key=lambda c: -num(c.get("usage_share")))[:limit]
    if not rows:
        return empty("No per-cluster coverage in this release.")
    rows = rows[::-1]  # horizontal bars draw bottom-up; keep the largest cluster on top
    names = _unique_labels([plain(c.get("name") or c.get("id")) for c in rows])
    benchmarks = _benchmark_names(coverage or {})
    fig = go.Figure()
    fig.add_trace(go.Bar(
        name="Real usage", y=names, x=[num(c.get("usage_share")) for c in rows], orientation="h",
        marker={"color": USAGE_COLOR}, hovertemplate="%{y}<br>usage %{x:.1%}<extra></extra>",
    ))
    for b in benchmarks:
        fig.add_trace(go.Bar(
            name=plain(b), y=names, x=[num((c.get("benchmark_shares") or {}).get(b)) for c in rows],
            orientation="h", hovertemplate="%{y}<br>%{fullData.name} %{x:.1%}<extra></extra>",
        ))
    fig.update_layout(barmode="group", xaxis_tickformat=".0%", xaxis_title="share",
                      legend={"orientation": "h", "y": 1.02, "yanchor": "bottom"})
    return _style(fig, height=max(320, 80 + len(rows) * (14 + 8 * (1 + len(benchmarks)))))


def js_divergence(coverage: dict[str, Any] | None) -> Any:
    """Jensen-Shannon divergence between each benchmark's cluster mix and real usage (0 = same mix)."""
    import plotly.graph_objects as go

    rows = [b for b in (coverage or {}).get("benchmarks") or [] if b.get("js_divergence") is not None]
    if not rows:
        return empty("No benchmark divergences in this release.")
    rows = sorted(rows, key=lambda b: num(b.get("js_divergence")))
    fig = go.Figure(go.Bar(
        x=[plain(b.get("name")) for b in rows], y=[num(b.get("js_divergence")) for b in rows],
        marker={"color": QUIZ_COLOR}, hovertemplate="%{x}: %{y:.3f}<extra></extra>",
    ))
    fig.update_layout(yaxis_title="JS divergence from usage", yaxis_range=[0, 1])
    fig.update_xaxes(type="category")
    return _style(fig, height=340)


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
                      font={"family": "system-ui, -apple-system, Segoe UI, sans-serif", "size": 12})
    return fig


def _branch_totals(by_id: dict[str, dict[str, Any]]) -> dict[str, float]:
    """Conversations per node, raised where needed so each parent >= the sum of its children."""
    kids: dict[str, list[str]] = {}
    for cid, c in by_id.items():
        if c.get("parent") is not None and str(c["parent"]) in by_id:
            kids.setdefault(str(c["parent"]), []).append(cid)
    totals: dict[str, float] = {}

    def total(cid: str, seen: frozenset[str]) -> float:
        if cid not in totals:
            below = sum(total(k, seen | {cid}) for k in kids.get(cid, []) if k not in seen | {cid})
            totals[cid] = max(num(by_id[cid].get("conversations")), below)
        return totals[cid]

    for cid in by_id:
        total(cid, frozenset())
    return totals


def _weighted_quizzing(clusters: list[dict[str, Any]]) -> float:
    weight = sum(num(c.get("conversations")) for c in clusters)
    if not weight:
        return 0.0
    return sum(num(c.get("quizzing_share")) * num(c.get("conversations")) for c in clusters) / weight


def _benchmark_names(coverage: dict[str, Any]) -> list[str]:
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
