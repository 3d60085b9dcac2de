"""The only place stages meet: ingest+scrub -> facets -> embed -> cluster -> hierarchy -> naming -> release.

Each stage's output is written atomically under WORKSPACE/private/ with a manifest entry keyed by the
hash of its inputs and config, so a re-run skips unchanged stages and recomputes the rest.
"""
from __future__ import annotations

import dataclasses
import json
import logging
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from clio import __version__
from clio.cluster.base import (
    cluster_vectors, group_centered, make_clusterer, make_reducer, min_cluster_size_for, noise_similarity_for,
)
from clio.config import PipelineConfig
from clio.embed.embedders import Embedder, make_embedder
from clio.embed.cache import VectorCache, embed_texts
from clio.facets.stage import dp_categories, facet_conversations, make_facetizer
from clio.cluster.hierarchy import build_hierarchy, level_names, node_id, parent_arrays
from clio.ingest.readers import count_records, read_records
from clio.cluster.naming.compose import COMPOSER
from clio.cluster.naming.ctfidf import CtfidfNamer, central_order, term_counts, top_terms
from clio.cluster.naming.namer import Namer
from clio.cluster.naming.tagger import PhraseTagger
from clio.progress import progress
from privacy.private import PrivateConversation, PrivateFacets, QuarantineEntry
from clio.workspace import Workspace, stable_hash
from privacy.files import atomic_write_json, atomic_write_with, read_jsonl
from privacy.audit import Auditor, AuditReport
from privacy.door import Withheld, publish
from privacy.ids import workspace_secret
from privacy.phrases import PhraseSupport
from privacy.public import PublicAudit, PublicCoverage, PublicSuite, PublicSummary, read_release
from privacy.release import CandidateCluster, gate, release_artifacts
from privacy.scrub import Scrubber, ScrubStats, scrub_conversations

log = logging.getLogger("clio")


class CountMismatch(RuntimeError):
    pass


@dataclass
class Components:
    """Swappable parts; None means the default built from config, loaded lazily."""

    scrubber: Scrubber | None = None
    embedder: Embedder | None = None
    rater: object | None = None  # privacy.llm_audit.PrivacyRater; None = no LLM audit
    facetizer: object | None = None  # clio.facets.Facetizer; None = built from config.facets


def _fingerprint(paths: Sequence[Path]) -> list:
    out = []
    for p in paths:
        st = Path(p).stat()
        out.append([Path(p).resolve().as_posix(), st.st_size, st.st_mtime_ns])
    return out


def stage_ingest_scrub(inputs: Sequence[Path], ws: Workspace, config: PipelineConfig, scrubber: Scrubber) -> str:
    """Stream records through Presidio into private/conversations.jsonl; quarantine the unusable."""
    key = stable_hash("ingest_scrub", __version__, _fingerprint(inputs), config.scrub)
    outs = [ws.private_path("conversations.jsonl"), ws.private_path("quarantine.jsonl"),
            ws.private_path("ingest.json")]
    if ws.is_fresh("ingest_scrub", key, outs):
        return key
    secret = workspace_secret(ws.private)
    stats = ScrubStats()
    quarantine: list[QuarantineEntry] = []
    read = 0

    def raw_stream(bar):
        nonlocal read
        for rec in read_records(inputs):
            read += 1
            bar.update(1)
            if isinstance(rec, QuarantineEntry):
                quarantine.append(rec)
            else:
                yield rec

    def write(f):
        with progress(total=count_records(inputs), desc="scrub") as bar:
            for conv in scrub_conversations(raw_stream(bar), scrubber, secret, stats):
                f.write(json.dumps(conv.to_row(), ensure_ascii=False) + "\n")

    atomic_write_with(outs[0], write, mode="w")
    atomic_write_with(outs[1], lambda f: [f.write(json.dumps(q.__dict__) + "\n") for q in quarantine], mode="w")
    counts = {"read": read, "accepted": stats.conversations, "quarantined": len(quarantine),
              "turns": stats.turns, "quarantine_reasons": dict(Counter(q.reason for q in quarantine)),
              "pii_removed_by_type": dict(stats.removed)}
    if counts["read"] != counts["accepted"] + counts["quarantined"]:
        raise CountMismatch(f"read {read} != accepted {stats.conversations} + quarantined {len(quarantine)}")
    atomic_write_json(outs[2], counts)
    ws.record("ingest_scrub", key, config.scrub, outs, inputs=[Path(p).name for p in inputs],
              scanner=scrubber.describe(), counts=counts)
    return key


