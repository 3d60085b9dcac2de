"""Overview page (``/``): run totals, the coverage headline, quizzing vs asking, PII removed."""
from __future__ import annotations

from typing import Any

from dashboard import components as ui
from dashboard import figures
from dashboard.data import Release

COVERAGE_COMMAND = "clio coverage ..."


def layout(release: Release) -> Any:
    from dash import html

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
            ("clusters suppressed", ui.count(s.get("clusters_suppressed"))),
            ("unclustered", ui.pct(s.get("unclustered_share", release.clusters_doc.get("unclustered_share")))),
        ]),
        ui.section("Benchmark coverage", _coverage_headline(release)),
        html.Div([
            ui.section("Quizzing vs asking", ui.graph(figures.quizzing_vs_asking(s)),
                       note="Quizzing: testing the model (trivia, exam questions, puzzles). "
                            "Asking: using it for a real need."),
            ui.section("PII removed before clustering", ui.graph(figures.pii_removed(s.get("pii_removed_by_type"))),
                       note="Counts of scrubbed spans by entity type; the values themselves are never kept."),
        ], className="two-col"),
        ui.section("Largest top-level clusters", _top_table(release)),
        ui.section("About this release", ui.kv_table(_about(s))),
    )


def _coverage_headline(release: Release) -> Any:
    from dash import html

    cov = release.summary.get("coverage") or release.coverage
    if not cov:
        return ui.not_computed("Benchmark coverage", COVERAGE_COMMAND)
    return html.Div([
        html.P(str(cov.get("headline") or ""), className="headline"),
        ui.stats([("usage no benchmark item reaches", ui.pct(cov.get("uncovered_usage_share")))]),
    ])


def _top_table(release: Release) -> Any:
    from dash import html

    tops = release.top_clusters()[:15]
    if not tops:
        return html.P("No clusters were released.", className="note")
    return ui.table(
        ["Cluster", "Conversations", "Share", "Quizzing share"],
        [[c.get("name") or c.get("id"), ui.count(c.get("conversations")), ui.pct(c.get("share"), 1),
          ui.pct(c.get("quizzing_share"))] for c in tops],
    )


def _about(summary: dict[str, Any]) -> list[tuple[str, Any]]:
    policy = summary.get("policy") or {}
    return [
        ("created", summary.get("created_at")),
        ("embedding model", summary.get("embedding_model")),
        ("minimum distinct users per cluster", policy.get("min_users")),
        ("minimum conversations per cluster", policy.get("min_conversations")),
    ]
