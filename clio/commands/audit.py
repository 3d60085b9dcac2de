"""`clio audit`: re-check a workspace's release against its recorded policy and hashes."""
from __future__ import annotations

from pathlib import Path

from privacy.audit import AuditReport
from privacy.public import PublicAudit, SchemaError, read_artifact


def run_audit(workspace: Path, canaries_file: Path | None = None) -> AuditReport:
    from clio.pipeline import audit_workspace

    release = Path(workspace) / "release"
    if not (release / "clusters.json").exists():
        raise FileNotFoundError(f"{workspace}: no release to audit; run `clio run` first")
    recorded, problem = None, None
    try:
        recorded = dict(read_artifact(PublicAudit, release / PublicAudit.FILE).files)
    except FileNotFoundError:
        problem = "release/audit.json is missing: this release was not produced by the gate"
    except SchemaError as e:
        recorded, problem = {}, f"release/audit.json cannot be read: {e}"
    canaries = None
    if canaries_file:
        canaries = [line.strip() for line in Path(canaries_file).read_text(encoding="utf-8").splitlines()
                    if line.strip()]
    rep = audit_workspace(workspace, canaries=canaries, recorded_hashes=recorded)
    if problem:
        rep.add("audit_record", False, problem)
    return rep
