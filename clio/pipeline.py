"""The only place stages meet and the only code that reads or writes the workspace.

    ingest+scrub -> facets -> embed -> cluster (+ hierarchy) -> naming -> release gate -> the release door

Each stage is a function over a batch of typed rows with its models in `Components` (built once), so another
engine can run the same functions; here they run in-process. Each stage's output is written atomically under
WORKSPACE/private/ with a manifest entry keyed by the hash of its inputs and config, so a re-run skips unchanged
stages and recomputes the rest. release/ is written only through `privacy.door.publish`.
"""
from __future__ import annotations

import dataclasses
import json
import logging
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np

from clio import __version__
from clio.cluster.base import min_cluster_size_for, noise_similarity_for
from clio.vectors import scale_columns_from, unit_rows
from clio.cluster.hierarchy import level_names
from clio.cluster.naming.compose import COMPOSER
from clio.cluster.naming.levels import name_levels
from clio.cluster.naming.tagger import PhraseTagger
from clio.cluster.stage import cluster_batch
from clio.cluster.table import PrivateClusters
from clio.components import Components
from clio.config import PipelineConfig
from clio.embed.cache import VectorCache
from clio.embed.embedders import Embedder, make_embedder
from clio.facets.stage import dp_categories, facet_conversations
from clio.ingest.readers import count_records, read_records
from clio.ingest.sources import IngestConfig
from clio.llm import LLMUnreliable
from clio.progress import progress
from clio.workspace import Workspace, stable_hash
from privacy.audit import Auditor, AuditReport
from privacy.door import Withheld, publish
from privacy.files import atomic_write_json, atomic_write_with, read_jsonl
from privacy.ids import workspace_secret
from privacy.phrases import PhraseSupport
from privacy.private import PrivateConversation, PrivateFacets, QuarantineEntry
from privacy.public import PublicAudit, PublicClusters, PublicCoverage, PublicSuite, PublicSummary, read_artifact
from privacy.release import gate, release_artifacts
from privacy.repeat import load_ledger, write_pending
from privacy.scrub import Scrubber, ScrubStats, UserNames, rescrub_late, scrub_conversations

log = logging.getLogger("clio")


class CountMismatch(RuntimeError):
    pass


class InputRejected(ValueError):
    """The input gave too few usable records to analyse (see `IngestConfig.min_accepted_share`); says what was read."""


def check_accepted(counts: Mapping, config: IngestConfig, ws: Workspace) -> None:
    """Refuse a run that accepted nothing, or less than `min_accepted_share` of what it read: a release over the few
    records that parsed would look normal while describing almost nothing."""
    read, accepted = counts["read"], counts["accepted"]
    share = accepted / read if read else 0.0
    if accepted and share >= config.min_accepted_share:
        return
    files = ", ".join(f"{name} ({c['read']:,} read, {c['accepted']:,} accepted)"
                      for name, c in counts.get("files", {}).items()) or "no file"
    reasons = "; ".join(f"{r} {n:,}" + (f" ({counts.get('quarantine_details', {}).get(r)})"
                                         if counts.get("quarantine_details", {}).get(r) else "")
                        for r, n in sorted(counts.get("quarantine_reasons", {}).items(), key=lambda x: -x[1]))
    if not read:
        head = "no records were read"
    elif not accepted:
        head = f"none of the {read:,} records read could be used"
    else:
        head = (f"only {accepted:,} of {read:,} records ({share:.1%}) could be used, below the minimum share "
                f"{config.min_accepted_share:.0%} (--min-accepted-share)")
    raise InputRejected(f"{head}. Files: {files}." + (f" Quarantined by reason: {reasons}." if reasons else "")
                        + f" Each quarantined record is listed by file and line in "
                        f"{ws.private_path('quarantine.jsonl')}. Nothing was released.")


