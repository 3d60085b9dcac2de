"""The one door to WORKSPACE/release/: `publish` is the only code that writes there.

It takes public types only (`privacy.public`), refuses any artifact that names a cluster the release does not hold,
writes each file atomically, then re-audits the whole folder and rewrites audit.json and audit.md, so the audit
always describes exactly what is published. Withheld counts (clusters suppressed, strings dropped) come from the
gate with a new release and carry over otherwise.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from privacy.audit import Auditor, release_files
from privacy.files import atomic_write_text
from privacy.public import (
    AUDIT_FILES,
    AuditCheck,
    PublicArtifact,
    PublicAudit,
    PublicClusters,
    SchemaError,
    file_sha256,
    read_artifact,
)


class UnreleasedClusterError(ValueError):
    """An artifact names a cluster that is not in the release."""


@dataclass(frozen=True)
class Withheld:
    """What the gate kept out, by reason: clusters suppressed and released strings dropped (counts only)."""

    suppressed: Mapping[str, int] = field(default_factory=dict)
    strings_dropped: Mapping[str, int] = field(default_factory=dict)


def _released_ids(release_dir: Path, clusters: PublicClusters | None) -> set[str]:
    if clusters is not None:
        return clusters.ids()
    try:
        return read_artifact(PublicClusters, release_dir / PublicClusters.FILE).ids()
    except FileNotFoundError:
        raise UnreleasedClusterError(f"{release_dir} holds no clusters.json: publish the clusters first") from None


def _check_path(rel: str) -> str:
    p = PurePosixPath(rel)
    if p.is_absolute() or ".." in p.parts or p.name in AUDIT_FILES:
        raise ValueError(f"{rel!r} is not a release file an artifact may write")
    return rel


def publish(release_dir: Path, auditor: Auditor, *, clusters: PublicClusters | None = None,
            artifacts: Sequence[PublicArtifact] = (), withheld: Withheld | None = None) -> PublicAudit:
    """Write `clusters` (when given: a new release) and `artifacts` into `release_dir`, then re-audit it. Every
    cluster id an artifact mentions must be released (in `clusters`, or in the clusters.json already there);
    nothing is written when one is not. Returns the audit just written."""
    release_dir = Path(release_dir)
    released = _released_ids(release_dir, clusters)
    parts = ([clusters] if clusters is not None else []) + list(artifacts)
    for a in parts:
        unknown = sorted(a.mentioned_ids() - released)
        if unknown:
            raise UnreleasedClusterError(f"{type(a).__name__} refers to clusters that are not released: {unknown}")
    files = {_check_path(rel): text for a in parts for rel, text in a.files().items()}
    release_dir.mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        atomic_write_text(release_dir / rel, text)
    return _write_audit(release_dir, auditor, withheld)


def _previous(release_dir: Path) -> Withheld:
    try:
        old = read_artifact(PublicAudit, release_dir / PublicAudit.FILE)
    except (FileNotFoundError, SchemaError):
        return Withheld()
    return Withheld(old.suppressed, old.strings_dropped)


def _write_audit(release_dir: Path, auditor: Auditor, withheld: Withheld | None) -> PublicAudit:
    withheld = withheld if withheld is not None else _previous(release_dir)
    rep = auditor.audit(release_dir)
    hashes = {p.relative_to(release_dir).as_posix(): file_sha256(p) for p in release_files(release_dir)
              if p.name not in AUDIT_FILES}
    audit = PublicAudit(passed=rep.passed, policy=auditor.policy.describe(),
                        checks=tuple(AuditCheck(c.name, c.passed, c.detail) for c in rep.checks),
                        suppressed=dict(withheld.suppressed), strings_dropped=dict(withheld.strings_dropped),
                        scanner=auditor.scanner.describe(), files=hashes)
    for rel, text in audit.as_files().items():
        atomic_write_text(release_dir / rel, text)
    return audit