def load_conversations(ws: Workspace):
    with open(ws.private_path("conversations.jsonl"), encoding="utf-8") as f:
        for line in f:
            yield PrivateConversation.from_row(json.loads(line))


def default_facetizer(ws: Workspace, config: PipelineConfig, embedder: Embedder | None = None):
    """The facetizer `config.facets` asks for: an LLM one (cached in the workspace), or the offline one."""
    quiz = embedder if config.facets.quiz_form_model else None
    return make_facetizer(config.facets, ws.private_path("cache/llm.jsonl"), quiz_embedder=quiz)


def _facets_identity(fc) -> dict:
    """What decides the facets: the settings minus spending and transport (a new --max-cost or timeout reuses
    the stage), plus the extra-facets file's content, so editing that file in place recomputes them."""
    import dataclasses
    import hashlib

    ident = dataclasses.asdict(fc)
    for k in ("max_cost", "timeout", "poll_seconds", "max_retries", "batch_threshold", "api_key_env", "prices"):
        ident.pop(k)
    if fc.extra_file and Path(fc.extra_file).is_file():  # a missing file is reported by the facet spec loader
        ident["extra_file_sha256"] = hashlib.sha256(Path(fc.extra_file).read_bytes()).hexdigest()
    return ident


def stage_facets(prev: str, ws: Workspace, config: PipelineConfig, say: Callable[[str], None] = lambda s: None,
                 facetizer=None, embedder: Embedder | None = None) -> str:
    """Facets from scrubbed conversations; with an LLM backend, print the cost estimate first. Offline, a
    MiniLM `embedder` lets the quizzing/asking form model join the cues (`facets.quiz_form_model`)."""
    from clio.facets.llm import PROMPT_VERSION

    facetizer = facetizer or default_facetizer(ws, config, embedder)
    key = stable_hash("facets", prev, _facets_identity(config.facets),
                      PROMPT_VERSION if config.facets.backend != "none" else "", getattr(facetizer, "version", ""))
    out = ws.private_path("facets.jsonl")
    if ws.is_fresh("facets", key, [out]):
        return key
    estimate = None
    if hasattr(facetizer, "estimate"):
        estimate = facetizer.estimate(list(load_conversations(ws)))
        say(f"LLM facets with {facetizer.name}: {estimate['conversations']} conversations, {estimate['cached']} "
            f"cached, {estimate['to_send']} to send; about {estimate['input_tokens']:,} input tokens, up to "
            f"{estimate['output_tokens_max']:,} output tokens, estimated {estimate['usd']:.4f} USD "
            f"(limit: {config.facets.max_cost if config.facets.max_cost is not None else 'none'})")
        facetizer.budget.check(estimate["usd"])

    def write(f):
        for fc in facet_conversations(load_conversations(ws), facetizer):
            f.write(json.dumps(fc.to_row(), ensure_ascii=False) + "\n")

    atomic_write_with(out, write, mode="w")
    extra = {}
    if estimate is not None:
        extra = {"llm": {**facetizer.stats, "estimate": estimate, "spend": facetizer.budget.report()}}
        say(f"LLM facets done: {facetizer.stats['requests']} requests, {facetizer.stats['cache_hits']} cache hits, "
            f"{facetizer.stats['fallbacks']} offline fallbacks, spent {facetizer.budget.spent_usd:.4f} USD")
    # offline fallbacks (timeouts, invalid answers) are asked again on the next run; answers already cached cost
    # nothing then, so the stage is recorded under a key no run will match
    done = key + ":with-fallbacks" if getattr(facetizer, "stats", {}).get("fallbacks") else key
    ws.record("facets", done, config.facets, [out], backend=facetizer.name,
              quiz_classifier=getattr(facetizer, "version", "llm"), **extra)
    return done  # downstream stages follow what these facets are