def _fingerprint(paths: Sequence[Path]) -> list:
    out = []
    for p in paths:
        st = Path(p).stat()
        out.append([Path(p).resolve().as_posix(), st.st_size, st.st_mtime_ns])
    return out


# ---- the stages, each with its workspace files ------------------------------------------------------------

def stage_ingest_scrub(inputs: Sequence[Path], ws: Workspace, config: PipelineConfig, scrubber: Scrubber,
                       engine=None) -> str:
    """Stream records through Presidio into private/conversations.jsonl; quarantine the unusable. With an `engine`
    (clio/engines), its workers run the same scrub stage function and the rows come back in input order."""
    reading = dataclasses.replace(config.ingest, min_accepted_share=0.0)  # the share is checked, it changes nothing
    key = stable_hash("ingest_scrub", __version__, _fingerprint(inputs), config.scrub, reading)
    outs = [ws.private_path("conversations.jsonl"), ws.private_path("quarantine.jsonl"),
            ws.private_path("ingest.json")]
    if ws.is_fresh("ingest_scrub", key, outs):
        check_accepted(json.loads(outs[2].read_text()), config.ingest, ws)
        return key
    secret = workspace_secret(ws.private)
    stats = ScrubStats()
    quarantine: list[QuarantineEntry] = []
    read = 0

    def raw_stream(bar):
        nonlocal read
        for rec in read_records(inputs, config.ingest):
            read += 1
            bar.update(1)
            if isinstance(rec, QuarantineEntry):
                quarantine.append(rec)
            else:
                yield rec

    memory = UserNames()

    def write(f):
        with progress(total=count_records(inputs), desc="scrub") as bar:
            for conv in scrub_conversations(raw_stream(bar), scrubber, secret, stats, memory):
                f.write(json.dumps(conv.to_row(), ensure_ascii=False) + "\n")

    if engine is not None:
        rows, got = engine.scrub(inputs, config.scrub, secret, config.ingest)
        atomic_write_with(outs[0], lambda f: [f.write(r + "\n") for r in rows], mode="w")
        read, quarantine = got["read"], [QuarantineEntry(**json.loads(q)) for q in got["quarantine"]]
        stats.conversations, stats.turns, stats.removed = len(rows), got["turns"], got["removed"]
        stats.by_source.update(got["by_source"])  # per input file, counted in the shards (as local)
    else:
        atomic_write_with(outs[0], write, mode="w")
    if memory.late():  # names learned after some of their user's conversations were written: second pass
        atomic_write_with(outs[0], lambda f: [f.write(json.dumps(c.to_row(), ensure_ascii=False) + "\n")
                                              for c in rescrub_late(load_conversations(ws), memory, stats.removed)],
                          mode="w")
    memory.forget()
    atomic_write_with(outs[1], lambda f: [f.write(json.dumps(q.__dict__) + "\n") for q in quarantine], mode="w")
    counts = {"read": read, "accepted": stats.conversations, "quarantined": len(quarantine),
              "turns": stats.turns, "quarantine_reasons": dict(Counter(q.reason for q in quarantine)),
              "pii_removed_by_type": dict(sorted(stats.removed.items())),  # same order whatever engine
              "quarantine_details": {q.reason: q.detail for q in reversed(quarantine) if q.detail},
              "files": _per_file(inputs, quarantine, stats.by_source)}
    if counts["read"] != counts["accepted"] + counts["quarantined"]:
        raise CountMismatch(f"read {read} != accepted {stats.conversations} + quarantined {len(quarantine)}")
    atomic_write_json(outs[2], counts)
    ws.record("ingest_scrub", key, config.scrub, outs, inputs=[Path(p).name for p in inputs],
              scanner=scrubber.describe(), counts=counts, ingest=config.ingest)
    check_accepted(counts, config.ingest, ws)
    return key


