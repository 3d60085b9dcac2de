"""Release gate: private clusters in, public aggregates out.

A cluster is released only with at least `min_users` distinct hashed users and `min_conversations`
conversations. Parents aggregate released children only, so no suppressed child can be recovered by
subtracting. Every released string is built from words that `min_users` users share and is re-scanned
with the scrubbing analyzer at a stricter threshold; what fails is dropped, never released.

The gate knows nothing of clio: it is handed the candidate clusters, the rule names are composed by (`Naming`,
clio's naming module implements it) and, under differential privacy, the public category lists as data.
"""
from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from privacy.dp import Categories
from privacy.llm_audit import flagged_by_rater
from privacy.private import PrivateFacets
from privacy.public import HierarchyNode, PublicCluster, PublicClusters, PublicHierarchy, PublicSummary
from privacy.repeat import GUARANTEE, Basis, ReleaseLedger, changed_users, corpus_members, fingerprint, hold_totals

UNKNOWN_USER = "__unknown__"
FALLBACK_NAME = "Unnamed cluster"


@dataclass(frozen=True)
class ReleasePolicy:
    min_users: int = 10
    min_conversations: int = 25
    one_user_per_conversation: bool = False
    rescan_threshold: float = 0.2
    dp_epsilon: float | None = None  # None: exact figures; else OpenDP noise on every released statistic
    dp_max_conversations_per_user: int = 5
    llm_max_rating: int = 3  # strings an LLM privacy rater (when configured) scores at or above this are dropped

    def __post_init__(self):
        if self.min_users < 1 or self.min_conversations < 1:
            raise ValueError("release thresholds must be at least 1")

    def noise(self):
        from privacy.dp import NoisyCounter

        if self.dp_epsilon is None:
            return None
        return NoisyCounter(self.dp_epsilon, self.dp_max_conversations_per_user)

    def user_key(self, f: PrivateFacets) -> str:
        """Distinct-user identity for thresholds: the hashed id, else one shared unknown user."""
        if f.user:
            return f.user
        return f"conv:{f.id}" if self.one_user_per_conversation else UNKNOWN_USER

    def describe(self) -> dict:
        return {"min_users": self.min_users, "min_conversations": self.min_conversations,
                "unknown_user_policy": "one user per conversation" if self.one_user_per_conversation
                else "all conversations without a user id count as one shared user",
                "rescan_threshold": self.rescan_threshold,
                "differential_privacy": self.noise().describe() if self.dp_epsilon is not None else "off",
                "repeated_releases": GUARANTEE}


@dataclass(frozen=True)
class ClusterText:
    """Candidate public strings for one cluster (still to pass the release gate)."""

    name: str
    description: str
    keywords: tuple[str, ...]
    exemplars: tuple[str, ...]
    # which of "name"/"description" are free text (an LLM's) the gate checks as written; the others are
    # composed from `keywords` and recomposed by the gate from the keywords that survive its re-scan
    free_text: tuple[str, ...] = ()


class Naming(Protocol):
    """How released names and descriptions are written from keywords. The gate recomposes them from the keywords
    that survive its checks, so it is handed the rule (`clio.cluster.naming.compose.COMPOSER`), never clio."""

    def name(self, keywords: Sequence[str], listing: int = 0) -> str:
        """"Head: second, third"; with `listing` n > 0 (a group named by its children's heads) a list of n."""

    def description(self, keywords: Sequence[str], n_children: int = 0) -> str: ...

    def group_keywords(self, heads: Sequence[str], own: Sequence[str],
                       sizes: Sequence[float] | None = None) -> list[str] | None:
        """A group's keywords from its released children's heads (largest child first, with their released
        conversation counts) and its own keywords; None when fewer than two distinct heads remain (the group keeps
        its own name)."""


@dataclass(frozen=True)
class CandidateCluster:
    """A private cluster before the gate: member row indices and candidate strings."""

    id: str
    level: int
    parent: str | None
    members: tuple[int, ...]
    text: ClusterText
    xy: tuple[float, float] = (0.0, 0.0)


