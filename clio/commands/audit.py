"""`clio audit`: re-check a workspace's release against its recorded policy and hashes."""
from __future__ import annotations

import json
from pathlib import Path

from clio.workspace import Workspace
from privacy.audit import AuditReport


def run_audit(workspace: Path, canaries_file: Path | None = None) -> AuditReport:
    from clio.pipeline import audit_workspace, config_from_manifest
    from privacy.scrub import Scrubber

    ws = Workspace(workspace)
    if not ws.release_path("clusters.json").exists():
        raise FileNotFoundError(f"{workspace}: no release to audit; run `clio run` first")
    cfg = config_from_manifest(ws)
    recorded = None
    if ws.release_path("audit.json").exists():
        recorded = json.loads(ws.release_path("audit.json").read_text()).get("files", {})
    canaries = None
    if canaries_file:
        canaries = [line.strip() for line in Path(canaries_file).read_text(encoding="utf-8").splitlines()
                    if line.strip()]
    rep = audit_workspace(ws, cfg, Scrubber(cfg.scrub), canaries=canaries, recorded_hashes=recorded)
    if recorded is None:
        rep.add("audit_record", False, "release/audit.json is missing: this release was not produced by the gate")
    return rep