def _per_file(inputs: Sequence[Path], quarantine: Sequence[QuarantineEntry], accepted: Mapping[str, int]) -> dict:
    out = {}
    for p in inputs:
        q = sum(e.file == Path(p).name for e in quarantine)
        a = accepted.get(Path(p).name, 0)
        out[Path(p).name] = {"read": a + q, "accepted": a, "quarantined": q}
    return out


def load_conversations(ws: Workspace):
    with open(ws.private_path("conversations.jsonl"), encoding="utf-8") as f:
        for line in f:
            yield PrivateConversation.from_row(json.loads(line))


def _facets_identity(fc) -> dict:
    """What decides the facets: the settings minus spending and transport (a new --max-cost or timeout reuses
    the stage), plus the extra-facets file's content, so editing that file in place recomputes them."""
    import hashlib

    ident = dataclasses.asdict(fc)
    for k in ("max_cost", "timeout", "poll_seconds", "max_retries", "batch_threshold", "api_key_env", "prices",
              "max_fallback_share"):
        ident.pop(k)
    if fc.extra_file and Path(fc.extra_file).is_file():  # a missing file is reported by the facet spec loader
        ident["extra_file_sha256"] = hashlib.sha256(Path(fc.extra_file).read_bytes()).hexdigest()
    return ident


def stage_facets(prev: str, ws: Workspace, config: PipelineConfig, parts: Components,
                 say: Callable[[str], None] = lambda s: None, engine=None) -> str:
    """Facets of the scrubbed conversations into private/facets.jsonl; an LLM facetizer's cost estimate is printed
    and checked against the run's budget before anything is sent."""
    from clio.facets.llm import PROMPT_VERSION

    facetizer = parts.facetizer

    key = stable_hash("facets", prev, _facets_identity(config.facets),
                      PROMPT_VERSION if config.facets.backend != "none" else "", facetizer.version)
    out = ws.private_path("facets.jsonl")
    if ws.is_fresh("facets", key, [out]):
        return key
    limit = config.facets.max_cost if config.facets.max_cost is not None else "none"
    estimate = facetizer.estimate(list(load_conversations(ws)))
    if estimate is not None:
        say(f"LLM facets with {facetizer.name}: {estimate['conversations']} conversations, {estimate['cached']} "
            f"cached, {estimate['to_send']} to send; about {estimate['input_tokens']:,} input tokens, up to "
            f"{estimate['output_tokens_max']:,} output tokens, estimated {estimate['usd']:.4f} USD (limit: {limit})")
        parts.llm.budget.check(estimate["usd"])

    def write(f):
        offline = engine is not None and config.facets.backend == "none"  # an LLM's cache and budget stay here
        stream = (engine.facets(load_conversations(ws), config) if offline
                  else facet_conversations(load_conversations(ws), facetizer))
        for fc in stream:
            f.write(json.dumps(fc.to_row(), ensure_ascii=False) + "\n")

    atomic_write_with(out, write, mode="w")
    report, extra = facetizer.report(), {}
    if estimate is not None:
        extra = {"llm": {**report, "estimate": estimate, "spend": parts.llm.budget.report()}}
        say(f"LLM facets done: {report['requests']} requests, {report['cache_hits']} cache hits, "
            f"{report['fallbacks']} offline fallbacks, spent {parts.llm.budget.spent_usd:.4f} USD")
    # offline fallbacks (timeouts, invalid answers) are asked again on the next run; answers already cached cost
    # nothing then, so the stage is recorded under a key no run will match
    done = key + ":with-fallbacks" if report.get("fallbacks") else key
    ws.record("facets", done, config.facets, [out], backend=facetizer.name,
              quiz_classifier=facetizer.version or "llm", **extra)
    check_fallbacks(report, config.facets.max_fallback_share)
    return done  # downstream stages follow what these facets are


