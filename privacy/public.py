"""The public tier: frozen, versioned types for every file in WORKSPACE/release/.

The release gate builds these, the door (`privacy.door.publish`) is the only code that writes them, and every
reader (dashboard, domains, notebooks, coverage) loads them through `read_release` / `read_artifact`, which fail
with a `SchemaError` naming the file and both versions on a file of another version. Standard library only, so
anything may read a release without numpy, torch or presidio.

    file                          type             every file carries "schema" (audit.md: a last-line comment)
    clusters.json                 PublicClusters   released clusters of every level, with their aggregates
    hierarchy.json                PublicHierarchy  the same clusters as a tree
    summary.json                  PublicSummary    run counts, policy, models
    coverage.json                 PublicCoverage   usage vs benchmarks per released base cluster and group
    audit.json, audit.md          PublicAudit      the privacy audit of everything above, with file hashes
    suites/NAME/manifest.json     SuiteManifest    a usage-weighted eval suite ...
    suites/NAME/suite.jsonl       SuiteItem        ... and its items, one a line

Shapes follow the JSON key for key and in order (`to_json` gives the file's object; `from_json` reads it back,
refusing missing or unknown keys), so a type and its file cannot drift apart silently.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol


class SchemaError(ValueError):
    """A release file that is not the version (or shape) this code reads."""


def _omit_empty() -> Any:
    """A field left out of the file when empty (it was added after files without it were written)."""
    return field(default=(), metadata={"omit_empty": True})


def _optional() -> Any:
    """A field left out of the file when None."""
    return field(default=None, metadata={"omit_empty": True})


def _jsonable(v: Any) -> Any:
    if dataclasses.is_dataclass(v):
        return v.to_json()
    if isinstance(v, (tuple, list)):
        return [_jsonable(x) for x in v]
    if isinstance(v, Mapping):
        return {k: _jsonable(x) for k, x in v.items()}
    return v


class _Record:
    """JSON form of a frozen dataclass, field by field in declaration order; `SCHEMA` (when set) leads."""

    SCHEMA: ClassVar[int | None] = None
    NESTED: ClassVar[Mapping[str, Callable[[Any, str], Any]]] = {}  # field -> loader of its JSON value

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {} if self.SCHEMA is None else {"schema": self.SCHEMA}
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if f.metadata.get("omit_empty") and (v is None or v == ()):
                continue
            out[f.name] = _jsonable(v)
        return out

    @classmethod
    def from_json(cls, doc: Any, where: str = ""):
        where = where or cls.__name__
        if not isinstance(doc, dict):
            raise SchemaError(f"{where}: expected a JSON object, got {type(doc).__name__}")
        if cls.SCHEMA is not None:
            found = doc.get("schema")
            if found != cls.SCHEMA:
                raise SchemaError(f"{where} has schema {found!r}; this clio-usage reads schema {cls.SCHEMA}. Re-run "
                                  f"`clio run` to rewrite the release, or read it with the version that wrote it")
        fields = {f.name: f for f in dataclasses.fields(cls)}
        keys = set(doc) - {"schema"} if cls.SCHEMA is not None else set(doc)
        missing = [n for n, f in fields.items() if n not in doc and f.default is dataclasses.MISSING
                   and f.default_factory is dataclasses.MISSING]
        if missing or keys - set(fields):
            raise SchemaError(f"{where}: missing {sorted(missing)}, unexpected {sorted(keys - set(fields))}")
        kwargs = {}
        for name in fields:
            if name in doc:
                v = doc[name]
                load = cls.NESTED.get(name)
                kwargs[name] = load(v, f"{where}.{name}") if load and v is not None else _frozen(v)
        return cls(**kwargs)


def _frozen(v: Any) -> Any:
    """JSON lists as tuples (objects stay mappings): values of frozen records."""
    if isinstance(v, list):
        return tuple(_frozen(x) for x in v)
    return v


def _many(cls) -> Callable[[Any, str], tuple]:
    def load(v: Any, where: str) -> tuple:
        if not isinstance(v, list):
            raise SchemaError(f"{where}: expected a list")
        return tuple(cls.from_json(x, f"{where}[{i}]") for i, x in enumerate(v))
    return load


def _one(cls) -> Callable[[Any, str], Any]:
    return lambda v, where: cls.from_json(v, where)


def _dumps(doc: dict) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


class PublicArtifact(Protocol):
    """Anything the door may write: its files (release-relative path -> text) and the cluster ids it names."""

    def files(self) -> dict[str, str]: ...

    def mentioned_ids(self) -> set[str]: ...


# ---- clusters.json ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PublicCluster(_Record):
    """One released cluster of any level: its audited strings and aggregates. `share` is of every accepted
    conversation; `languages`/`domains` map a code to a share; `x`, `y` place it on the map; `model_written` names
    the strings an LLM wrote (the audit re-checks those)."""

    id: str
    level: int
    parent: str | None
    children: tuple[str, ...]
    name: str
    description: str
    keywords: tuple[str, ...]
    exemplars: tuple[str, ...]
    conversations: int
    users: int
    share: float
    quizzing_share: float | None
    languages: Mapping[str, float]
    domains: Mapping[str, float]
    mean_turns: float
    mean_concern: float
    x: float
    y: float
    model_written: tuple[str, ...] = _omit_empty()


@dataclass(frozen=True)
class PublicClusters(_Record):
    """release/clusters.json: every released cluster, top level first, largest first within a level."""

    SCHEMA: ClassVar[int] = 1
    FILE: ClassVar[str] = "clusters.json"
    NESTED: ClassVar[Mapping] = {"clusters": _many(PublicCluster)}

    total_conversations: int
    unclustered_share: float
    levels: tuple[str, ...]
    clusters: tuple[PublicCluster, ...]

    def ids(self) -> set[str]:
        return {c.id for c in self.clusters}

    def base(self) -> list[PublicCluster]:
        return [c for c in self.clusters if c.level == 0]

    def files(self) -> dict[str, str]:
        return {self.FILE: _dumps(self.to_json())}

    def mentioned_ids(self) -> set[str]:
        return self.ids() | {c.parent for c in self.clusters if c.parent} | {k for c in self.clusters
                                                                               for k in c.children}


# ---- hierarchy.json --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class HierarchyNode(_Record):
    id: str
    name: str
    description: str
    conversations: int
    users: int
    share: float
    quizzing_share: float | None
    children: tuple[HierarchyNode, ...]

    def ids(self) -> set[str]:
        return {self.id}.union(*(k.ids() for k in self.children))


HierarchyNode.NESTED = {"children": _many(HierarchyNode)}


@dataclass(frozen=True)
class PublicHierarchy(_Record):
    """release/hierarchy.json: the released clusters as a tree from the top level down."""

    SCHEMA: ClassVar[int] = 1
    FILE: ClassVar[str] = "hierarchy.json"
    NESTED: ClassVar[Mapping] = {"tree": _many(HierarchyNode)}

    levels: tuple[str, ...]
    tree: tuple[HierarchyNode, ...]
    unclustered: Mapping[str, float]  # {"share": ...}

    def files(self) -> dict[str, str]:
        return {self.FILE: _dumps(self.to_json())}

    def mentioned_ids(self) -> set[str]:
        return set().union(*(n.ids() for n in self.tree))


# ---- summary.json ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CoverageHeadline(_Record):
    headline: str
    uncovered_usage_share: float
    benchmarks: tuple[str, ...]


@dataclass(frozen=True)
class PublicSummary(_Record):
    """release/summary.json: what the run read, accepted and released, under which policy and models.
    `clustering` and `naming` are reports (aggregate counts only); `coverage` is set once coverage is published."""

    SCHEMA: ClassVar[int] = 2  # 2: `repeat` (what a repeated release held from the previous one)
    FILE: ClassVar[str] = "summary.json"
    NESTED: ClassVar[Mapping] = {"coverage": _one(CoverageHeadline)}

    read: int
    accepted: int
    quarantined: int
    quarantine_reasons: Mapping[str, int]
    clusters_released: int
    clusters_suppressed: int
    groups_released: int
    quizzing_share: float
    asking_share: float
    unclustered_share: float
    released_conversation_share: float
    pii_removed_by_type: Mapping[str, int]
    coverage: CoverageHeadline | None
    policy: Mapping[str, Any]
    created_at: str
    embedding_model: str
    facet_backend: str
    clustering: Mapping[str, Any]
    namer_model: str | None = _optional()
    naming: Mapping[str, Any] | None = _optional()
    # a release into a workspace that released before: the previous release's date, the rule, whether the totals
    # were held, and how many clusters were held, updated or new (see privacy/repeat.py)
    repeat: Mapping[str, Any] | None = _optional()
    # conversations in no released base cluster ("other"): unclustered plus those in clusters under the privacy
    # thresholds, so the released shares and `other.share` add up to 1
    other: Mapping[str, Any] | None = _optional()

    def files(self) -> dict[str, str]:
        return {self.FILE: _dumps(self.to_json())}

    def mentioned_ids(self) -> set[str]:
        return set()


# ---- coverage.json ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BenchmarkCoverage(_Record):
    """One benchmark against released usage; `*_ci` are 95% bootstrap intervals [low, high]. `usage_share_reached`
    is the share of released conversations it reaches at the coverage's fixed budget and calibrated threshold (see
    `PublicCoverage.reach`); `realism` that share relative to held-apart usage's own; `cluster_reached` the share of
    each cluster's conversations it reaches."""

    name: str
    items: int
    outside_share: float  # items that reach no released cluster
    js_divergence: float  # bits, from usage
    usage_share_reached: float
    quizzing_share: float
    js_divergence_ci: tuple[float, ...] = ()
    usage_share_reached_ci: tuple[float, ...] = ()
    quizzing_share_ci: tuple[float, ...] = ()
    outside_share_ci: tuple[float, ...] = ()
    realism: float | None = None
    realism_ci: tuple[float, ...] = ()
    cluster_reached: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class ClusterCoverage(_Record):
    id: str
    name: str
    level: int
    usage_share: float
    benchmark_shares: Mapping[str, float]
    usage_share_ci: tuple[float, ...] = ()
    benchmark_shares_ci: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    group: str | None = None  # its top-level group's id
    unreached_share: float | None = None  # share of its conversations no benchmark reaches


