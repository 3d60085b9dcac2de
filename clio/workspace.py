"""Workspace layout, atomic writes and the stage manifest that makes runs resumable.

WORKSPACE/private/  per-conversation scrubbed data (never read by the dashboard)
WORKSPACE/release/  audited aggregates, produced only by privacy.release
WORKSPACE/manifest.json  per stage: input hash, config, models, package versions
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

PACKAGES = ("presidio-analyzer", "presidio-anonymizer", "spacy", "sentence-transformers", "umap-learn",
            "hdbscan", "numpy", "scikit-learn")


def atomic_write_with(path: Path, writer: Callable[[Any], None], mode: str = "wb") -> None:
    """Write via temp file in the same folder, fsync, rename: readers never see half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as f:
            writer(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_with(path, lambda f: f.write(text), mode="w")


def atomic_write_json(path: Path, obj: Any) -> None:
    atomic_write_text(path, json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=False) + "\n")


def atomic_write_jsonl(path: Path, rows) -> None:
    def w(f):
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")

    atomic_write_with(path, w, mode="w")


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


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


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def package_versions() -> dict[str, str]:
    out = {}
    for p in PACKAGES:
        try:
            out[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            pass
    return out


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
