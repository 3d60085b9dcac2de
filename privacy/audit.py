"""Release audit: re-check every promise of a release folder; run by the door after every write and by `clio audit`.

It reads the files as plain JSON on purpose: a tampered or hand-edited file must fail a check, not stop the audit.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from privacy.public import file_sha256
from privacy.release import ReleasePolicy
from privacy.scrub import PLACEHOLDER, ZERO_WIDTH

TEXT_KEYS = {"name", "description", "keywords", "exemplars", "input"}


@dataclass
class Check:
    name: str
    passed: bool
    detail: str


@dataclass
class AuditReport:
    checks: list[Check] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    def add(self, name: str, passed: bool, detail: str) -> None:
        self.checks.append(Check(name, bool(passed), detail))


def released_strings(obj, keys: set[str] = TEXT_KEYS) -> Iterable[str]:
    """Every free-text string a release file publishes (names, descriptions, keywords, exemplars, inputs)."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in keys:
                if isinstance(v, str):
                    yield v
                elif isinstance(v, list):
                    yield from (x for x in v if isinstance(x, str))
            else:
                yield from released_strings(v, keys)
    elif isinstance(obj, list):
        for v in obj:
            yield from released_strings(v, keys)


def canary_norm(s: str) -> str:
    return re.sub(r"\s+", "", ZERO_WIDTH.sub("", s)).lower()


def _all_strings(obj) -> Iterable[str]:
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield str(k)
            yield from _all_strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _all_strings(v)
    elif obj is not None:
        yield str(obj)


def searchable_text(path: Path) -> str:
    """File text plus, for JSON, every decoded string (so `\\u200b`-style escapes cannot hide a value)."""
    raw = path.read_text(encoding="utf-8", errors="ignore")
    if path.suffix in (".json", ".jsonl"):
        try:
            docs = [json.loads(raw)] if path.suffix == ".json" else [json.loads(x) for x in raw.splitlines() if x]
            raw += "\n" + "\n".join(s for d in docs for s in _all_strings(d))
        except json.JSONDecodeError:
            pass
    return raw


def release_files(release_dir: Path) -> list[Path]:
    return sorted(p for p in Path(release_dir).rglob("*") if p.is_file() and not p.name.startswith("."))


