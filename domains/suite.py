"""Usage-weighted eval suites for a domain, built only from released (audited) text and public items.

    released base clusters --gate_clusters--> clusters of the domain, each under a task node
                           --allocate-------> items per cluster in proportion to usage, split by its quizzing share
                           --fill-----------> released exemplars, then the public pool, then an LLM writer
                           --> SuiteBuild (items, what the gate left out, what each source dropped, the shortfall)

An input is never repeated to reach a count: when the sources run out a cluster gets fewer items, and the build
says how many were missing and where. Every item carries grading material (a choice key, a short answer, a reference
answer, or a rubric: at least the task's rubric from the domain pack).

Privacy: cluster text comes from `release/clusters.json` through the public types (`privacy.public`); pool items
are public files the user names; an LLM writer sees only released text (`ClusterBrief`). Candidates from the pool and
the LLM pass the caller's PII re-scan before they are used.
"""
from __future__ import annotations

import dataclasses
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from domains.export import FORMATS, UnsupportedFormatError, write_suite
from domains.gate import Embedder, GateResult, NodeMatch, base_clusters, gate_clusters, unit_rows
from domains.sources import ClusterBrief, Draft, ItemWriter, PoolItem, draft_from_pool, normalise
from domains.taxonomy import Taxonomy, node_label
from privacy.public import PublicCluster, PublicClusters, SchemaError, SuiteItem, read_artifact

__all__ = [
    "FORMATS", "NodeMatch", "SchemaError", "SuiteBuild", "SuiteItem", "UnsupportedFormatError",
    "build_suite", "load_release_clusters", "map_clusters", "write_suite",
]

NEAR_DUPLICATE = 0.95  # cosine at or above which two inputs count as the same prompt reworded
# a pool item must be at least this close to the cluster it is nearest to; measured (bench/suite_eval.py pool_floor:
# a labelled pool of 3,848 benchmark items against the mix's medical suite): at cosine 0.2 1,676 items are eligible
# and 2.0% are off-domain, at 0.25 864 and 2.3%, at 0.15 2,334 and 4.2%
MIN_POOL_SIMILARITY = 0.2
LLM_MARGIN = 1.5  # ask an LLM for this many times the items still needed (some are dropped by the checks)


def load_release_clusters(path: str | Path) -> tuple[PublicCluster, ...]:
    """The released clusters of a `release/clusters.json` file (SchemaError on a file of another version)."""
    return read_artifact(PublicClusters, Path(path)).clusters


def map_clusters(taxonomy: Taxonomy, clusters: Sequence[PublicCluster], embedder: Embedder,
                 min_similarity: float | None = None, min_domain_share: float | None = None) -> list[NodeMatch]:
    """The clusters the domain gate admits, each under its most similar task (see `domains.gate`)."""
    return list(gate_clusters(taxonomy, clusters, embedder, min_similarity, min_domain_share).admitted)


def usage_weights(matches: Sequence[NodeMatch], clusters: Sequence[PublicCluster] = ()) -> list[float]:
    """Cluster shares normalised to sum to 1; falls back to conversation counts, then uniform."""
    if not matches:
        return []
    raw = [max(m.share, 0.0) for m in matches]
    if sum(raw) <= 0:
        by_id = {c.id: c for c in clusters}
        raw = [max(float(by_id[m.cluster_id].conversations if m.cluster_id in by_id else 0), 0.0) for m in matches]
    if sum(raw) <= 0:
        raw = [1.0] * len(matches)
    total = sum(raw)
    return [r / total for r in raw]


def allocate(weights: Sequence[float], n: int) -> list[int]:
    """Largest-remainder split of `n` items proportional to `weights`; sums to exactly `n`."""
    if n < 0:
        raise ValueError(f"n_items must be >= 0, got {n}")
    if not weights:
        return []
    quotas = [w * n for w in weights]
    counts = [int(q) for q in quotas]
    # Ties in the remainder go to the earlier cluster so the split never depends on the seed.
    order = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - counts[i]), i))
    for i in order[: n - sum(counts)]:
        counts[i] += 1
    return counts