@dataclass
class GateResult:
    released: list[PublicCluster] = field(default_factory=list)
    suppressed: Counter = field(default_factory=Counter)
    strings_dropped: Counter = field(default_factory=Counter)
    # repeated releases: what each cluster's published figures rest on (for the next ledger), and counts of held,
    # updated and new clusters (see privacy.repeat)
    bases: dict[str, Basis] = field(default_factory=dict)
    repeat: Counter = field(default_factory=Counter)


STAT_KEYS = ("conversations", "users", "share", "quizzing_share", "languages", "domains", "mean_turns", "mean_concern")
TEXT_KEYS = ("name", "description", "keywords", "exemplars")


def _held(previous: ReleaseLedger | None, level: int, members: dict, policy: ReleasePolicy) -> Basis | None:
    """The earlier decision this cluster repeats: its match in the previous release when fewer than `min_users`
    users changed behind it (and, if it was released, its figures still pass today's thresholds)."""
    if previous is None:
        return None
    basis = previous.match(level, members)
    if basis is None or changed_users(basis.members, members) >= policy.min_users:
        return None
    if basis.entry is not None and _passes(basis.entry, policy):
        return None
    return basis


def _stats(rows: Sequence[PrivateFacets], members: Sequence[int], policy: ReleasePolicy, total: int,
           noise=None, conversations: int | None = None, categories: Categories | None = None) -> dict:
    """Aggregates of one cluster; with `noise` (differential privacy) every figure comes from noisy queries
    (see privacy.dp), and a parent's conversation count is its released children's noisy sum."""
    fs = [rows[i] for i in members]
    if noise is not None:
        return _noisy_stats(fs, policy, total, noise, conversations, categories)
    n = len(fs)
    users = len({policy.user_key(f) for f in fs})
    langs = Counter(f.language for f in fs)
    doms = Counter(f.domain for f in fs)
    return {
        "conversations": n,
        "users": users,
        "share": round(n / max(1, total), 4),
        "quizzing_share": round(sum(f.quiz_label == "quizzing" for f in fs) / max(1, n), 4),
        "languages": {k: round(v / n, 3) for k, v in langs.most_common()},
        "domains": {k: round(v / n, 3) for k, v in doms.most_common()},
        "mean_turns": round(sum(f.turns for f in fs) / max(1, n), 2),
        "mean_concern": round(sum(f.concern for f in fs) / max(1, n), 2),
    }


def _noisy_stats(fs: Sequence[PrivateFacets], policy: ReleasePolicy, total: int, noise,
                 conversations: int | None, categories: Categories) -> dict:
    """The same figures from seven noisy queries over each user's first few conversations; shares and means
    divide noisy numbers (post-processing) and are clamped to their range; histogram bins under the noise
    floor are left out, so shares may sum to less than 1."""
    from privacy.dp import TURN_CAP

    keys = [policy.user_key(f) for f in fs]
    kept = [fs[i] for i in noise.keep(keys)]
    users = noise.users(len(set(keys)))
    clipped = noise.count(len(kept))
    count = conversations if conversations is not None else clipped
    quiz = noise.count(sum(f.quiz_label == "quizzing" for f in kept))
    doms = noise.histogram([f.domain for f in kept], categories.domains)
    langs = noise.histogram([f.language for f in kept], categories.languages)
    turns = noise.total([f.turns for f in kept], TURN_CAP)
    concern = noise.total([f.concern for f in kept], 5)
    den = max(1, clipped)

    def shares(h: dict[str, int]) -> dict[str, float]:
        """Bins above the noise floor, as shares of the clipped count (what is left out stays unreported)."""
        floor = noise.floor(len(h))
        kept = {k: v for k, v in h.items() if v >= floor}
        scale = max(den, sum(kept.values()))
        return {k: round(v / scale, 3) for k, v in sorted(kept.items(), key=lambda kv: -kv[1])}

    return {
        "conversations": count,
        "users": users,
        "share": round(min(1.0, count / max(1, total)), 4),
        "quizzing_share": round(min(1.0, quiz / den), 4),
        "languages": shares(langs),
        "domains": shares(doms),
        "mean_turns": round(min(float(TURN_CAP), max(1.0, turns / den)), 2),
        "mean_concern": round(min(5.0, max(1.0, concern / den)), 2),
    }