def check_fallbacks(report: Mapping, max_share: float) -> None:
    """Refuse to release when more than `max_share` of the conversations got offline facets instead of the LLM's
    (an unreachable or failing server): the release would describe a different facet set than it says."""
    n, fallbacks = report.get("conversations", 0), report.get("fallbacks", 0)
    if n and fallbacks / n > max_share:
        raise LLMUnreliable(
            f"{fallbacks} of {n} conversations ({fallbacks / n:.0%}) fell back to offline facets after "
            f"{report.get('errors', 0)} failed and {report.get('invalid', 0)} unusable LLM answers, more than "
            f"facets.max_fallback_share {max_share:.0%}; nothing was released. Answers received are cached: re-run "
            "when the server is healthy and only the fallbacks are asked again (counts in manifest.json)")


def load_facets(ws: Workspace) -> list[PrivateFacets]:
    return [PrivateFacets.from_row(r) for r in read_jsonl(ws.private_path("facets.jsonl"))]


def stage_embed(prev: str, ws: Workspace, config: PipelineConfig, embedder: Embedder,
                rows: Sequence[PrivateFacets]) -> str:
    """Vectors of the conversations (`EmbedConfig.text`: summary, or summary and opening request) into
    private/vectors.npy, through the model's vector cache."""
    if config.embed.text not in EMBED_TEXTS:
        raise ValueError(f"unknown embed.text {config.embed.text!r}; use one of {', '.join(EMBED_TEXTS)}")
    first_dim = getattr(embedder, "first_dim", None)
    key = stable_hash("embed", prev, config.embed, embedder.name, "english-second-part" if first_dim else "")
    out = ws.private_path("vectors.npy")
    if ws.is_fresh("embed", key, [out]):
        return key
    # one cache file per model: vectors of different models (and dimensions) never mix
    path = ws.private_path(f"cache/vectors-{stable_hash(embedder.name)[:12]}.npz")
    cache = VectorCache(_read_vector_cache(path))
    X = cache.embed(embedder, [r.summary for r in rows])
    if config.embed.text == "summary+request" and len(rows):
        R = cache.embed(embedder, opening_requests(ws, rows))
        X = unit_rows(np.asarray(X, dtype=np.float32) + np.asarray(R, dtype=np.float32)).astype(np.float32)
    if first_dim and len(rows):  # MiniLM reads English only: elsewhere its part would group texts by script
        X = scale_columns_from(X, first_dim, [r.language == "en" for r in rows])
    if cache.added:
        keys = np.array(list(cache.data))
        vecs = np.stack(list(cache.data.values())) if cache.data else np.zeros((0, 1), np.float32)
        atomic_write_with(path, lambda f: np.savez(f, keys=keys, vectors=vecs))
    atomic_write_with(out, lambda f: np.save(f, X))
    ws.record("embed", key, config.embed, [out], model=embedder.name, dim=int(X.shape[1]) if X.ndim == 2 else 0)
    return key


EMBED_TEXTS = ("summary+request", "summary")
REQUEST_CHARS = 2000


def opening_requests(ws: Workspace, rows: Sequence[PrivateFacets]) -> list[str]:
    """Per facets row, its conversation's first user turn (scrubbed, first `REQUEST_CHARS` characters), read in one
    pass over private/conversations.jsonl; only the rows' own conversations are held."""
    want = {r.id for r in rows}
    first: dict[str, str] = {}
    for conv in load_conversations(ws):
        if conv.id in want:
            first[conv.id] = next((t.content for t in conv.turns if t.role == "user"), "")[:REQUEST_CHARS]
    return [first.get(r.id, "") or r.summary for r in rows]


def _read_vector_cache(path: Path) -> dict[str, np.ndarray]:
    if not path.exists():
        return {}
    with np.load(path) as z:
        keys, vecs = z["keys"], z["vectors"]
    return {str(k): v for k, v in zip(keys, vecs)}