def released_inputs(cluster: PublicCluster) -> list[str]:
    """The released exemplars of a cluster, verbatim and each once (cluster names and descriptions are not prompts)."""
    return list(dict.fromkeys(e.strip() for e in cluster.exemplars if e.strip()))


def cluster_vectors(clusters: Sequence[PublicCluster], embedder: Embedder):
    """(n, d) unit vectors of released base clusters from their public text: the mean of their exemplars' vectors
    and of their name and description. Pool items are placed, and LLM items checked, against these."""
    import numpy as np

    texts, owner = [], []
    for i, c in enumerate(clusters):
        for t in [*released_inputs(c), f"{c.name}. {c.description}"]:
            texts.append(t)
            owner.append(i)
    V = unit_rows(embedder.encode(texts))
    out = np.zeros((len(clusters), V.shape[1]), dtype=np.float32)
    np.add.at(out, np.asarray(owner), V)
    return unit_rows(out)


@dataclass
class SuiteBuild:
    """A built suite: its items and everything a manifest reports about how they were chosen."""

    items: list[SuiteItem]
    requested: int
    gate: GateResult
    planned: dict[str, int]  # cluster id -> items allocated by usage
    shortfall: dict[str, int]  # cluster id -> items the sources could not supply
    dropped: dict[str, Counter] = field(default_factory=dict)  # source -> reason -> count
    writer: dict | None = None  # the LLM writer's report (requests, cache hits, spend)

    @property
    def missing(self) -> int:
        return sum(self.shortfall.values())

    def notes(self) -> list[str]:
        out = []
        if self.missing:
            worst = sorted(self.shortfall.items(), key=lambda kv: -kv[1])[:5]
            out.append(f"{len(self.items)} of {self.requested} items: the sources ran out for "
                       f"{sum(1 for v in self.shortfall.values() if v)} clusters ("
                       + ", ".join(f"{k} short by {v}" for k, v in worst if v)
                       + "); inputs are never repeated. Add --pool FILE or --llm to supply more.")
        if not self.gate.admitted:
            out.append("no released cluster passed the domain gate")
        return out


class _Picker:
    """Chooses one cluster's items: each form's quota first, in source order, never an input twice in the suite."""

    def __init__(self, k: int, k_quiz: int, seen: set[str]):
        self.need = {"quizzing": k_quiz, "asking": k - k_quiz}
        self.k = k
        self.chosen: list[Draft] = []
        self.spare: list[Draft] = []
        self.seen = seen

    def offer(self, d: Draft) -> bool:
        key = normalise(d.text)
        if key in self.seen or len(self.chosen) >= self.k:
            return False
        if self.need.get(d.form, 0) > 0:
            self.need[d.form] -= 1
            self.chosen.append(d)
            self.seen.add(key)
            return True
        self.spare.append(d)
        return False

    def fill_from_spare(self) -> None:
        """When a form's sources ran out, the other form's candidates fill the count (mix reported per cluster)."""
        for d in self.spare:
            if len(self.chosen) >= self.k:
                break
            key = normalise(d.text)
            if key not in self.seen:
                self.chosen.append(d)
                self.seen.add(key)

    @property
    def short(self) -> int:
        return self.k - len(self.chosen)


