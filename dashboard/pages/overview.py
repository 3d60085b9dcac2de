"""Overview page (``/``): run facts, quizzing vs asking, top-level categories, what was withheld, coverage."""
from __future__ import annotations

from typing import Any

from dashboard import components as ui
from dashboard import figures
from dashboard.data import Release, num
from dashboard.filters import View
from dashboard.pages.audit import REASONS

COVERAGE_COMMAND = "clio coverage ..."
DATE_KEYS = ("first_timestamp", "last_timestamp", "date_from", "date_to", "period")
MODEL_KEYS = ("embedding_model", "facet_backend", "facet_model", "llm_model", "namer_model", "reducer", "clusterer")


def layout(release: Release, view: View | None = None) -> Any:
    from dash import html

    view = view or View()
    s = release.summary
    return ui.page(
        "Overview",
        "What people use the model for, from the audited public release. Every number here is an "
        "aggregate over clusters that passed the privacy thresholds.",
        ui.stats([
            ("conversations read", ui.count(s.get("read"))),
            ("accepted", ui.count(s.get("accepted"))),
            ("quarantined", ui.count(s.get("quarantined"))),
            ("clusters released", ui.count(s.get("clusters_released", len(release.base_clusters())))),
            ("clusters withheld", ui.count(s.get("clusters_suppressed"))),
            ("unclustered", ui.pct(s.get("unclustered_share", release.clusters_doc.get("unclustered_share")))),
        ]),
        ui.section("Benchmark coverage", _coverage_headline(release)),
        html.Div([
            ui.section("Quizzing vs asking", ui.graph(figures.quizzing_vs_asking(s), "overview-quizzing"),
                       note="Quizzing: testing the model (trivia, exam questions, puzzles). "
                            "Asking: using it for a real need."),
            ui.section("What was withheld, and why", _withheld(release),
                       note="Clusters below the privacy thresholds are not released at all; released strings "
                            "that the second PII scan flagged were dropped."),
        ], className="two-col"),
        ui.section("Top-level categories by share",
                   ui.filter_note(view.filters.describe(with_level=False)),
                   ui.graph(figures.share_bars(category_shares(release, view)), "overview-categories"),
                   note="Share of all conversations in each top-level category (from the released base "
                        "clusters that match the filters); colour = quizzing share."),
        ui.section("About this run", ui.kv_table("overview-facts", run_facts(release))),
        ui.section("PII removed before clustering",
                   ui.graph(figures.pii_removed(s.get("pii_removed_by_type")), "overview-pii"),
                   note="Counts of scrubbed spans by entity type; the values themselves are never kept."),
    )


def category_shares(release: Release, view: View) -> list[tuple[str, float, float | None]]:
    """``(top-level name, share, quizzing share)``: matching base clusters' shares summed per top level."""
    totals: dict[str, list[float]] = {}
    names: dict[str, str] = {}
    for c in release.base_clusters():
        if not view.filters.matches(c):
            continue
        root = release.root_of(c.get("id")) or c
        key = str(root.get("id"))
        names[key] = str(root.get("name") or key)
        share = num(c.get("share"))
        t = totals.setdefault(key, [0.0, 0.0])
        t[0] += share
        t[1] += share * num(c.get("quizzing_share"))
    return [(names[k], share, quiz / share if share else None) for k, (share, quiz) in totals.items()]


def run_facts(release: Release) -> list[tuple[str, Any]]:
    """Sizes, dates, models and thresholds of the run, as (label, value) rows (absent keys skipped)."""
    s = release.summary
    policy = s.get("policy") or (release.audit or {}).get("policy") or {}
    rows: list[tuple[str, Any]] = [
        ("created", s.get("created_at")),
        ("conversations read / accepted / quarantined",
         " / ".join(ui.count(s.get(k)) for k in ("read", "accepted", "quarantined"))),
        ("clusters released (base level)", s.get("clusters_released")),
        ("groups released (upper levels)", s.get("groups_released")),
        ("hierarchy levels", ", ".join(f"{i}: {n}" for i, n in enumerate(release.levels))),
        ("share of conversations in released clusters", ui.pct(s.get("released_conversation_share"))),
    ]
    other = s.get("other") or {}
    if other:
        rows.append(("other (unclustered / in clusters under the privacy thresholds)",
                     f"{ui.pct(other.get('share'))} ({ui.pct(other.get('unclustered_share'))} / "
                     f"{ui.pct(other.get('below_thresholds_share'))})"))
    rows += [(k.replace("_", " "), s.get(k)) for k in DATE_KEYS if s.get(k) is not None]
    rows += [(k.replace("_", " "), s.get(k)) for k in MODEL_KEYS if s.get(k) is not None]
    rows += [(f"policy: {k.replace('_', ' ')}", v) for k, v in policy.items()]
    benchmarks = (s.get("coverage") or {}).get("benchmarks") or [
        b.get("name") for b in (release.coverage or {}).get("benchmarks") or []]
    rows += [("benchmarks compared", benchmarks or None)]
    return [(k, v) for k, v in rows if v is not None and v != ""]


def _coverage_headline(release: Release) -> Any:
    from dash import dcc, html

    cov = release.summary.get("coverage") or release.coverage
    if not cov:
        return ui.not_computed("Benchmark coverage", COVERAGE_COMMAND)
    return html.Div([
        html.P(str(cov.get("headline") or ""), className="headline"),
        ui.stats([("usage no benchmark item reaches", ui.pct(cov.get("uncovered_usage_share")))]),
        dcc.Link("Compare usage with each benchmark →", href="/coverage"),
    ])


def _withheld(release: Release) -> Any:
    from dash import dcc, html

    audit = release.audit or {}
    rows = [[REASONS.get(str(k), str(k).replace("_", " ")), "cluster withheld", ui.count(v)]
            for k, v in (audit.get("suppressed") or {}).items()]
    rows += [[str(k).replace("_", " "), "released string dropped", ui.count(v)]
             for k, v in (audit.get("strings_dropped") or {}).items()]
    if not rows and release.summary.get("clusters_suppressed") is not None:
        rows = [["below the release thresholds", "cluster withheld", ui.count(release.summary["clusters_suppressed"])]]
    if not rows:
        return html.P("Nothing was withheld, or this release does not say.", className="note")
    return html.Div([ui.table("overview-withheld", ["Reason", "What", "Count"], rows),
                     dcc.Link("Full privacy audit →", href="/audit")])