@dataclass(frozen=True)
class GroupCoverage(_Record):
    """A top-level group: its base clusters' usage and benchmark shares summed, with intervals."""

    id: str
    name: str
    usage_share: float
    usage_share_ci: tuple[float, ...]
    benchmark_shares: Mapping[str, float]
    benchmark_shares_ci: Mapping[str, tuple[float, ...]]
    unreached_share: float


@dataclass(frozen=True)
class PublicCoverage(_Record):
    """release/coverage.json: where benchmark items land among released base clusters and top-level groups, how much
    usage each benchmark reaches (`reach`: the threshold, the budget of items and how they were calibrated), with
    bootstrap intervals."""

    SCHEMA: ClassVar[int] = 2
    FILE: ClassVar[str] = "coverage.json"
    NESTED: ClassVar[Mapping] = {"benchmarks": _many(BenchmarkCoverage), "clusters": _many(ClusterCoverage),
                                 "groups": _many(GroupCoverage)}

    min_similarity: float
    benchmarks: tuple[BenchmarkCoverage, ...]
    clusters: tuple[ClusterCoverage, ...]
    usage_share_of: str
    uncovered_usage_share: float
    overlooked: tuple[str, ...]
    headline: str
    groups: tuple[GroupCoverage, ...] = ()
    reach: Mapping[str, Any] = field(default_factory=dict)
    uncovered_usage_share_ci: tuple[float, ...] = ()
    usage_quizzing_share: float | None = None

    def headline_for_summary(self) -> CoverageHeadline:
        return CoverageHeadline(self.headline, self.uncovered_usage_share, tuple(b.name for b in self.benchmarks))

    def files(self) -> dict[str, str]:
        return {self.FILE: _dumps(self.to_json())}

    def mentioned_ids(self) -> set[str]:
        return {c.id for c in self.clusters} | set(self.overlooked) | {g.id for g in self.groups}