def load_facets(ws: Workspace) -> list[PrivateFacets]:
    return [PrivateFacets.from_row(r) for r in read_jsonl(ws.private_path("facets.jsonl"))]


def stage_embed(prev: str, ws: Workspace, config: PipelineConfig, embedder: Embedder, rows) -> str:
    key = stable_hash("embed", prev, config.embed, embedder.name)
    out = ws.private_path("vectors.npy")
    if ws.is_fresh("embed", key, [out]):
        return key
    # one cache file per model: vectors of different models (and dimensions) never mix
    cache = VectorCache(ws.private_path(f"cache/vectors-{stable_hash(embedder.name)[:12]}.npz"))
    X = embed_texts([r.summary for r in rows], embedder, cache)
    atomic_write_with(out, lambda f: np.save(f, X))
    ws.record("embed", key, config.embed, [out], model=embedder.name, dim=int(X.shape[1]) if X.ndim == 2 else 0)
    return key


def summary_languages(rows: list[PrivateFacets], config: PipelineConfig) -> list[str]:
    """The language each summary is written in, which is what the embedder reads: the conversation's for
    extractive summaries; English for LLM summaries (asked for in English), except offline fallbacks."""
    if config.facets.backend == "none":
        return [r.language for r in rows]
    from clio.facets.language import detect_language

    return [detect_language(r.summary) for r in rows]


def stage_cluster(prev: str, ws: Workspace, config: PipelineConfig, X: np.ndarray,
                  rows: list[PrivateFacets] | None = None) -> str:
    """Base clusters (per language group when the embedder is English-only), then the levels above them.
    `rows` are the facets `X` embeds (read from the workspace when not given)."""
    min_size = min_cluster_size_for(len(X), config.cluster, config.release.min_conversations)
    key = stable_hash("cluster", prev, config.cluster, config.embed.model, min_size)
    out = ws.private_path("clusters.npz")
    if ws.is_fresh("cluster", key, [out]):
        return key
    rows = rows if rows is not None else load_facets(ws)
    base = cluster_vectors(X, make_reducer(config.cluster), make_clusterer(min_size, config.cluster), config.cluster,
                           summary_languages(rows, config), config.embed.model, [r.summary for r in rows])
    k = len(base.centroids)
    docs = [[] for _ in range(k)]
    for r, c in zip(rows, base.labels):
        if c >= 0:
            docs[c].append(r.summary)
    hier = build_hierarchy(group_centered(X, base.labels, base.cluster_group), config.cluster.top_groups,
                           np.bincount(base.labels[base.labels >= 0], minlength=k), term_counts(docs)[0],
                           config.cluster.levels, config.cluster.hierarchy_term_weight)
    arrays = {"labels": base.labels, "centroids": base.centroids, "coords": hier.coords,
              "parent_of": hier.parent_of, "top_centroids": hier.top_centroids, "depth": np.array(hier.depth)}
    for j, (p, c) in enumerate(zip(hier.parents, hier.centroids)):
        arrays[f"parents_{j}"], arrays[f"centroids_{j + 1}"] = p, c
    atomic_write_with(out, lambda f: np.savez(f, **arrays))
    ws.record("cluster", key, config.cluster, [out], min_cluster_size=min_size, **base.report(),
              levels=level_names(hier.depth), level_sizes=[k] + [len(c) for c in hier.centroids],
              top_groups=len(hier.top_centroids))
    return key


def load_clusters(ws: Workspace) -> dict[str, np.ndarray]:
    with np.load(ws.private_path("clusters.npz")) as z:
        return {k: z[k] for k in z.files}


def assignments(labels: np.ndarray, parents: Sequence[np.ndarray]) -> list[tuple[str | None, ...]]:
    """Per conversation, its cluster id at every level, base first (None when unclustered)."""
    depth = len(parents)
    out = []
    for c in labels:
        if c < 0:
            out.append((None,) * (depth + 1))
            continue
        ids, cur = [node_id(0, int(c), depth)], int(c)
        for j, p in enumerate(parents):
            cur = int(p[cur])
            ids.append(node_id(j + 1, cur, depth))
        out.append(tuple(ids))
    return out


