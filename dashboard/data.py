"""Load the public release tier (``WORKSPACE/release/*.json``) into one read-only `Release`.

The dashboard reads nothing else: no pipeline modules, no per-conversation tables. Every key is read
defensively because releases written by older versions may lack some of them.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REQUIRED = "clusters.json"
OPTIONAL = ("summary.json", "hierarchy.json", "coverage.json", "audit.json")
HINT = "run `clio demo` or `clio run` first"


@dataclass(frozen=True)
class Release:
    """Parsed release files; optional files that are absent are ``None``."""

    root: Path
    clusters_doc: dict[str, Any]
    summary: dict[str, Any] = field(default_factory=dict)
    hierarchy: dict[str, Any] | None = None
    coverage: dict[str, Any] | None = None
    audit: dict[str, Any] | None = None

    @property
    def clusters(self) -> list[dict[str, Any]]:
        """All released clusters, every level."""
        return [c for c in self.clusters_doc.get("clusters") or [] if isinstance(c, dict)]

    @property
    def levels(self) -> list[str]:
        return list(self.clusters_doc.get("levels") or ["base", "top"])

    def base_clusters(self) -> list[dict[str, Any]]:
        """Level-0 clusters, largest first."""
        return _by_size([c for c in self.clusters if (c.get("level") or 0) == 0])

    def top_clusters(self) -> list[dict[str, Any]]:
        """Roots of the hierarchy (clusters without a released parent), largest first."""
        ids = {c.get("id") for c in self.clusters}
        return _by_size([c for c in self.clusters if c.get("parent") not in ids])

    def tree(self) -> list[dict[str, Any]]:
        """Hierarchy roots with nested ``children`` dicts: hierarchy.json, else rebuilt from clusters.json."""
        tree = (self.hierarchy or {}).get("tree")
        if isinstance(tree, list) and tree:
            return [n for n in tree if isinstance(n, dict)]
        ids = {c.get("id") for c in self.clusters}
        kids: dict[Any, list[dict[str, Any]]] = {}
        for c in self.clusters:
            kids.setdefault(c.get("parent") if c.get("parent") in ids else None, []).append(c)

        def node(c: dict[str, Any], depth: int) -> dict[str, Any]:
            below = kids.get(c.get("id"), []) if depth < 16 else []
            return {**c, "children": [node(k, depth + 1) for k in _by_size(below)]}

        return [node(c, 0) for c in _by_size(kids.get(None, []))]

    def cluster(self, cluster_id: str) -> dict[str, Any] | None:
        return next((c for c in self.clusters if c.get("id") == cluster_id), None)

    def name_of(self, cluster_id: str | None) -> str:
        """Released name of a cluster, or ``""`` when unknown."""
        c = self.cluster(cluster_id) if cluster_id else None
        return str(c.get("name") or cluster_id) if c else ""

    def file_digests(self) -> list[tuple[str, str, str | None]]:
        """``(file, sha256 recorded in audit.json, sha256 of that file on disk or None)`` rows.

        Only plain file names inside the release folder are hashed; anything else counts as missing.
        """
        recorded = (self.audit or {}).get("files") or {}
        rows = []
        for name, digest in sorted(recorded.items()):
            path = self.root / str(name)
            ok_name = Path(str(name)).name == str(name) and path.is_file()
            rows.append((str(name), str(digest), _sha256(path) if ok_name else None))
        return rows


def load_release(release_dir: Path) -> Release:
    """Read ``release_dir``; raise `FileNotFoundError` with a hint when there is nothing to show."""
    root = Path(release_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"No release folder at {root}: {HINT}.")
    if not (root / REQUIRED).is_file():
        raise FileNotFoundError(f"No {REQUIRED} in {root}: {HINT}.")
    docs = {name: _read_json(root / name) for name in OPTIONAL}
    return Release(
        root=root,
        clusters_doc=_read_json(root / REQUIRED) or {},
        summary=docs["summary.json"] or {},
        hierarchy=docs["hierarchy.json"],
        coverage=docs["coverage.json"],
        audit=docs["audit.json"],
    )


def _read_json(path: Path) -> dict[str, Any] | None:
    """Parsed object, or None when the file is absent (a non-object document also counts as absent)."""
    if not path.is_file():
        return None
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    return doc if isinstance(doc, dict) else None


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def _by_size(clusters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(clusters, key=lambda c: -(num(c.get("conversations"))))


def num(value: Any, default: float = 0.0) -> float:
    """A released number as float; missing or malformed values become ``default``."""
    try:
        return float(value) if value is not None else default
    except (TypeError, ValueError):
        return default