# ---- suites/NAME/ ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SuiteItem(_Record):
    """One eval prompt with its grading material. `weight` is its cluster's usage share normalised over the suite's
    clusters. `source` says where the input came from: "release" (a released exemplar, verbatim), "pool" (an item
    of a public file the user named) or "llm" (written by a model from released text only); `provenance` says
    which one. `form` is quizzing (the asker knows the answer) or asking. `grading` names how to score it:
    "choice" (`choices` and the correct letter in `target`), "exact" (`target` is the short answer), "reference"
    (`reference` is a reference answer for a judge) or "rubric" (`rubric` lists the criteria for a judge); every
    item carries a rubric, `grading_source` says who wrote its grading material (taxonomy, pool or llm)."""

    SCHEMA: ClassVar[int] = 2

    id: str
    domain: str
    category: str
    subcategory: str
    task: str
    cluster_id: str
    weight: float
    input: str
    quizzing_share: float | None
    source: str = "release"
    provenance: str = ""
    form: str = "asking"
    grading: str = "rubric"
    target: str | None = None
    choices: tuple[str, ...] = ()
    reference: str | None = None
    rubric: tuple[str, ...] = ()
    grading_source: str = "taxonomy"

    def to_dict(self) -> dict[str, Any]:
        """The item as eval harnesses get it (no schema key): what `clio suite --format jsonl` writes."""
        return {k: v for k, v in self.to_json().items() if k != "schema"}