def candidates(rows: list[PrivateFacets], X: np.ndarray, cl: dict, support: PhraseSupport,
               namer: Namer | None = None) -> list[CandidateCluster]:
    """Name the clusters of every level (offline c-TF-IDF namer unless another `Namer` is given); strings use
    only words with k-user support. A parent's name is weighted towards terms its children share; the namer
    also gets each level's centroids and, above the base, the names just given to the children."""
    namer = namer or CtfidfNamer(support.word_ok, support.text_ok)
    labels, coords = cl["labels"], cl["coords"]
    parents = parent_arrays(cl)
    depth = len(parents)
    k = len(cl["centroids"])
    members = [np.where(labels == c)[0] for c in range(k)]
    central = [[rows[i].summary for i in m[central_order(X[m], cl["centroids"][c])][:30]]
               for c, m in enumerate(members)]
    docs = [[rows[i].summary for i in m] for m in members]
    texts = namer.name(docs, central, centroids=cl["centroids"])
    out = [CandidateCluster(id=node_id(0, c, depth), level=0,
                            parent=node_id(1, int(parents[0][c]), depth) if depth else None,
                            members=tuple(int(i) for i in m), text=texts[c], xy=tuple(coords[c]))
           for c, m in enumerate(members)]
    xy = [np.asarray(coords, dtype=float)]
    for j, p in enumerate(parents):
        level = j + 1
        g = int(p.max()) + 1 if len(p) else 0
        kids = [np.where(p == t)[0] for t in range(g)]
        child_terms = top_terms(docs)
        cover = [[child_terms[c] for c in ks] for ks in kids]
        members = [np.concatenate([members[c] for c in ks]) if len(ks) else np.zeros(0, int) for ks in kids]
        docs = [[rows[i].summary for i in m] for m in members]
        means = np.zeros((g, X.shape[1]), dtype=X.dtype)
        for t, m in enumerate(members):
            means[t] = X[m].mean(axis=0) if len(m) else 0.0
        central = [[rows[i].summary for i in m[central_order(X[m], means[t])][:30]] if len(m) else []
                   for t, m in enumerate(members)]
        child_names = [[texts[c].name for c in ks] for ks in kids]
        texts = namer.name(docs, central, [len(ks) for ks in kids], cover, centroids=means, child_names=child_names)
        xy.append(np.array([xy[-1][ks].mean(axis=0) if len(ks) else (0.0, 0.0) for ks in kids]))
        for t in range(g):
            parent = node_id(level + 1, int(parents[level][t]), depth) if level < depth else None
            out.append(CandidateCluster(id=node_id(level, t, depth), level=level, parent=parent,
                                        members=tuple(int(i) for i in members[t]), text=texts[t], xy=tuple(xy[-1][t])))
    return out


def stage_release(ws: Workspace, config: PipelineConfig, scrubber: Scrubber, rows: list[PrivateFacets],
                  X: np.ndarray, embedder_name: str, rater=None,
                  make_namer: Callable[[PhraseSupport, PhraseTagger], Namer] | None = None,
                  say: Callable[[str], None] = lambda s: None) -> PublicSummary:
    """Gate, then publish clusters, hierarchy and summary through the release door (which re-audits). Always
    recomputed: it is cheap and must reflect the policy now (an LLM namer's answers come from its cache on a re-run).
    `make_namer` builds the namer from the phrase support and the part-of-speech tagger (which shares the
    scrubber's spaCy pipeline); None means the offline namer."""
    policy = config.release
    cl = load_clusters(ws)
    support = phrase_support(rows, policy)
    tagger = PhraseTagger(config.scrub.nlp_model, scrubber.spacy_pipeline)
    namer = make_namer(support, tagger) if make_namer else CtfidfNamer(support.word_ok, support.text_ok, tagger)
    categories = dp_categories() if policy.dp_epsilon is not None else None
    result = gate(rows, candidates(rows, X, cl, support, namer), policy, scrubber, COMPOSER, rater, categories)
    naming = {}
    if hasattr(namer, "report"):  # an LLM namer: its counts and spend go to the summary and the manifest
        naming = {"namer_model": namer.label, "naming": namer.report()}
        st = naming["naming"]
        say(f"LLM naming done: {st['requests']} requests, {st['cache_hits']} cache hits, {st['llm_named']} of "
            f"{st['clusters']} clusters named by the LLM, {st['fallbacks']} offline fallbacks, spent "
            f"{namer.budget.spent_usd:.4f} USD")
    counts = json.loads(ws.private_path("ingest.json").read_text())
    entry = ws.stage_entry("cluster") or {}
    noise = {k: entry[k] for k in ("raw_noise_share", "noise_reassigned_share", "unclustered_share", "path",
                                   "language_groups", "level_sizes") if k in entry}
    noise["noise_policy"] = (f"HDBSCAN noise joins the nearest cluster at cosine >= "
                             f"{noise_similarity_for(config.embed.model, config.cluster)}; the rest stays unclustered")
    clusters, hierarchy, summary = release_artifacts(
        result, rows, policy, counts, level_names(len(parent_arrays(cl))), int((cl["labels"] < 0).sum()),
        embedding_model=embedder_name, facet_backend=config.facets.backend, clustering=noise, **naming)
    publish(ws.release, auditor(ws, config, scrubber, rows, support), clusters=clusters,
            artifacts=[hierarchy, summary], withheld=Withheld(dict(result.suppressed), dict(result.strings_dropped)))
    ws.record("release", stable_hash("release", summary.to_json()), policy, [ws.release_path("summary.json")],
              **naming)
    return summary