def _passes(stats: dict, policy: ReleasePolicy) -> str | None:
    if stats["users"] < policy.min_users:
        return "below_min_users"
    if stats["conversations"] < policy.min_conversations:
        return "below_min_conversations"
    return None


def _free_strings(text: ClusterText) -> tuple[str, ...]:
    """The name/description a namer wrote as free text (an LLM's) rather than composed from keywords."""
    return tuple(s for s in (text.name if "name" in text.free_text else "",
                             text.description if "description" in text.free_text else "") if s)


def _clean_text(text: ClusterText, findings: dict[str, list[str]], dropped: Counter, n_children: int,
                naming: Naming) -> dict:
    """Drop every candidate string the stricter re-scan flags; name and description are recomposed
    from the keywords that survive, so no dropped word comes back inside them. A free-text name or
    description (an LLM's) is kept as written unless the re-scan flags it; then it is recomposed too."""
    def ok(s: str) -> bool:
        bad = bool(findings.get(s))
        if bad:
            dropped["pii_rescan"] += 1
        return not bad

    keywords = [k for k in text.keywords if ok(k)]
    exemplars = [e for e in text.exemplars if ok(e)]
    name, description = naming.name(keywords), naming.description(keywords, n_children)
    if "name" in text.free_text and text.name and ok(text.name):
        name = text.name
    if "description" in text.free_text and text.description and ok(text.description):
        description = text.description
    return {"name": name, "description": description, "keywords": keywords, "exemplars": exemplars}


def _name_groups_by_children(released: list[dict], free_text: dict[str, tuple[str, ...]], naming: Naming) -> set[str]:
    """Name each group by its released children's head phrases, largest child first ("Python list
    comprehension, school project and sad poem"), then its own keywords; returns the ids so named. A head is a
    child's first released keyword (it passed the keyword rule and the re-scan), so a suppressed child never
    lends its topic to a group's name; a name an LLM wrote is kept; with fewer than two heads the group keeps
    its own "Head: second, third" name. Lower levels first, so a group above groups uses their new heads."""
    by_id = {e["id"]: e for e in released}
    listed = set()
    for e in sorted(released, key=lambda e: e["level"]):
        if not e["level"] or "name" in free_text.get(e["id"], ()):
            continue
        kids = sorted((by_id[k] for k in e["children"]), key=lambda k: (-k["conversations"], k["id"]))
        keywords = naming.group_keywords([k["keywords"][0] if k["keywords"] else "" for k in kids], e["keywords"],
                                         [k["conversations"] for k in kids])
        if keywords is None:
            continue
        e["keywords"] = keywords
        e["name"] = naming.name(e["keywords"], len(e["children"]))
        if "description" not in free_text.get(e["id"], ()):
            e["description"] = naming.description(e["keywords"], len(e["children"]))
        listed.add(e["id"])
    return listed