@dataclass(frozen=True)
class SuiteCluster(_Record):
    """A cluster in a suite: its task node, usage weight, items planned (`requested`) and written (`items`), and
    the domain gate's two figures for it."""

    id: str
    node: str  # "category / subcategory / task"
    weight: float
    items: int
    quizzing_share: float | None
    requested: int = 0
    domain_share: float | None = None
    similarity: float | None = None


@dataclass(frozen=True)
class LeftOutCluster(_Record):
    """A released base cluster the domain gate kept out of a suite, and why (the figures and thresholds)."""

    id: str
    name: str
    share: float
    domain_share: float
    similarity: float
    nearest_task: str
    reason: str


@dataclass(frozen=True)
class SuiteManifest(_Record):
    """What a suite holds: domain, taxonomy, item count (and the count asked for), weights per taxonomy node and per
    cluster, the clusters the domain gate left out and why, items per source, what each source dropped, and its
    files."""

    SCHEMA: ClassVar[int] = 2
    NESTED: ClassVar[Mapping] = {"clusters": _many(SuiteCluster), "left_out": _many(LeftOutCluster)}

    domain: str
    taxonomy: Mapping[str, Any]
    format: str
    items: int
    source: str
    node_weights: Mapping[str, float]
    clusters: tuple[SuiteCluster, ...]
    files: tuple[str, ...]
    build: Mapping[str, Any]
    requested: int = 0
    gate: Mapping[str, Any] = field(default_factory=dict)
    left_out: tuple[LeftOutCluster, ...] = ()
    sources: Mapping[str, int] = field(default_factory=dict)
    dropped: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    grading: Mapping[str, int] = field(default_factory=dict)
    distinct_input_share: float = 1.0
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class PublicSuite:
    """release/suites/NAME/: a suite built from released strings only (manifest.json and suite.jsonl)."""

    name: str
    manifest: SuiteManifest
    items: tuple[SuiteItem, ...]

    def __post_init__(self):
        if not self.name or not self.name.replace("-", "").replace("_", "").isalnum():
            raise SchemaError(f"suite name {self.name!r}: letters, digits, '-' and '_' only")

    def files(self) -> dict[str, str]:
        rows = "".join(json.dumps(it.to_json(), ensure_ascii=False) + "\n" for it in self.items)
        return {f"suites/{self.name}/suite.jsonl": rows,
                f"suites/{self.name}/manifest.json": _dumps(self.manifest.to_json())}

    def mentioned_ids(self) -> set[str]:
        return ({c.id for c in self.manifest.clusters} | {c.id for c in self.manifest.left_out}
                | {it.cluster_id for it in self.items})


# ---- audit.json, audit.md --------------------------------------------------------------------------------

@dataclass(frozen=True)
class AuditCheck(_Record):
    name: str
    passed: bool
    detail: str