def stage_cluster(prev: str, ws: Workspace, config: PipelineConfig, X: np.ndarray,
                  rows: Sequence[PrivateFacets], embedder: Embedder) -> str:
    """The private clustering (base clusters and the levels above) into private/clusters.npz. The hierarchy reads
    the project's domain descriptions embedded with the run's embedder (only when the stage runs)."""
    from clio.cluster.naming.labels import LabelVectors, load_labels

    min_size = min_cluster_size_for(len(X), config.cluster, config.release.min_conversations)
    domains = [d.text for d in load_labels().domains]
    key = stable_hash("cluster", prev, config.cluster, config.embed.model, min_size, domains)
    out = ws.private_path("clusters.npz")
    if ws.is_fresh("cluster", key, [out]):
        return key
    clusters, report = cluster_batch(rows, X, config, LabelVectors(embedder.encode).domains)
    atomic_write_with(out, lambda f: np.savez(f, **clusters.to_arrays()))
    ws.record("cluster", key, config.cluster, [out], **report)
    return key


def load_clusters(ws: Workspace) -> PrivateClusters:
    with np.load(ws.private_path("clusters.npz")) as z:
        return PrivateClusters.from_arrays({k: z[k] for k in z.files})


def stage_release(ws: Workspace, config: PipelineConfig, components: Components, rows: list[PrivateFacets],
                  X: np.ndarray, say: Callable[[str], None] = lambda s: None) -> PublicSummary:
    """Name every level, gate, then publish clusters, hierarchy and summary through the release door (which
    re-audits). Always recomputed: it is cheap and must reflect the policy now (an LLM namer's answers come from
    its cache on a re-run). The namer's part-of-speech tagger shares the scrubber's spaCy pipeline."""
    policy, scrubber = config.release, components.scrubber
    clusters = load_clusters(ws)
    support = phrase_support(rows, policy)
    namer = components.namer(config, support, PhraseTagger(config.scrub.nlp_model, scrubber.spacy_pipeline), say)
    categories = dp_categories() if policy.dp_epsilon is not None else None
    previous = load_ledger(ws.private, ws.release)  # what this workspace released last (None: first release)
    result = gate(rows, name_levels(rows, X, clusters, namer), policy, scrubber, COMPOSER, components.rater,
                  categories, previous)
    naming = {}
    report = namer.report()
    if report is not None:  # an LLM namer: its counts and spend go to the summary and the manifest
        naming = {"namer_model": namer.label, "naming": report}
        say(f"LLM naming done: {report['requests']} requests, {report['cache_hits']} cache hits, "
            f"{report['llm_named']} of {report['clusters']} clusters named by the LLM, {report['fallbacks']} offline "
            f"fallbacks, spent {components.llm.budget.spent_usd:.4f} USD")
    counts = json.loads(ws.private_path("ingest.json").read_text())
    entry = ws.stage_entry("cluster") or {}
    noise = {k: entry[k] for k in ("raw_noise_share", "noise_reassigned_share", "unclustered_share", "path",
                                   "language_groups", "level_sizes") if k in entry}
    noise["noise_policy"] = (f"HDBSCAN noise joins the nearest cluster at cosine >= "
                             f"{noise_similarity_for(config.embed.model, config.cluster)}; the rest stays unclustered")
    public, hierarchy, summary, ledger = release_artifacts(
        result, rows, policy, counts, level_names(clusters.depth), int((clusters.labels < 0).sum()),
        embedding_model=components.embedder.name, facet_backend=config.facets.backend, clustering=noise,
        previous=previous, **naming)
    if previous is not None:
        r = summary.repeat
        say(f"repeated release (previous {previous.created_at}): totals {r['totals']}; clusters held "
            f"{r['clusters_held']}, updated {r['clusters_updated']}, new {r['clusters_new']} (figures move only when "
            f">= {policy.min_users} users changed behind them)")
    write_pending(ws.private, ledger)  # becomes the ledger once this release is the one published (load_ledger)
    publish(ws.release, auditor(ws, config, scrubber, rows, support, ledger.held_strings()), clusters=public,
            artifacts=[hierarchy, summary], withheld=Withheld(dict(result.suppressed), dict(result.strings_dropped)))
    load_ledger(ws.private, ws.release)
    ws.record("release", stable_hash("release", summary.to_json()), policy, [ws.release_path("summary.json")],
              **naming)
    return summary