def gate(rows: Sequence[PrivateFacets], candidates: Sequence[CandidateCluster], policy: ReleasePolicy,
         scanner, naming: Naming, rater=None, categories: Categories | None = None,
         previous: ReleaseLedger | None = None) -> GateResult:
    """Apply thresholds level by level, bottom-up; every parent is re-aggregated from its released children only
    (members and counts), so no suppressed cluster at any level can be recovered by differencing. Then re-scan
    every released string. `categories` are the public lists differential privacy's histograms are taken over
    (needed with `policy.dp_epsilon`). With `previous` (the workspace's last release), a cluster fewer than
    `min_users` users changed behind repeats its published figures and strings (`privacy.repeat`)."""
    total = len(rows)
    res = GateResult()
    noise = policy.noise()
    if noise is not None and categories is None:
        raise ValueError("differential privacy needs the public category lists (domains, languages)")
    released_members: dict[str, list[int]] = {}
    released_counts: Counter = Counter()
    kept: list[tuple[CandidateCluster, dict]] = []
    for level in sorted({c.level for c in candidates}):
        for c in (c for c in candidates if c.level == level):
            if level == 0:
                members, count = list(c.members), None
            else:
                members, count = released_members.get(c.id), released_counts[c.id]
                if not members:
                    res.suppressed["no_released_children"] += 1
                    continue
            now = {rows[i].id: (policy.user_key(rows[i]), fingerprint(rows[i])) for i in members}
            basis = _held(previous, c.level, now, policy)
            if basis is not None and basis.entry is None:  # suppressed before, and too few users changed since
                res.suppressed["below_thresholds_held"] += 1
                res.bases[c.id] = basis
                res.repeat["suppressed_held"] += 1
                continue
            if basis is not None:  # released before, too few users changed since: the same figures again
                st = {k: basis.entry[k] for k in STAT_KEYS}
                why = None
            else:
                # a parent's count is the sum of its released children's (noisy) counts: nothing to subtract
                st = _stats(rows, members, policy, total, noise, count, categories)
                # with DP the noisy counts must pass, and the exact ones too: noise never lets a cluster of fewer
                # than min_users people out with its names and exemplars (the thresholds are a hard floor)
                exact = {"users": len({policy.user_key(rows[i]) for i in members}), "conversations": len(members)}
                why = _passes(st, policy) or (noise is not None and _passes(exact, policy))
            if level and count is not None:  # published children's counts add up to their parent's
                st["conversations"] = count
            if why:  # for a parent without noise this cannot happen while a child passes
                res.suppressed[why] += 1
                res.bases[c.id] = basis or Basis(c.level, now, None)
                continue
            if previous is not None:
                res.repeat["clusters_held" if basis else "clusters_updated" if previous.match(c.level, now)
                           else "clusters_new"] += 1
            res.bases[c.id] = basis or Basis(c.level, now, None)
            kept.append((c, st))
            if c.parent:
                released_members.setdefault(c.parent, []).extend(members)
                released_counts[c.parent] += st["conversations"]
    strings = sorted({s for c, _ in kept for s in (*c.text.keywords, *c.text.exemplars, *_free_strings(c.text)) if s})
    findings = dict(zip(strings, scanner.find(strings, policy.rescan_threshold))) if strings else {}
    for t in flagged_by_rater(rater, [s for s in strings if not findings.get(s)], policy.llm_max_rating):
        findings[t] = ["LLM_PRIVACY_RATING"]
    released_ids = {c.id for c, _ in kept}
    drafts: list[dict] = []  # the released entries while names settle; frozen into PublicClusters at the end
    for c, st in kept:
        children = sorted(x.id for x, _ in kept if x.parent == c.id)
        entry = {"id": c.id, "level": c.level, "parent": c.parent if c.parent in released_ids else None,
                 "children": children, **_clean_text(c.text, findings, res.strings_dropped, len(children), naming),
                 **st, "x": round(float(c.xy[0]), 4), "y": round(float(c.xy[1]), 4)}
        drafts.append(entry)
    listed = _name_groups_by_children(drafts, {c.id: c.text.free_text for c, _ in kept}, naming)
    # composed strings get their own scan; a flagged name is recomposed with fewer keywords, its head kept (two clean
    # words can read as a place together: "Chemistry questions: какие, задачу"; not for a name listing its children,
    # which would then name one child), then led by each other keyword in turn (a capitalised head word can read as
    # a name to NER), and what stays flagged falls back to fixed wording. A flagged free-text name tries the
    # composed one first.
    def flagged_of(texts: set[str]) -> set[str]:
        texts = sorted(texts)
        return {t for t, f in zip(texts, scanner.find(texts, policy.rescan_threshold) if texts else []) if f} \
            | flagged_by_rater(rater, texts, policy.llm_max_rating)

    def rotations(e: dict) -> list[str]:
        kws, listing = e["keywords"], len(e["children"]) if e["id"] in listed else 0
        start = 1 if e["name"] == naming.name(kws, listing) else 0
        # fewer keywords only where a name is not a list of its children (a shorter list would name one child)
        shorter = [] if listing else [naming.name(kws[:n], 0) for n in range(len(kws) - 1, 0, -1)]
        rotated = [naming.name(kws[i:] + kws[:i], listing) for i in range(start, len(kws))]
        return list(dict.fromkeys(n for n in [*shorter, *rotated] if n != e["name"]))

    flagged = flagged_of({e[k] for e in drafts for k in ("name", "description") if e[k]})
    retry = {e["id"]: rotations(e) for e in drafts if e["name"] in flagged}
    flagged |= flagged_of({n for names in retry.values() for n in names})
    for e in drafts:
        e["name"] = next((n for n in retry.get(e["id"], []) if n and n not in flagged), e["name"])
        for key, fallback in (("name", FALLBACK_NAME), ("description", "")):
            if not e[key] or e[key] in flagged:
                res.strings_dropped["pii_rescan"] += bool(e[key])
                e[key] = fallback
    for (c, _), e in zip(kept, drafts):  # what an LLM wrote and survived both scans: the audit re-checks it
        written = [k for k in c.text.free_text if e[k] and e[k] == getattr(c.text, k)]
        if written:
            e["model_written"] = written
    _repeat_strings(drafts, res.bases, scanner, policy, res.strings_dropped)
    res.released = [PublicCluster.from_json(e, f"released cluster {e['id']}") for e in drafts]
    return res


