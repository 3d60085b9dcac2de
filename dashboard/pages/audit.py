"""Privacy audit page (``/audit``): what the release gate enforced and checked, for a privacy officer."""
from __future__ import annotations

from typing import Any

from dashboard import components as ui
from dashboard import figures
from dashboard.data import Release
from dashboard.filters import View

INTRO = ("Before anything reaches this dashboard, a release gate drops every cluster seen by too few "
         "distinct people or conversations and re-scans all released text for personal data. This page "
         "records what it enforced and whether each check passed. It describes the whole release, so the "
         "filters at the top do not apply here.")
POLICY_WHY = {
    "min_users": "minimum distinct users per released cluster, so no cluster describes one person",
    "min_conversations": "minimum conversations per released cluster",
    "unknown_user_policy": "how conversations without a user id are counted towards the user minimum",
    "rescan_threshold": "score above which the second PII scan drops a released string",
    "differential_privacy": "noise added to every per-cluster statistic (off = exact figures)",
}
REASONS = {
    "below_min_users": "fewer distinct users than the minimum",
    "below_min_conversations": "fewer conversations than the minimum",
}
CHECKS = {
    "files_present": "the expected release files are present",
    "thresholds": "every released cluster meets the user and conversation minimums",
    "no_differencing": "no count can be subtracted from another to reveal a withheld cluster",
    "no_placeholders": "no released string still carries a scrubbing placeholder such as <PERSON>",
    "pii_rescan": "every released string passed a second PII scan",
    "phrase_support": "keywords and examples use only words and phrases many users wrote",
    "no_conversation_ids": "no per-conversation identifier appears in any release file",
    "canaries": "planted test strings appear in no release file",
}


def layout(release: Release, view: View | None = None) -> Any:
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
        html.Div([
            ui.section("Clusters withheld", _suppressed(audit.get("suppressed") or {}, release.summary),
                       note="A cluster that is missing from this release was withheld for one of these reasons. "
                            "Withheld clusters appear in no released file: no id, name, count or example."),
            ui.section("Released strings dropped", _dropped(audit.get("strings_dropped") or {}),
                       note="Names, descriptions, keywords or examples removed because a check flagged them."),
        ], className="two-col"),
        ui.section("PII scanner", ui.kv_table("audit-scanner", _scanner(audit.get("scanner") or {}),
                                              headers=("Setting", "Value"))),
        ui.section("PII removed before clustering",
                   ui.graph(figures.pii_removed(release.summary.get("pii_removed_by_type")), "audit-pii"),
                   note="Counts of scrubbed spans by entity type; no detected value is stored anywhere."),
        ui.section("Release files", _files(release),
                   html.Div([ui.download_button(f) for f in ("audit.md", "audit.json") if f in release.downloadable()],
                            className="buttons"),
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
    rows = [[str(k), v, POLICY_WHY.get(str(k), "")] for k, v in policy.items()]
    if not rows:
        return _none("No policy recorded.")
    return ui.table("audit-policy", ["Setting", "Value", "What it means"], rows)


def _checks(checks: list[dict[str, Any]]) -> Any:
    if not checks:
        return _none("No checks recorded.")
    return ui.table("audit-checks", ["Check", "Result", "What it verifies", "Detail"],
                    [[c.get("name"), ui.status_text(c.get("passed")), CHECKS.get(str(c.get("name")), ""),
                      c.get("detail")] for c in checks if isinstance(c, dict)], status=("Result",))


def _suppressed(suppressed: dict[str, Any], summary: dict[str, Any]) -> Any:
    from dash import html

    rows = [[REASONS.get(str(k), str(k).replace("_", " ")), ui.count(v)] for k, v in suppressed.items()]
    released = summary.get("clusters_released")
    tail = html.P(f"Clusters released: {ui.count(released)}.", className="note") if released is not None else None
    body = ui.table("audit-suppressed", ["Reason", "Clusters"], rows) if rows else _none("Nothing was withheld.")
    return html.Div([body, tail])


def _dropped(dropped: dict[str, Any]) -> Any:
    rows = [[str(k).replace("_", " "), ui.count(v)] for k, v in dropped.items()]
    return ui.table("audit-dropped", ["Check", "Strings"], rows) if rows else _none("No released string was dropped.")


def _scanner(scanner: dict[str, Any]) -> list[tuple[str, Any]]:
    known = [("engine", scanner.get("engine")), ("version", scanner.get("version")),
             ("NLP model", scanner.get("nlp_model")), ("score threshold", scanner.get("threshold"))]
    extra = [(str(k).replace("_", " "), v) for k, v in scanner.items()
             if k not in {"engine", "version", "nlp_model", "threshold"}]
    return known + extra


def _files(release: Release) -> Any:
    rows = release.file_digests()
    if not rows:
        return _none("No file hashes recorded.")
    return ui.table("audit-files", ["File", "Recorded SHA-256", "File on disk"],
                    [[name, recorded, _match(recorded, actual)] for name, recorded, actual in rows],
                    status=("File on disk",))


def _match(recorded: str, actual: str | None) -> str:
    if actual is None:
        return "missing"
    return "matches" if actual.lower() == recorded.lower() else "differs"


def _none(text: str) -> Any:
    from dash import html

    return html.P(text, className="note")