def phrase_support(rows: list[PrivateFacets], policy) -> PhraseSupport:
    """Which words and word pairs at least `min_users` distinct users wrote (built once per release)."""
    return PhraseSupport(((policy.user_key(r), r.summary) for r in rows), policy.min_users)


def auditor(ws: Workspace, config: PipelineConfig, scrubber: Scrubber, rows: list[PrivateFacets] | None = None,
            support: PhraseSupport | None = None) -> Auditor:
    """The release audit with everything the operator's workspace knows: phrase support and conversation ids."""
    ids = None
    if rows is None and ws.private_path("facets.jsonl").exists():
        rows = load_facets(ws)
    if rows is not None:
        support = support or phrase_support(rows, config.release)
        ids = frozenset(r.id for r in rows)
    return Auditor(config.release, scrubber, support, ids)


def run(inputs: Sequence[Path], workspace: Path, config: PipelineConfig | None = None,
        components: Components | None = None, say: Callable[[str], None] = lambda s: None) -> PublicSummary:
    """Run every stage into `workspace`; returns the release's summary."""
    config = config or PipelineConfig()
    inputs = [Path(p) for p in inputs]
    for p in inputs:
        if not p.is_file():
            raise FileNotFoundError(f"input not found: {p}")
    ws = Workspace(workspace).create()
    comp = components or Components()
    scrubber = comp.scrubber or Scrubber(config.scrub)
    embedder = comp.embedder or make_embedder(config.embed)
    # built here so LLM naming shares its cache and budget (offline, the quizzing/asking form model the MiniLM)
    facetizer = comp.facetizer or default_facetizer(ws, config, embedder)
    say("ingest + scrub ...")
    k = stage_ingest_scrub(inputs, ws, config, scrubber)
    say("facets ...")
    k = stage_facets(k, ws, config, say, facetizer)
    rows = load_facets(ws)
    say(f"embed {len(rows)} summaries ...")
    k = stage_embed(k, ws, config, embedder, rows)
    X = np.load(ws.private_path("vectors.npy"))
    say("cluster ...")
    stage_cluster(k, ws, config, X, rows)
    say("release gate + audit ...")
    rater = comp.rater
    if rater is None and config.facets.backend != "none":  # an LLM is configured: it audits released strings too
        from clio.llm.backends import make_backend
        from clio.llm.rater import LLMPrivacyRater

        # ratings are few and short: plain messages, never a batch
        rater = LLMPrivacyRater(make_backend(config.facets.llm_config(batch_threshold=10**9)),
                                cache=getattr(facetizer, "cache", None), budget=getattr(facetizer, "budget", None))
    make_namer = None
    if config.facets.backend != "none":  # with an LLM backend, clusters are named by it (offline names as fallback)
        from functools import partial

        from clio.cluster.naming.llm import make_llm_namer

        make_namer = partial(make_llm_namer, config, embedder=embedder, cache_path=ws.private_path("cache/llm.jsonl"),
                             budget=getattr(facetizer, "budget", None), cache=getattr(facetizer, "cache", None),
                             say=say)
    return stage_release(ws, config, scrubber, rows, X, embedder.name, rater, make_namer, say)


