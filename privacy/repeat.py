"""Repeated releases from one workspace: the difference between two releases never rests on fewer than k users.

Each release passes its thresholds alone, but Clio-style tools publish on a schedule, and two releases side by side
can be subtracted: one user adding five conversations moves one cluster from 15 conversations / 14 users to
20 / 15 and the totals by exactly their share. The rule, with k = `min_users`:

    A published figure changes from one release to the next only when the set of users behind it changed by at
    least k users since the figure was last computed; otherwise the previous figure is published again (held).

- "Users behind a figure": for a cluster, the users with conversations in it; for the totals (read, accepted,
  quarantined, PII removed, quizzing share, unclustered share), every user of the corpus. A user counts as changed
  when the set of their conversations in it differs: a conversation added, removed, or whose facets changed (a
  fingerprint of the facets the figures are made of). Conversations without a user id share one unknown user.
- Clusters are matched across releases by their conversations (at the same level, Jaccard >= 0.5 of conversation
  ids). A matched cluster changed by fewer than k users keeps its previous figures and strings (names, keywords,
  exemplars published before); a previously suppressed one stays suppressed; a released one that now falls below
  the thresholds keeps its previous figures rather than vanish. The basis a held figure was computed from is kept,
  so changes accumulate: k users changing one at a time release after k, never one by one.
- A parent's conversation count is always the sum of its released children's published counts (nothing to
  subtract), and every share is a published count over the published total.

What it does not cover: a cluster whose conversations no earlier cluster shares (new topics, or a re-clustering that
dissolves or merges clusters) is released or withheld on the thresholds alone; the map positions come from the
current clustering; the guarantee is k-anonymity of differences, not differential privacy (use `--dp-epsilon` for
noise, whose budget composes over releases); and it holds between releases of the same workspace (its private
ledger, `private/release_ledger.json`): deleting the ledger, or releasing the same users from two workspaces, is
not covered.
"""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from privacy.files import atomic_write_json
from privacy.private import PrivateFacets

MATCH_JACCARD = 0.5
# summary.json figures that describe the whole corpus: held together while fewer than k users changed
TOTALS = ("read", "accepted", "quarantined", "quarantine_reasons", "quizzing_share", "asking_share",
          "unclustered_share", "pii_removed_by_type")
GUARANTEE = ("a figure changes between two releases of this workspace only when at least min_users users changed "
             "behind it; otherwise the previous figure is published again (corpus totals, and clusters matched by "
             "their conversations). Not covered: a cluster with no predecessor (a new topic, or one a re-clustering "
             "formed anew) is released on the thresholds alone; see privacy/repeat.py")


def fingerprint(f: PrivateFacets) -> str:
    """What a conversation contributes to the figures: a change here is a change of its user."""
    parts = [f.id, f.language, f.domain, f.quiz_label, f.turns, f.concern, f.summary]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:16]


Members = Mapping[str, tuple[str, str]]  # conversation id -> (user key, fingerprint)


def changed_users(before: Members, after: Members) -> int:
    """Users whose conversations (with their fingerprints) differ between two member sets."""
    by_user: dict[str, list[set]] = defaultdict(lambda: [set(), set()])
    for cid, (user, fp) in before.items():
        by_user[user][0].add((cid, fp))
    for cid, (user, fp) in after.items():
        by_user[user][1].add((cid, fp))
    return sum(a != b for a, b in by_user.values())


@dataclass(frozen=True)
class Basis:
    """One cluster decision as last published: its level, the members its figures were computed from, and what was
    published (the cluster's JSON), or None when it was suppressed."""

    level: int
    members: Mapping[str, tuple[str, str]]
    entry: Mapping | None

    def to_json(self) -> dict:
        return {"level": self.level, "members": {k: list(v) for k, v in self.members.items()}, "entry": self.entry}

    @classmethod
    def from_json(cls, d: dict) -> Basis:
        return cls(d["level"], {k: (v[0], v[1]) for k, v in d["members"].items()}, d.get("entry"))