@dataclass(frozen=True)
class PublicAudit(_Record):
    """release/audit.json and audit.md: every check of the release, what was withheld and why, the scanner, and the
    SHA-256 of every other release file (so tampering shows)."""

    SCHEMA: ClassVar[int] = 1
    FILE: ClassVar[str] = "audit.json"
    NESTED: ClassVar[Mapping] = {"checks": _many(AuditCheck)}

    passed: bool
    policy: Mapping[str, Any]
    checks: tuple[AuditCheck, ...]
    suppressed: Mapping[str, int]
    strings_dropped: Mapping[str, int]
    scanner: Mapping[str, Any]
    files: Mapping[str, str]

    def markdown(self) -> str:
        """audit.md: the same audit for a privacy officer."""
        lines = ["# Privacy audit of this release", "",
                 f"Overall: **{'PASSED' if self.passed else 'FAILED'}**", "", "## Policy", ""]
        lines += [f"- {k.replace('_', ' ')}: {v}" for k, v in self.policy.items()]
        lines += ["", "## Checks", ""] + [f"- {'PASS' if c.passed else 'FAIL'} {c.name}: {c.detail}"
                                          for c in self.checks]
        lines += ["", "## Clusters withheld", ""]
        lines += [f"- {k.replace('_', ' ')}: {v}" for k, v in sorted(self.suppressed.items())] or ["- none"]
        lines += ["", "## Released strings dropped by the re-scan", ""]
        lines += [f"- {k}: {v}" for k, v in sorted(self.strings_dropped.items())] or ["- none"]
        lines += ["", "## Scanner", ""] + [f"- {k}: {v}" for k, v in self.scanner.items()]
        lines += ["", "## File hashes (SHA-256)", ""] + [f"- {k}: `{v}`" for k, v in sorted(self.files.items())]
        lines += ["", f"<!-- schema: {self.SCHEMA} -->"]
        return "\n".join(lines) + "\n"

    def as_files(self) -> dict[str, str]:
        return {self.FILE: _dumps(self.to_json()), "audit.md": self.markdown()}


AUDIT_FILES = ("audit.json", "audit.md")


# ---- reading ---------------------------------------------------------------------------------------------

def file_sha256(path: Path) -> str:
    """How audit.json records each release file (hex SHA-256), so that any reader can recompute it and tell a
    changed file."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_artifact(cls, path: Path):
    """One release file as its type; FileNotFoundError when absent, SchemaError when of another version."""
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise SchemaError(f"{path.name}: not JSON ({e.msg} at line {e.lineno})") from e
    return cls.from_json(doc, path.name)


def read_suite_items(lines: Iterable[str], where: str, limit: int | None = None) -> tuple[SuiteItem, ...]:
    """The items of a suite.jsonl (blank lines skipped; at most `limit`)."""
    out = []
    for i, line in enumerate(lines, 1):
        if limit is not None and len(out) >= limit:
            break
        if line.strip():
            try:
                doc = json.loads(line)
            except json.JSONDecodeError as e:
                raise SchemaError(f"{where} line {i}: not JSON ({e.msg})") from e
            out.append(SuiteItem.from_json(doc, f"{where} line {i}"))
    return tuple(out)


def read_suite(folder: Path, limit: int | None = None) -> PublicSuite:
    """release/suites/NAME/ as a `PublicSuite` (items: at most `limit`)."""
    folder = Path(folder)
    manifest = read_artifact(SuiteManifest, folder / "manifest.json")
    items_path = folder / "suite.jsonl"
    items: tuple[SuiteItem, ...] = ()
    if items_path.is_file():
        with open(items_path, encoding="utf-8") as f:
            items = read_suite_items(f, f"suites/{folder.name}/suite.jsonl", limit)
    return PublicSuite(folder.name, manifest, items)


@dataclass(frozen=True)
class PublicRelease:
    """A whole release folder, typed; optional files that are absent are None."""

    clusters: PublicClusters
    summary: PublicSummary | None = None
    hierarchy: PublicHierarchy | None = None
    coverage: PublicCoverage | None = None
    audit: PublicAudit | None = None
    suites: tuple[PublicSuite, ...] = ()


def read_release(release_dir: Path, suites: bool = True) -> PublicRelease:
    """Every file of a release folder through its type. FileNotFoundError without clusters.json; SchemaError on a
    file of another version."""
    root = Path(release_dir)

    def optional(cls):
        return read_artifact(cls, root / cls.FILE) if (root / cls.FILE).is_file() else None

    folders = sorted(p for p in (root / "suites").iterdir() if p.is_dir()) if (root / "suites").is_dir() else []
    return PublicRelease(clusters=read_artifact(PublicClusters, root / PublicClusters.FILE),
                         summary=optional(PublicSummary), hierarchy=optional(PublicHierarchy),
                         coverage=optional(PublicCoverage), audit=optional(PublicAudit),
                         suites=tuple(read_suite(p) for p in folders) if suites else ())