def config_from_manifest(ws: Workspace) -> PipelineConfig:
    """The scrub and release settings a workspace was built with, for follow-up commands."""
    import dataclasses

    from privacy.release import ReleasePolicy
    from privacy.scrub import ScrubConfig

    cfg = PipelineConfig()
    rel = (ws.stage_entry("release") or {}).get("config")
    scr = (ws.stage_entry("ingest_scrub") or {}).get("config")
    if rel:
        cfg = dataclasses.replace(cfg, release=ReleasePolicy(**rel))
    if scr:
        cfg = dataclasses.replace(cfg, scrub=ScrubConfig(**{k: tuple(v) if isinstance(v, list) else v
                                                            for k, v in scr.items()}))
    return cfg


def embedding_model(workspace: Path) -> str:
    """The embedding model a workspace's vectors were made with (follow-up commands embed in the same space)."""
    from clio.embed.embedders import EmbedConfig

    return (Workspace(workspace).stage_entry("embed") or {}).get("model", EmbedConfig().model)


def _followup_auditor(ws: Workspace, scrubber: Scrubber | None) -> Auditor:
    cfg = config_from_manifest(ws)
    return auditor(ws, cfg, scrubber or Scrubber(cfg.scrub))


def publish_coverage(workspace: Path, benchmarks: Mapping[str, Sequence[str]], embedder: Embedder | None = None,
                     scrubber: Scrubber | None = None) -> PublicCoverage:
    """Coverage of the released base clusters by benchmark items (texts by benchmark name), published through the
    door with the summary's headline (`embedder`/`scrubber`: a caller's loaded ones, so models load once)."""
    from clio.coverage.table import coverage_batch
    from clio.embed.embedders import EmbedConfig

    ws = Workspace(workspace)
    try:
        release = read_release(ws.release, suites=False)
    except FileNotFoundError:
        raise FileNotFoundError(f"{workspace}: no release yet; run `clio run` first") from None
    cl = load_clusters(ws)
    depth = len(parent_arrays(cl))
    row = {node_id(0, i, depth): i for i in range(len(cl["centroids"]))}  # the private side knows its ids
    base = release.clusters.base()
    centroids = cl["centroids"][[row[c.id] for c in base]] if base else np.zeros((0, 1))
    embedder = embedder or make_embedder(EmbedConfig(model=embedding_model(workspace)))
    doc = coverage_batch(base, centroids, benchmarks, embedder)
    summary = [dataclasses.replace(release.summary, coverage=doc.headline_for_summary())] if release.summary else []
    publish(ws.release, _followup_auditor(ws, scrubber), artifacts=[doc, *summary])
    return doc


def publish_suite(workspace: Path, suite: PublicSuite, scrubber: Scrubber | None = None) -> PublicAudit:
    """A suite built from released strings joins the release (release/suites/NAME/) through the door."""
    ws = Workspace(workspace)
    return publish(ws.release, _followup_auditor(ws, scrubber), artifacts=[suite])


def audit_workspace(workspace: Path, canaries: list[str] | None = None,
                    recorded_hashes: dict[str, str] | None = None) -> AuditReport:
    """Re-check a workspace's release against its recorded policy (`clio audit`); writes nothing."""
    ws = Workspace(workspace)
    return _followup_auditor(ws, None).audit(ws.release, canaries, recorded_hashes)


def export_assignments(workspace: Path, out: Path) -> int:
    """Private export: {"id", "levels": [base, ..., top]} per conversation, null when unclustered."""
    ws = Workspace(workspace)
    if not ws.private_path("clusters.npz").exists():
        raise FileNotFoundError(f"{workspace}: no clustering found; run `clio run` first")
    rows = load_facets(ws)
    cl = load_clusters(ws)
    ids = assignments(cl["labels"], parent_arrays(cl))
    atomic_write_with(Path(out), lambda f: [f.write(json.dumps({"id": r.id, "levels": list(a)}) + "\n")
                                             for r, a in zip(rows, ids)], mode="w")
    return len(rows)