@dataclass(frozen=True)
class ReleaseLedger:
    """PRIVATE (private/release_ledger.json): what the last release published and from which conversations, so the
    next release can tell which of its figures would move by fewer than k users."""

    created_at: str
    clusters_sha256: str
    corpus: Mapping[str, tuple[str, str]]  # the basis of the totals
    totals: Mapping
    bases: tuple[Basis, ...] = ()
    _index: dict = field(default_factory=dict, compare=False, repr=False)

    def match(self, level: int, members: Members) -> Basis | None:
        """The earlier cluster of this level sharing the most conversations with `members` (Jaccard >= 0.5)."""
        if not self._index:
            for b in self.bases:
                for cid in b.members:
                    self._index.setdefault((b.level, cid), []).append(b)
        counts: dict[int, int] = defaultdict(int)
        seen: dict[int, Basis] = {}
        for cid in members:
            for b in self._index.get((level, cid), ()):
                counts[id(b)] += 1
                seen[id(b)] = b
        best, score = None, 0.0
        for key, shared in counts.items():
            b = seen[key]
            jac = shared / (len(members) + len(b.members) - shared)
            if jac > score:
                best, score = b, jac
        return best if score >= MATCH_JACCARD else None

    def held_strings(self) -> set[str]:
        """Strings of clusters whose figures are held (published before: the audit does not ask today's data to
        support them again)."""
        out: set[str] = set()
        for b in self.bases:
            e = b.entry or {}
            if e.get("held"):
                out.update(s for s in (e.get("name"), e.get("description")) if s)
                out.update(e.get("keywords", ()))
                out.update(e.get("exemplars", ()))
        return out

    def to_json(self) -> dict:
        return {"created_at": self.created_at, "clusters_sha256": self.clusters_sha256,
                "corpus": {k: list(v) for k, v in self.corpus.items()}, "totals": dict(self.totals),
                "bases": [b.to_json() for b in self.bases]}

    @classmethod
    def from_json(cls, d: dict) -> ReleaseLedger:
        return cls(d["created_at"], d["clusters_sha256"], {k: (v[0], v[1]) for k, v in d["corpus"].items()},
                   d["totals"], tuple(Basis.from_json(b) for b in d["bases"]))


LEDGER = "release_ledger.json"
PENDING = "release_ledger.pending.json"


def load_ledger(private_dir: Path, release_dir: Path) -> ReleaseLedger | None:
    """The ledger of the release now in `release_dir`. A pending ledger (written before its release) is promoted
    when that release is the one published; either way a ledger that does not describe the published clusters.json
    is not used, and the release now published is described by the promoted one."""
    from privacy.public import file_sha256

    clusters = Path(release_dir) / "clusters.json"
    published = file_sha256(clusters) if clusters.exists() else None
    pending, current = Path(private_dir) / PENDING, Path(private_dir) / LEDGER
    if pending.exists():
        ledger = ReleaseLedger.from_json(json.loads(pending.read_text()))
        if ledger.clusters_sha256 == published:
            pending.replace(current)
        else:
            pending.unlink()
    if not current.exists():
        return None
    ledger = ReleaseLedger.from_json(json.loads(current.read_text()))
    return ledger if ledger.clusters_sha256 == published else None


def write_pending(private_dir: Path, ledger: ReleaseLedger) -> None:
    atomic_write_json(Path(private_dir) / PENDING, ledger.to_json())


def corpus_members(rows: Sequence[PrivateFacets], user_key) -> dict[str, tuple[str, str]]:
    return {f.id: (user_key(f), fingerprint(f)) for f in rows}


def hold_totals(summary: Mapping, corpus: Members, previous: ReleaseLedger | None, k: int) -> tuple[dict, str, Members]:
    """The summary's corpus totals as published: the previous ones while fewer than `k` users changed in the corpus.
    Returns (totals, "first release" | "held" | "updated", the basis the totals rest on)."""
    fresh = {t: summary[t] for t in TOTALS}
    if previous is None:
        return fresh, "first release", corpus
    if changed_users(previous.corpus, corpus) < k:
        return dict(previous.totals), "held", previous.corpus
    return fresh, "updated", corpus