def build_suite(
    taxonomy: Taxonomy,
    clusters: Sequence[PublicCluster],
    embedder: Embedder,
    n_items: int = 200,
    seed: int = 0,
    *,
    pool: Sequence[PoolItem] = (),
    pool_vectors=None,
    writer: ItemWriter | None = None,
    form_of: Callable[[Sequence[str]], list[str]] | None = None,
    has_pii: Callable[[Sequence[str]], list[bool]] | None = None,
    min_similarity: float | None = None,
    min_domain_share: float | None = None,
    exemplars: bool = True,
) -> SuiteBuild:
    """A usage-weighted suite: each cluster the domain gate admits gets items in proportion to its share, split by
    its quizzing share, from its released exemplars, then the pool items nearest it, then an LLM `writer`.

    `pool_vectors` are the pool's (n, d) vectors in the embedder's space (a caller's cache), computed when absent.
    `form_of` labels texts quizzing/asking (clio's classifier); without it a pool item with an answer key counts as
    quizzing and the rest as asking. `has_pii` is the release re-scan; pool and LLM candidates it flags are dropped.
    Deterministic for a seed; items come out shuffled so any prefix is roughly usage-weighted.
    """
    import numpy as np

    if n_items < 0:
        raise ValueError(f"n_items must be >= 0, got {n_items}")
    gate = gate_clusters(taxonomy, clusters, embedder, min_similarity, min_domain_share)
    matches = list(gate.admitted)
    base = base_clusters(clusters)
    by_id = {c.id: c for c in base}
    weights = usage_weights(matches, clusters)
    counts = allocate(weights, n_items)
    dropped: dict[str, Counter] = {"release": Counter(), "pool": Counter(), "llm": Counter()}
    planned = {m.cluster_id: k for m, k in zip(matches, counts)}
    seen: set[str] = set()
    pickers: dict[str, _Picker] = {}
    rubrics = {m.cluster_id: taxonomy.rubric(m.category, m.subcategory, m.task) for m in matches}
    for m, k in zip(matches, counts):
        q = by_id[m.cluster_id].quizzing_share or 0.0
        pickers[m.cluster_id] = _Picker(k, int(round(k * q)), seen)

    C = cluster_vectors(base, embedder) if base else None
    row_of = {c.id: i for i, c in enumerate(base)}
    accepted_vecs: list = []

    def near_duplicate(v) -> bool:
        return bool(accepted_vecs) and float(np.max(np.stack(accepted_vecs) @ v)) >= NEAR_DUPLICATE

    # 1. released exemplars, verbatim
    if exemplars:
        ex = {m.cluster_id: released_inputs(by_id[m.cluster_id]) for m in matches}
        texts = [t for m in matches for t in ex[m.cluster_id]]
        forms = form_of(texts) if (form_of and texts) else ["asking"] * len(texts)
        form_by_text = dict(zip(texts, forms))
        vec_by_text = dict(zip(texts, unit_rows(embedder.encode(texts)))) if texts else {}
        for m in matches:
            rng = random.Random(f"{seed}:{m.cluster_id}")
            cands = ex[m.cluster_id][:]
            rng.shuffle(cands)
            for t in cands:
                d = Draft(text=t, source="release", provenance=f"release:{m.cluster_id}:exemplar",
                          form=form_by_text[t], rubric=rubrics[m.cluster_id])
                if pickers[m.cluster_id].offer(d):
                    accepted_vecs.append(vec_by_text[t])
                else:
                    dropped["release"]["not needed or repeated"] += 1

    # 2. the public pool: each item goes to the released cluster it is nearest to, and is used at most once
    if pool and matches and C is not None:
        P = unit_rows(pool_vectors if pool_vectors is not None else embedder.encode([p.text for p in pool]))
        sims = P @ C.T
        nearest = sims.argmax(axis=1)
        best = sims[np.arange(len(pool)), nearest]
        forms = form_of([p.text for p in pool]) if form_of else None
        for m in matches:
            j = row_of[m.cluster_id]
            idx = [i for i in np.argsort(-sims[:, j], kind="stable")
                   if nearest[i] == j and best[i] >= MIN_POOL_SIMILARITY]
            picker = pickers[m.cluster_id]
            # only the candidates this cluster can use are re-scanned, nearest first, in small rounds
            pos = 0
            while picker.short > 0 and pos < len(idx):
                batch = idx[pos:pos + max(2 * picker.short, 8)]
                pos += len(batch)
                flags = has_pii([pool[i].text for i in batch]) if has_pii else [False] * len(batch)
                for i, flagged in zip(batch, flags):
                    if flagged:
                        dropped["pool"]["pii re-scan"] += 1
                        continue
                    if near_duplicate(P[i]):
                        dropped["pool"]["near duplicate"] += 1
                        continue
                    d = draft_from_pool(pool[i], rubrics[m.cluster_id])
                    if forms is not None and not d.choices:
                        d = dataclasses.replace(d, form=forms[i])
                    if picker.offer(d):
                        accepted_vecs.append(P[i])

    # 3. an LLM writes what is still missing, from released text only
    writer_report = None
    if writer is not None and C is not None:
        need = [m for m in matches if pickers[m.cluster_id].short > 0]
        briefs = [_brief(taxonomy, by_id[m.cluster_id], m, pickers[m.cluster_id]) for m in need]
        results = writer.write(briefs) if briefs else []
        writer_report = writer.report()
        for m, drafts in zip(need, results):
            picker = pickers[m.cluster_id]
            drafts = [d for d in drafts if d.text.strip()]
            flags = has_pii([d.text for d in drafts]) if (has_pii and drafts) else [False] * len(drafts)
            V = unit_rows(embedder.encode([d.text for d in drafts])) if drafts else np.zeros((0, 1))
            for d, flagged, v in zip(drafts, flags, V):
                if flagged:
                    dropped["llm"]["pii re-scan"] += 1
                elif normalise(d.text) in seen:
                    dropped["llm"]["repeated input"] += 1
                elif near_duplicate(v):
                    dropped["llm"]["near duplicate"] += 1
                elif int(np.argmax(C @ v)) != row_of[m.cluster_id]:
                    dropped["llm"]["nearest another cluster"] += 1
                elif picker.offer(d):
                    accepted_vecs.append(v)
                else:
                    dropped["llm"]["not needed"] += 1

    items: list[SuiteItem] = []
    shortfall: dict[str, int] = {}
    for m, w in zip(matches, weights):
        picker = pickers[m.cluster_id]
        picker.fill_from_spare()
        shortfall[m.cluster_id] = picker.short
        q = by_id[m.cluster_id].quizzing_share
        for j, d in enumerate(picker.chosen):
            items.append(SuiteItem(
                id=f"{taxonomy.name}-{m.cluster_id}-{j:04d}", domain=taxonomy.name,
                category=m.category, subcategory=m.subcategory, task=m.task, cluster_id=m.cluster_id,
                weight=w, input=d.text, quizzing_share=None if q is None else float(q), source=d.source,
                provenance=d.provenance, form=d.form, grading=d.grading(), target=d.target, choices=d.choices,
                reference=d.reference, rubric=tuple(dict.fromkeys([*d.rubric, *rubrics[m.cluster_id]])),
                grading_source=d.grading_source))
    random.Random(seed).shuffle(items)
    return SuiteBuild(items=items, requested=n_items, gate=gate, planned=planned, shortfall=shortfall,
                      dropped={k: v for k, v in dropped.items() if v}, writer=writer_report)