def phrase_support(rows: Sequence[PrivateFacets], policy) -> PhraseSupport:
    """Which words and word pairs at least `min_users` distinct users wrote (built once per release); the
    project's task and domain labels are public phrases."""
    from clio.cluster.naming.labels import load_labels

    return PhraseSupport(((policy.user_key(r), r.summary) for r in rows), policy.min_users, load_labels().phrases())


def auditor(ws: Workspace, config: PipelineConfig, scrubber: Scrubber, rows: Sequence[PrivateFacets] | None = None,
            support: PhraseSupport | None = None, held: set[str] | None = None) -> Auditor:
    """The release audit with everything the operator's workspace knows: phrase support, conversation ids, and the
    strings a repeated release held from the previous one (`held`; by default from the workspace's ledger)."""
    ids = None
    if rows is None and ws.private_path("facets.jsonl").exists():
        rows = load_facets(ws)
    if rows is not None:
        support = support or phrase_support(rows, config.release)
        ids = frozenset(r.id for r in rows)
    if held is None:
        ledger = load_ledger(ws.private, ws.release)
        held = ledger.held_strings() if ledger is not None else set()
    return Auditor(config.release, scrubber, support, ids, frozenset(held))


def run(inputs: Sequence[Path], workspace: Path, config: PipelineConfig | None = None,
        components: Components | None = None, say: Callable[[str], None] = lambda s: None,
        engine=None) -> PublicSummary:
    """Run every stage into `workspace`; returns the release's summary. `engine` (clio/engines; None = in this
    process) runs ingest+scrub, facets and embedding; clustering, naming and the release run here."""
    config = config or PipelineConfig()
    inputs = [Path(p) for p in inputs]
    for p in inputs:
        if not p.is_file():
            raise FileNotFoundError(f"input not found: {p}")
    ws = Workspace(workspace).create()
    with ws.lock():
        stale = ws.remove_stale_temp_files()
        if stale:
            say(f"removed {len(stale)} temporary file(s) an interrupted run left behind")
        return _run_locked(inputs, ws, config, components, say, engine)


def _run_locked(inputs: Sequence[Path], ws: Workspace, config: PipelineConfig, components: Components | None,
                say: Callable[[str], None], engine=None) -> PublicSummary:
    parts = (components or Components()).complete(config, ws.private_path("cache/llm.jsonl"))
    say("ingest + scrub ...")
    k = stage_ingest_scrub(inputs, ws, config, parts.scrubber, engine)
    say("facets ...")
    k = stage_facets(k, ws, config, parts, say, engine)
    rows = load_facets(ws)
    say(f"embed {len(rows)} conversations ({config.embed.text}) ...")
    embedder = parts.embedder if engine is None else engine.embedder(parts.embedder, config.embed)
    k = stage_embed(k, ws, config, embedder, rows)
    X = np.load(ws.private_path("vectors.npy"))
    say("cluster ...")
    stage_cluster(k, ws, config, X, rows, parts.embedder)
    say("release gate + audit ...")
    return stage_release(ws, config, parts, rows, X, say)


# ---- follow-up commands on a workspace ----------------------------------------------------------------------

def config_from_manifest(ws: Workspace) -> PipelineConfig:
    """The scrub and release settings a workspace was built with, for follow-up commands."""
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


