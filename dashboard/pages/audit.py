"""Privacy audit page (``/audit``): what the release gate enforced and checked, for a privacy officer."""
from __future__ import annotations

from typing import Any

from dashboard import components as ui
from dashboard import figures
from dashboard.data import Release

INTRO = ("Before anything reaches this dashboard, a release gate drops every cluster seen by too few "
         "distinct people or conversations and re-scans all released text for personal data. This page "
         "records what it enforced and whether each check passed.")
POLICY_WHY = {
    "min_users": "minimum distinct users per released cluster, so no cluster describes one person",
    "min_conversations": "minimum conversations per released cluster",
    "unknown_user_policy": "how conversations without a user id are counted towards the user minimum",
}
REASONS = {
    "below_min_users": "fewer distinct users than the minimum",
    "below_min_conversations": "fewer conversations than the minimum",
}


def layout(release: Release) -> Any:
    from dash import html

    audit = release.audit
    if audit is None:
        return ui.page("Privacy audit", INTRO, html.Div([
            html.Strong("No audit.json in this release."),
            " This release did not come through the release gate: treat it as unaudited and do not publish it.",
        ], className="notice bad"))
    return ui.page(
        "Privacy audit", INTRO,
        _verdict(audit),
        ui.section("Policy enforced", _policy(audit.get("policy") or release.summary.get("policy") or {})),
        ui.section("Checks", _checks(audit.get("checks") or [])),
        ui.section("Clusters withheld", _suppressed(audit.get("suppressed") or {}, release.summary),
                   note="Clusters dropped by the thresholds; their conversations appear in no released file."),
        ui.section("PII scanner", ui.kv_table(_scanner(audit.get("scanner") or {}))),
        ui.section("PII removed before clustering",
                   ui.graph(figures.pii_removed(release.summary.get("pii_removed_by_type")), "audit-pii"),
                   note="Counts of scrubbed spans by entity type; no detected value is stored anywhere."),
        ui.section("Release files", _files(release),
                   note="SHA-256 recorded by the release gate, compared with the file served here."),
    )


def _verdict(audit: dict[str, Any]) -> Any:
    from dash import html

    passed = audit.get("passed") if isinstance(audit.get("passed"), bool) else None
    text = {True: "All release checks passed.",
            False: "At least one release check failed: this release must not be published."}
    return html.Div([ui.status(passed), " ", text.get(passed, "The audit did not record an overall result.")],
                    className="verdict " + {True: "ok", False: "bad"}.get(passed, "warn"))


def _policy(policy: dict[str, Any]) -> Any:
    rows = [(f"{k} — {POLICY_WHY[k]}" if k in POLICY_WHY else k, v) for k, v in policy.items()]
    return ui.kv_table(rows) if rows else _none("No policy recorded.")


def _checks(checks: list[dict[str, Any]]) -> Any:
    if not checks:
        return _none("No checks recorded.")
    return ui.table(["Check", "Result", "Detail"],
                    [[c.get("name"), ui.status(c.get("passed")), c.get("detail")] for c in checks])


def _suppressed(suppressed: dict[str, Any], summary: dict[str, Any]) -> Any:
    from dash import html

    rows = [[REASONS.get(k, str(k).replace("_", " ")), ui.count(v)] for k, v in suppressed.items()]
    released = summary.get("clusters_released")
    tail = html.P(f"Clusters released: {ui.count(released)}.", className="note") if released is not None else None
    return html.Div([ui.table(["Reason", "Clusters"], rows) if rows else _none("Nothing was withheld."), tail])


def _scanner(scanner: dict[str, Any]) -> list[tuple[str, Any]]:
    known = [("engine", scanner.get("engine")), ("version", scanner.get("version")),
             ("NLP model", scanner.get("nlp_model")), ("score threshold", scanner.get("threshold"))]
    extra = [(str(k), v) for k, v in scanner.items() if k not in {"engine", "version", "nlp_model", "threshold"}]
    return known + extra


def _files(release: Release) -> Any:
    rows = release.file_digests()
    if not rows:
        return _none("No file hashes recorded.")
    return ui.table(["File", "Recorded SHA-256", "File on disk"],
                    [[name, _short(recorded), _match(recorded, actual)] for name, recorded, actual in rows],
                    class_name="grid mono")


def _match(recorded: str, actual: str | None) -> Any:
    from dash import html

    if actual is None:
        return html.Span("missing", className="badge warn")
    ok = actual.lower() == recorded.lower()
    return html.Span("matches" if ok else "differs", className="badge " + ("ok" if ok else "bad"))


def _short(digest: str) -> Any:
    from dash import html

    return html.Span(digest[:16] + "…" if len(digest) > 16 else digest, title=digest)


def _none(text: str) -> Any:
    from dash import html

    return html.P(text, className="note")
