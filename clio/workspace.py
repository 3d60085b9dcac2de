"""Workspace layout and the stage manifest that makes runs resumable.

WORKSPACE/private/  per-conversation scrubbed data (never read by the dashboard)
WORKSPACE/release/  audited aggregates, written only through the release door (`privacy.door.publish`)
WORKSPACE/manifest.json  per stage: input hash, config, models, package versions
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import asdict, is_dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from privacy.files import atomic_write_json

PACKAGES = ("presidio-analyzer", "presidio-anonymizer", "spacy", "sentence-transformers", "umap-learn",
            "hdbscan", "numpy", "scikit-learn")


def jsonable(obj: Any) -> Any:
    if is_dataclass(obj):
        return {k: jsonable(v) for k, v in asdict(obj).items()}
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, Path):
        return str(obj)
    return obj


def stable_hash(*parts: Any) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(json.dumps(jsonable(p), sort_keys=True, default=str).encode())
        h.update(b"\x00")
    return h.hexdigest()[:24]


def package_versions() -> dict[str, str]:
    out = {}
    for p in PACKAGES:
        try:
            out[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            pass
    return out


class WorkspaceBusy(RuntimeError):
    """Another process holds the workspace."""


class Workspace:
    """Paths and the manifest of one analysis workspace."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.private = self.root / "private"
        self.release = self.root / "release"
        self.manifest_path = self.root / "manifest.json"

    def create(self) -> Workspace:
        self.private.mkdir(parents=True, exist_ok=True)
        self.release.mkdir(parents=True, exist_ok=True)
        (self.private / "cache").mkdir(exist_ok=True)
        return self

    @contextlib.contextmanager
    def lock(self):
        """Hold the workspace for one process (an flock on WORKSPACE/.lock, released by the kernel if the process
        dies), so a second `clio run` on the same workspace fails at once instead of interleaving writes."""
        import fcntl

        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise WorkspaceBusy(f"{self.root} is in use by another clio process; wait for it to finish") from None
            yield self
        finally:
            os.close(fd)  # closing the descriptor releases the lock

    def remove_stale_temp_files(self) -> list[Path]:
        """Delete the temp files (`.NAME.*.tmp`) of atomic writes an earlier process was killed in the middle of.
        Call with the lock held: then no other writer can own them."""
        gone = []
        for folder in (self.root, self.private, self.private / "cache", self.release):
            if not folder.is_dir():
                continue
            for p in [*folder.glob(".*.tmp"), *(folder.glob("suites/*/.*.tmp") if folder == self.release else [])]:
                with contextlib.suppress(FileNotFoundError):
                    p.unlink()
                    gone.append(p)
        return gone

    def private_path(self, name: str) -> Path:
        return self.private / name

    def release_path(self, name: str) -> Path:
        return self.release / name

    def manifest(self) -> dict:
        if self.manifest_path.exists():
            return json.loads(self.manifest_path.read_text())
        return {"stages": {}}

    def stage_entry(self, stage: str) -> dict | None:
        return self.manifest()["stages"].get(stage)

    def is_fresh(self, stage: str, key: str, outputs: list[Path]) -> bool:
        """True when the stage ran with the same input/config key and its outputs still exist."""
        entry = self.stage_entry(stage)
        return bool(entry and entry.get("key") == key and all(Path(o).exists() for o in outputs))

    def record(self, stage: str, key: str, config: Any, outputs: list[Path], **extra: Any) -> None:
        m = self.manifest()
        m["stages"][stage] = {
            "key": key,
            "config": jsonable(config),
            "outputs": [str(Path(o).relative_to(self.root)) for o in outputs],
            "packages": package_versions(),
            **jsonable(extra),
        }
        atomic_write_json(self.manifest_path, m)
