"""`clio audit`: re-check a workspace's release against its recorded policy and hashes."""
from __future__ import annotations

import json
from pathlib import Path

from clio.workspace import Workspace
from privacy.audit import AuditReport, audit_release


def run_audit(workspace: Path, canaries_file: Path | None = None) -> AuditReport:
    from clio.pipeline import config_from_manifest, load_facets
    from privacy.phrases import PhraseSupport
    from privacy.scrub import Scrubber

    ws = Workspace(workspace)
    cfg = config_from_manifest(ws)
    recorded = None
    if ws.release_path("audit.json").exists():
        recorded = json.loads(ws.release_path("audit.json").read_text()).get("files", {})
    canaries = None
    if canaries_file:
        canaries = [line.strip() for line in Path(canaries_file).read_text(encoding="utf-8").splitlines()
                    if line.strip()]
    support = ids = None
    if ws.private_path("facets.jsonl").exists():
        rows = load_facets(ws)
        support = PhraseSupport(((cfg.release.user_key(r), r.summary) for r in rows), cfg.release.min_users)
        ids = {r.id for r in rows}
    rep = audit_release(ws.release, cfg.release.describe(), Scrubber(cfg.scrub), cfg.release.rescan_threshold,
                        canaries=canaries, support=support, conversation_ids=ids, recorded_hashes=recorded)
    if recorded is None:
        rep.add("audit_record", False, "release/audit.json is missing: this release was not produced by the gate")
    return rep
