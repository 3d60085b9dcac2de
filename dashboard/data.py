"""Load the public release tier (``WORKSPACE/release/``) into one read-only `Release`.

The dashboard reads nothing else: no pipeline modules, no per-conversation tables. Every file is loaded through
its public type (`privacy.public`), so a file of another schema version fails with a message that says so; pages
then read the JSON form of those typed artifacts (`to_json()`, the shape the release documents), which Dash tables
and plotly figures take as they are.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from privacy.public import (
    PublicAudit,
    PublicClusters,
    PublicCoverage,
    PublicHierarchy,
    PublicRelease,
    PublicSummary,
    SuiteItem,
    SuiteManifest,
    file_sha256,
    read_artifact,
)

REQUIRED = "clusters.json"
HINT = "run `clio demo` or `clio run` first"
SUITES = "suites"
MAX_SUITE_ITEMS = 5000  # a preview, not a loader: larger suites are downloaded, not shown


@dataclass(frozen=True)
class Suite:
    """One generated domain suite under ``release/suites/<name>/``: its manifest and (capped) items."""

    name: str
    manifest: dict[str, Any]
    items: list[dict[str, Any]]
    files: tuple[str, ...]  # release-relative paths of the suite's files that exist, manifest first


@dataclass(frozen=True)
class Release:
    """Parsed release files (`typed`) and their JSON forms for the pages; optional files that are absent are
    ``None``."""

    root: Path
    typed: PublicRelease
    clusters_doc: dict[str, Any]
    summary: dict[str, Any] = field(default_factory=dict)
    hierarchy: dict[str, Any] | None = None
    coverage: dict[str, Any] | None = None
    audit: dict[str, Any] | None = None
    suites: tuple[Suite, ...] = ()

    @cached_property
    def clusters(self) -> list[dict[str, Any]]:
        """All released clusters, every level."""
        return [c for c in self.clusters_doc.get("clusters") or [] if isinstance(c, dict)]

    @cached_property
    def _by_id(self) -> dict[str, dict[str, Any]]:
        """Clusters by id as text: pages look clusters up once per row, so no scan per lookup."""
        out: dict[str, dict[str, Any]] = {}
        for c in self.clusters:
            out.setdefault(str(c.get("id")), c)
        return out

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

    def cluster(self, cluster_id: Any) -> dict[str, Any] | None:
        """The released cluster with this id (compared as text, so any client-sent value is safe)."""
        if cluster_id is None or isinstance(cluster_id, (dict, list)):
            return None
        return self._by_id.get(str(cluster_id))

    def level_numbers(self) -> list[int]:
        """Levels present in clusters.json, lowest (base) first; any number of levels."""
        return sorted({int(num(c.get("level"))) for c in self.clusters})

    def level_name(self, level: int) -> str:
        names = self.levels
        return str(names[level]) if 0 <= level < len(names) else f"level {level}"

    def children_of(self, cluster_id: Any) -> list[dict[str, Any]]:
        """Released clusters whose parent is ``cluster_id``, largest first."""
        return _by_size([c for c in self.clusters if c.get("parent") is not None
                         and str(c.get("parent")) == str(cluster_id)])

    def ancestors(self, cluster_id: Any) -> list[dict[str, Any]]:
        """Released parent, grandparent, ... of a cluster (nearest first; stops at a missing or cyclic parent)."""
        out: list[dict[str, Any]] = []
        seen = {str(cluster_id)}
        c = self.cluster(cluster_id)
        while c is not None and c.get("parent") is not None and str(c["parent"]) not in seen:
            seen.add(str(c["parent"]))
            c = self.cluster(c["parent"])
            if c is not None:
                out.append(c)
        return out

    def root_of(self, cluster_id: Any) -> dict[str, Any] | None:
        """The top-level category a cluster sits in (itself when it has no released parent)."""
        chain = self.ancestors(cluster_id)
        return chain[-1] if chain else self.cluster(cluster_id)

    def coverage_row(self, cluster_id: Any) -> dict[str, Any] | None:
        """The cluster's row of coverage.json (usage share and each benchmark's share), if any."""
        rows = (self.coverage or {}).get("clusters") or []
        return next((r for r in rows if isinstance(r, dict) and str(r.get("id")) == str(cluster_id)), None)

    def suite(self, name: Any) -> Suite | None:
        return next((s for s in self.suites if s.name == name), None)

    def downloadable(self) -> dict[str, Path]:
        """Release files a reader may download, by release-relative path (the only paths a download serves)."""
        files = {name: self.root / name for name in ("audit.md", "audit.json") if (self.root / name).is_file()}
        for s in self.suites:
            files.update({rel: self.root / rel for rel in s.files})
        return files

    def name_of(self, cluster_id: str | None) -> str:
        """Released name of a cluster, or ``""`` when unknown."""
        c = self.cluster(cluster_id) if cluster_id else None
        return str(c.get("name") or cluster_id) if c else ""

    def file_digests(self) -> list[tuple[str, str, str | None]]:
        """``(file, sha256 recorded in audit.json, sha256 of that file on disk or None)`` rows.

        Only files inside the release folder are hashed (``suites/medical/suite.jsonl`` is fine); a path
        that leaves it counts as missing.
        """
        recorded = (self.audit or {}).get("files") or {}
        rows = []
        for name, digest in sorted(recorded.items()):
            path = _inside(self.root, str(name))
            rows.append((str(name), str(digest), file_sha256(path) if path is not None else None))
        return rows


def load_release(release_dir: Path) -> Release:
    """Read ``release_dir``; raise `FileNotFoundError` with a hint when there is nothing to show. Parsed once
    per version of the files (every request asks): a new `clio run` shows on the next request."""
    root = Path(release_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"No release folder at {root}: {HINT}.")
    if not (root / REQUIRED).is_file():
        raise FileNotFoundError(f"No {REQUIRED} in {root}: {HINT}.")
    stamp = tuple(sorted((str(p), st.st_mtime_ns, st.st_size) for p in root.rglob("*")
                         if p.is_file() and (st := p.stat())))
    return _parse_release(root, stamp)


@lru_cache(maxsize=2)
def _parse_release(root: Path, stamp: tuple) -> Release:
    def optional(cls):
        return read_artifact(cls, root / cls.FILE) if (root / cls.FILE).is_file() else None

    typed = PublicRelease(clusters=read_artifact(PublicClusters, root / REQUIRED), summary=optional(PublicSummary),
                          hierarchy=optional(PublicHierarchy), coverage=optional(PublicCoverage),
                          audit=optional(PublicAudit))
    doc = lambda a: a.to_json() if a is not None else None  # noqa: E731
    return Release(
        root=root,
        typed=typed,
        clusters_doc=typed.clusters.to_json(),
        summary=doc(typed.summary) or {},
        hierarchy=doc(typed.hierarchy),
        coverage=doc(typed.coverage),
        audit=doc(typed.audit),
        suites=_load_suites(root),
    )


def _load_suites(root: Path) -> tuple[Suite, ...]:
    """Every ``suites/<name>/manifest.json`` with its items; a suite whose manifest is not JSON at all is skipped,
    not fatal (one of another schema version is an error, as for every release file)."""
    folder = root / SUITES
    if not folder.is_dir():
        return ()
    out = []
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.is_symlink()):
        try:
            raw = _read_json(sub / "manifest.json")
        except (json.JSONDecodeError, UnicodeDecodeError):
            continue
        if raw is None:
            continue
        manifest = SuiteManifest.from_json(raw, f"{SUITES}/{sub.name}/manifest.json")
        names = ["manifest.json"] + list(manifest.files)
        if (sub / "suite.jsonl").is_file():
            names.append("suite.jsonl")
        files = [f"{SUITES}/{sub.name}/{n}" for n in dict.fromkeys(names)]
        files = tuple(f for f in files if _inside(root, f) is not None)
        items = [SuiteItem.from_json(d, f"{SUITES}/{sub.name}/suite.jsonl").to_dict()
                 for d in _read_jsonl(sub / "suite.jsonl")]
        out.append(Suite(name=sub.name, manifest=manifest.to_json(), items=items, files=files))
    return tuple(out)


def _read_jsonl(path: Path, limit: int = MAX_SUITE_ITEMS) -> list[dict[str, Any]]:
    """Object lines of a JSONL file (unparseable lines skipped), at most ``limit``."""
    if not path.is_file():
        return []
    out: list[dict[str, Any]] = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if len(out) >= limit:
                break
            try:
                doc = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(doc, dict):
                out.append(doc)
    return out


def _inside(root: Path, relpath: str) -> Path | None:
    """``root/relpath`` when it is a regular file inside ``root`` (no ``..``, no symlink escape), else None."""
    try:
        path = (root / relpath).resolve()
        inside = path.is_relative_to(root.resolve())
    except (OSError, ValueError):
        return None
    return path if inside and path.is_file() else None


def _read_json(path: Path) -> dict[str, Any] | None:
    """Parsed object, or None when the file is absent (a non-object document also counts as absent)."""
    if not path.is_file():
        return None
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    return doc if isinstance(doc, dict) else None


def _by_size(clusters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(clusters, key=lambda c: -(num(c.get("conversations"))))


def num(value: Any, default: float = 0.0) -> float:
    """A released number as float; missing or malformed values become ``default``."""
    try:
        return float(value) if value is not None else default
    except (TypeError, ValueError):
        return default