def _brief(taxonomy: Taxonomy, c: PublicCluster, m: NodeMatch, picker: _Picker) -> ClusterBrief:
    """What an LLM writer sees of a cluster: released strings and aggregates, the task node and what is needed."""
    task = next(t for cat, sub, t in taxonomy.nodes() if (cat.name, sub.name, t.name) == (m.category, m.subcategory,
                                                                                           m.task))
    n_quiz = max(picker.need["quizzing"], 0)
    n_ask = max(picker.short - n_quiz, 0)
    return ClusterBrief(
        cluster_id=c.id, name=c.name, description=c.description, keywords=tuple(c.keywords),
        exemplars=tuple(released_inputs(c)), share=float(c.share or 0.0), quizzing_share=c.quizzing_share,
        languages=dict(c.languages or {}), mean_turns=float(c.mean_turns or 0.0), domain=taxonomy.title,
        node=node_label(m.category, m.subcategory, m.task), task_description=task.description,
        rubric=taxonomy.rubric(m.category, m.subcategory, m.task),
        n_asking=_with_margin(n_ask), n_quizzing=_with_margin(n_quiz),
        avoid=tuple(d.text for d in picker.chosen))


def _with_margin(n: int) -> int:
    return 0 if n <= 0 else int(n * LLM_MARGIN) + 1