def audit_release(release_dir: Path, policy: dict, scanner=None, threshold: float = 0.2,
                  canaries: list[str] | None = None, support=None, conversation_ids: set[str] | None = None,
                  recorded_hashes: dict[str, str] | None = None, held: frozenset[str] | None = None) -> AuditReport:
    release_dir = Path(release_dir)
    rep = AuditReport()
    cl_path = release_dir / "clusters.json"
    if not cl_path.exists():
        rep.add("files_present", False, "release/clusters.json is missing")
        return rep
    docs = {}
    for p in release_files(release_dir):
        name = p.relative_to(release_dir).as_posix()
        if p.suffix == ".json" and name != "audit.json":
            docs[name] = json.loads(p.read_text())
        elif p.suffix == ".jsonl":
            docs[name] = [json.loads(x) for x in p.read_text().splitlines() if x.strip()]
    rep.add("files_present", True, f"{len(docs)} JSON files: {', '.join(sorted(docs))}")
    clusters = docs["clusters.json"].get("clusters", [])
    low = [c["id"] for c in clusters if c.get("users", 0) < policy["min_users"]
           or c.get("conversations", 0) < policy["min_conversations"]]
    rep.add("thresholds", not low, f"{len(clusters)} released clusters; {len(low)} below "
            f"{policy['min_users']} users / {policy['min_conversations']} conversations"
            + (f": {', '.join(low)}" if low else ""))
    by_id = {c["id"]: c for c in clusters}
    bad_parents = [c["id"] for c in clusters if c.get("children") and
                   c["conversations"] != sum(by_id[k]["conversations"] for k in c["children"] if k in by_id)]
    rep.add("no_differencing", not bad_parents, "every parent's count equals the sum of its released children"
            if not bad_parents else f"parents whose count differs from released children: {bad_parents}")
    strings = sorted({s for d in docs.values() for s in released_strings(d)})
    ph = [s for s in strings if PLACEHOLDER.search(s)]
    rep.add("no_placeholders", not ph, f"{len(strings)} strings; {len(ph)} contain a PII placeholder")
    if scanner is not None:
        found = scanner.find(strings, threshold) if strings else []
        hits = sum(bool(f) for f in found)
        types = sorted({t for f in found for t in f})
        rep.add("pii_rescan", hits == 0, f"{len(strings)} released strings re-scanned at threshold {threshold}; "
                f"{hits} flagged" + (f" (types: {', '.join(types)})" if types else ""))
    if support is not None:
        # names and descriptions are composed from keywords plus fixed wording; check what users wrote. Strings a
        # repeated release holds from the previous one were checked when first published (today's data may have
        # lost a user since, and re-publishing them says nothing new)
        held = held or frozenset()
        phrases = {s for d in docs.values() for s in released_strings(d, {"keywords", "exemplars"})}
        rare = {t for s in phrases - held for t in support.unsupported(s) if not t.isdigit()}
        kept = len(phrases & held)
        rep.add("phrase_support", not rare, f"{len(phrases)} keywords and exemplars checked word by word and pair by "
                f"pair; {len(rare)} words or pairs used by fewer than {support.k} users"
                + (f" ({kept} held from the previous release, checked when first published)" if kept else ""))
        written = [c[k] for c in clusters for k in c.get("model_written", []) if c[k] not in held]
        if written:
            bad = [s for s in written if not support.free_text_ok(s)]
            rep.add("model_written_support", not bad, f"{len(written)} LLM-written names and descriptions checked: "
                    f"every word and content-word pair used by >= {support.k} users; {len(bad)} fail")
    texts = {p.relative_to(release_dir).as_posix(): searchable_text(p) for p in release_files(release_dir)}
    if conversation_ids:
        words = {w for t in texts.values() for w in re.findall(r"[\w.:-]+", t)}
        leaked = len(words & conversation_ids)
        rep.add("no_conversation_ids", leaked == 0, f"{leaked} per-conversation ids found in release files")
    if canaries is not None:
        normed = {p: canary_norm(t) for p, t in texts.items()}
        hits = [(c, p) for c in canaries if len(canary_norm(c)) >= 1 for p, t in normed.items() if canary_norm(c) in t]
        rep.add("canaries", not hits, f"{len(canaries)} canaries checked in {len(texts)} files; {len(hits)} found"
                + (f" in {sorted({p for _, p in hits})}" if hits else ""))
    if recorded_hashes is not None:
        changed = [n for n, h in recorded_hashes.items()
                   if not (release_dir / n).exists() or file_sha256(release_dir / n) != h]
        rep.add("file_hashes", not changed, "every file matches the hash recorded at release"
                if not changed else f"changed or missing since release: {changed}")
    return rep


@dataclass(frozen=True)
class Auditor:
    """What re-checking a release needs besides its files: the policy, the scanner, and from the operator's private
    tier (when given) the phrase support of every summary and the conversation ids that must not appear."""

    policy: ReleasePolicy
    scanner: object  # privacy.scrub.Scrubber, or anything with find(texts, threshold) and describe()
    support: object | None = None  # privacy.phrases.PhraseSupport
    conversation_ids: frozenset[str] | None = None
    held: frozenset[str] = frozenset()  # strings a repeated release held from the previous one (privacy.repeat)

    def audit(self, release_dir: Path, canaries: list[str] | None = None,
              recorded_hashes: dict[str, str] | None = None) -> AuditReport:
        return audit_release(release_dir, self.policy.describe(), self.scanner, self.policy.rescan_threshold,
                             canaries=canaries, support=self.support, conversation_ids=self.conversation_ids,
                             recorded_hashes=recorded_hashes, held=self.held)