def public_items(workspace: Path, path: Path, field: str | None, embedder: Embedder):
    """A public file's items (benchmarks, prompt pools) with their vectors and quizzing/asking forms, cached under
    private/cache/public/ by the file's content, the reader's version and the model: a second call reads no model.
    Public items are not personal data; the cache holds vectors and labels, never text."""
    from clio.coverage.benchmarks import READER_VERSION, file_sha256, read_bench_items
    from clio.coverage.forms import forms_of
    from clio.facets.quizask.classify import quiz_version

    items = read_bench_items(path, field)
    key = stable_hash("public-items", READER_VERSION, file_sha256(path), field, embedder.name, quiz_version(embedder))
    cache = Workspace(workspace).private_path(f"cache/public/{key[:32]}.npz")
    if cache.exists():
        with np.load(cache) as z:
            if len(z["vectors"]) == len(items):
                return items, z["vectors"], ["quizzing" if q else "asking" for q in z["quiz"]]
    texts = [it.text for it in items]
    vectors = embedder.encode(texts) if texts else np.zeros((0, 1), np.float32)
    forms = forms_of(texts, vectors, embedder)
    quiz = np.array([f == "quizzing" for f in forms], dtype=bool)
    atomic_write_with(cache, lambda f: np.savez(f, vectors=np.asarray(vectors, np.float32), quiz=quiz))
    return items, vectors, forms


def publish_coverage(workspace: Path, benchmarks: Mapping[str, Path], field: str | None = None,
                     embedder: Embedder | None = None, scrubber: Scrubber | None = None) -> PublicCoverage:
    """Coverage of the released usage by benchmark files (path by benchmark name), published through the door with
    the summary's headline (`embedder`/`scrubber`: a caller's loaded ones, so models load once)."""
    from clio.coverage.table import coverage_batch, outside_similarity
    from clio.embed.embedders import EmbedConfig

    ws = Workspace(workspace)
    try:  # only what coverage reads: a coverage.json of an older schema is about to be replaced
        released = read_artifact(PublicClusters, ws.release_path(PublicClusters.FILE))
    except FileNotFoundError:
        raise FileNotFoundError(f"{workspace}: no release yet; run `clio run` first") from None
    old_summary = (read_artifact(PublicSummary, ws.release_path(PublicSummary.FILE))
                   if ws.release_path(PublicSummary.FILE).exists() else None)
    embedder = embedder or make_embedder(EmbedConfig(model=embedding_model(workspace)))
    vectors, forms = {}, {}
    for name, path in benchmarks.items():
        _, vectors[name], f = public_items(workspace, Path(path), field, embedder)
        forms[name] = [x == "quizzing" for x in f]
    clusters = load_clusters(ws)
    base = released.base()
    rows = clusters.base_rows()
    ids = [c.id for c in base]
    row_to_pos = {rows[c.id]: j for j, c in enumerate(base)}
    centroids = clusters.centroids[[rows[i] for i in ids]] if base else np.zeros((0, 1))
    labels = np.array([row_to_pos.get(int(lab), -1) for lab in clusters.labels])
    keep = labels >= 0  # conversations in released base clusters: what benchmarks are compared with
    X = np.load(ws.private_path("vectors.npy"))
    quiz = [f.quiz_label == "quizzing" for f, k in zip(load_facets(ws), keep) if k]
    by_id = {c.id: c for c in released.clusters}

    def top(cid: str) -> tuple[str, str]:
        c = by_id[cid]
        while c.parent and c.parent in by_id:
            c = by_id[c.parent]
        return c.id, c.name

    doc = coverage_batch(X[keep], labels[keep], centroids, ids, {c.id: c.name for c in base},
                         {i: top(i) for i in ids}, vectors, forms, quiz,
                         min_similarity=outside_similarity(embedder.name))
    summary = [dataclasses.replace(old_summary, coverage=doc.headline_for_summary())] if old_summary else []
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
    ids = load_clusters(ws).assignments()
    atomic_write_with(Path(out), lambda f: [f.write(json.dumps({"id": r.id, "levels": list(a)}) + "\n")
                                             for r, a in zip(rows, ids)], mode="w")
    return len(rows)