def _repeat_strings(drafts: list[dict], bases: dict[str, Basis], scanner, policy: ReleasePolicy,
                    dropped: Counter) -> None:
    """A held cluster publishes the strings it had (a keyword that one new user's words would add must not appear),
    unless today's re-scan flags one of them: then it keeps today's strings."""
    held = {e["id"]: bases[e["id"]].entry for e in drafts if bases.get(e["id"]) and bases[e["id"]].entry}
    texts = sorted({s for old in held.values() for k in TEXT_KEYS
                    for s in ([old[k]] if isinstance(old[k], str) else old[k]) if s})
    flagged = {t for t, f in zip(texts, scanner.find(texts, policy.rescan_threshold) if texts else []) if f}
    for e in drafts:
        old = held.get(e["id"])
        if old is None:
            continue
        if any(s in flagged for k in TEXT_KEYS for s in ([old[k]] if isinstance(old[k], str) else old[k])):
            dropped["held_string_rescan"] += 1
            continue
        for k in TEXT_KEYS:
            e[k] = old[k]
        e.pop("model_written", None)
        if old.get("model_written"):
            e["model_written"] = old["model_written"]


def release_artifacts(result: GateResult, rows: Sequence[PrivateFacets], policy: ReleasePolicy, counts: Mapping,
                      levels: Sequence[str], unclustered: int, *, embedding_model: str, facet_backend: str,
                      clustering: Mapping, namer_model: str | None = None, naming: Mapping | None = None,
                      previous: ReleaseLedger | None = None
                      ) -> tuple[PublicClusters, PublicHierarchy, PublicSummary, ReleaseLedger]:
    """The public artifacts of a gated run: clusters.json, hierarchy.json and summary.json (`counts` are ingest's:
    read, accepted, quarantined, quarantine reasons, PII removed by type), and the private ledger the next release
    compares itself with. The corpus totals are held while fewer than `min_users` users changed since `previous`;
    every share is a published count over the published total (so no share reveals an unpublished total)."""
    total = len(rows)
    quiz = sum(f.quiz_label == "quizzing" for f in rows) / max(1, total)
    fresh = {"read": counts["read"], "accepted": counts["accepted"], "quarantined": counts["quarantined"],
             "quarantine_reasons": dict(counts.get("quarantine_reasons", {})), "quizzing_share": round(quiz, 4),
             "asking_share": round(1 - quiz, 4) if total else 0.0,
             "unclustered_share": round(unclustered / max(1, total), 4),
             "pii_removed_by_type": dict(sorted(counts.get("pii_removed_by_type", {}).items()))}
    corpus = corpus_members(rows, policy.user_key)
    totals, state, basis = hold_totals(fresh, corpus, previous, policy.min_users)
    published_total = totals["accepted"]
    clusters = sorted((dataclasses.replace(c, share=round(c.conversations / max(1, published_total), 4))
                       for c in result.released), key=lambda c: (-c.level, -c.conversations, c.id))
    by_id = {c.id: c for c in clusters}

    def node(c: PublicCluster) -> HierarchyNode:
        return HierarchyNode(c.id, c.name, c.description, c.conversations, c.users, c.share, c.quizzing_share,
                             tuple(node(by_id[k]) for k in c.children if k in by_id))

    top = max((c.level for c in clusters), default=0)
    base_released = sum(c.level == 0 for c in clusters)
    created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    repeat = None
    if previous is not None:
        repeat = {"previous_release": previous.created_at, "rule": GUARANTEE, "min_changed_users": policy.min_users,
                  "totals": state, **{k: result.repeat.get(k, 0) for k in ("clusters_held", "clusters_updated",
                                                                          "clusters_new", "suppressed_held")}}
    # "other": the conversations in no released base cluster, from published figures only (it adds no information)
    in_base = sum(c.conversations for c in clusters if c.level == 0)
    other_n = max(0, published_total - in_base)
    other = {"conversations": other_n, "share": round(other_n / max(1, published_total), 4),
             "unclustered_share": totals["unclustered_share"],
             "below_thresholds_share": round(max(0.0, other_n / max(1, published_total) - totals["unclustered_share"]),
                                             4)}
    summary = PublicSummary(
        **{k: totals[k] for k in ("read", "accepted", "quarantined", "quarantine_reasons")},
        clusters_released=base_released,
        clusters_suppressed=sum(v for k, v in result.suppressed.items() if k != "no_released_children"),
        groups_released=len(clusters) - base_released,
        quizzing_share=totals["quizzing_share"], asking_share=totals["asking_share"],
        unclustered_share=totals["unclustered_share"],
        released_conversation_share=round(in_base / max(1, published_total), 4),
        pii_removed_by_type=totals["pii_removed_by_type"],
        coverage=None, policy=policy.describe(), created_at=created,
        embedding_model=embedding_model, facet_backend=facet_backend, clustering=clustering,
        namer_model=namer_model, naming=naming, repeat=repeat, other=other)
    public = PublicClusters(published_total, totals["unclustered_share"], tuple(levels), tuple(clusters))
    hierarchy = PublicHierarchy(tuple(levels), tuple(node(c) for c in clusters if c.level == top),
                                {"share": totals["unclustered_share"]})
    ledger = ReleaseLedger(
        created_at=created, clusters_sha256=hashlib.sha256(public.files()[public.FILE].encode()).hexdigest(),
        corpus=basis, totals=totals,
        bases=tuple(_next_basis(b, by_id.get(cid)) for cid, b in sorted(result.bases.items())))
    return public, hierarchy, summary, ledger


def _next_basis(basis: Basis, published: PublicCluster | None) -> Basis:
    """What the next release compares a cluster with: the members its published figures rest on (kept from earlier
    while held) and the cluster as published now (None: suppressed)."""
    if published is None:
        return Basis(basis.level, basis.members, None)
    entry = published.to_json()
    if basis.entry is not None:
        entry["held"] = True  # private marker: these strings were published before (see ReleaseLedger.held_strings)
    return Basis(basis.level, basis.members, entry)
