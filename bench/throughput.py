"""Throughput of each pipeline stage; prints one JSON line.

usage: python bench/throughput.py [--corpus synth|long|real] [--n 2000] [--seed 0] [--compare-nlp] [--detail N]
                                  [--stages scrub|all] [--engine local|ray] [--ray-cpus 2]

Corpora: `synth` (short synthetic chats), `long` (synthetic chats of real-log length: long assistant turns with code
blocks, `clio synth --long`), `real` (the real WildChat + OpenAssistant chats in ../shared/data; `--n` takes the
first N records).
Figures per stage: seconds, conversations/s, characters/s (characters of every turn of the input), peak RSS of
this process and its children while the stage ran (MB, sampled every 50 ms).
`--compare-nlp`: ingest+scrub once with the whole spaCy pipeline on every text (`nlp_mode="full"`, the scrubber
before issue 15) and once with NER on prose and tags on demand (`"prose"`, the default), same data, same run;
with `--engine ray` also the prose scrubber on Ray actors.
`--detail N`: where scrubbing time goes on the first N conversations, one process: per turn kind (user prose,
assistant prose, code blocks, each analysed as separate texts) characters and seconds, and per recognizer seconds.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
os.environ.setdefault("CLIO_PROGRESS", "0")

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "conversations"
REAL = ("wildchat/wildchat_589.jsonl", "oasst/en_100_threads_rank0.jsonl", "oasst/oasst_en_prompts_900.jsonl")


class PeakRSS:
    """Peak resident memory (MB) of this process plus its children, sampled in a thread while in use."""

    def __init__(self, every: float = 0.05):
        import psutil

        self.proc, self.every, self.peak = psutil.Process(), every, 0.0
        self._stop = threading.Event()

    def _rss(self) -> float:
        total = 0
        for p in [self.proc, *self.proc.children(recursive=True)]:
            try:
                total += p.memory_info().rss
            except Exception:  # a child that just exited
                pass
        return total / 2**20

    def _run(self):
        while not self._stop.wait(self.every):
            self.peak = max(self.peak, self._rss())

    def __enter__(self):
        self.peak = self._rss()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._rss())


def texts_of(path: Path) -> list[list[tuple[str, str]]]:
    """(role, text) per turn per record, the way the readers route the common chat formats (bench only)."""
    out = []
    for line in path.open(encoding="utf-8"):
        if not line.strip():
            continue
        rec = json.loads(line)
        msgs = rec.get("messages") or rec.get("conversation") or []
        turns = [(m.get("role", "user"), m.get("content") or "") for m in msgs if isinstance(m, dict)]
        if not turns:
            turns = [("user", rec.get("prompt") or rec.get("text") or rec.get("instruction") or "")]
        out.append(turns)
    return out


def make_corpus(kind: str, n: int, seed: int, tmp: Path) -> Path:
    if kind in ("synth", "long"):
        from clio.synth.corpus import SynthConfig, write_corpus

        return write_corpus(tmp / f"{kind}.jsonl", SynthConfig(n=n, seed=seed, long_chats=kind == "long"))[0]
    files = [DATA / f for f in REAL]
    if not all(f.exists() for f in files):
        print(json.dumps({"skipped": f"real conversations not found under {DATA} (needs ../shared/data)"}))
        sys.exit(0)
    out = tmp / "real.jsonl"
    with out.open("w", encoding="utf-8") as f:
        k = 0
        for p in files:
            for line in p.open(encoding="utf-8"):
                if line.strip() and (not n or k < n):
                    f.write(line.rstrip("\n") + "\n")
                    k += 1
    return out


def scrub_once(corpus: Path, mode: str, tmp: Path, engine: str = "local", ray_cpus: int = 2) -> dict:
    """ingest+scrub of `corpus` into a fresh workspace with the scrubber in `mode` on `engine`; seconds, memory,
    counts (a Ray engine's start is timed apart, like the model load)."""
    from clio.engines import make_engine
    import dataclasses

    from clio import pipeline as p
    from clio.config import PipelineConfig
    from clio.workspace import Workspace
    from privacy.scrub import Scrubber

    cfg = PipelineConfig()
    cfg = dataclasses.replace(cfg, scrub=dataclasses.replace(cfg.scrub, nlp_mode=mode))
    ws = Workspace(tmp / f"scrub-{mode}-{engine}").create()
    scrubber = Scrubber(cfg.scrub)
    runner = make_engine(engine, **({"num_cpus": ray_cpus} if engine == "ray" else {}))
    t = time.perf_counter()
    if runner is None:
        scrubber.analyzer  # noqa: B018  (model load, timed apart)
    else:
        runner.start()
    load = time.perf_counter() - t
    try:
        with PeakRSS() as mem:
            t = time.perf_counter()
            p.stage_ingest_scrub([corpus], ws, cfg, scrubber, runner)
            secs = time.perf_counter() - t
    finally:
        if runner is not None:
            runner.close()
    counts = json.loads(ws.private_path("ingest.json").read_text())
    return {"engine": engine, "seconds": round(secs, 2), "model_load_seconds": round(load, 2),
            "peak_rss_mb": round(mem.peak),
            "accepted": counts["accepted"], "conversations_per_s": round(counts["accepted"] / secs, 2),
            "pii_removed_by_type": counts["pii_removed_by_type"]}


def scrub_detail(records: list[list[tuple[str, str]]], mode: str) -> dict:
    """Per turn kind and per recognizer, one process (see the module docstring)."""
    from privacy.nlp import blank_code
    from privacy.recognizers.prose import code_regions
    from privacy.scrub import Scrubber, ScrubConfig, normalise

    kinds: dict[str, list[str]] = {"user": [], "assistant": [], "code": []}
    for turns in records:
        for role, text in turns:
            text = normalise(text)
            kinds["user" if role == "user" else "assistant"].append(blank_code(text))
            kinds["code"] += [text[s:e] for s, e in code_regions(text)]
    scrubber = Scrubber(ScrubConfig(n_process=1, nlp_mode=mode))
    analyzer = scrubber.analyzer
    spent: Counter = Counter()

    def timed(obj, attr, label):
        fn = getattr(obj, attr)

        def wrapper(*a, **k):
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                spent[label] += time.perf_counter() - t
        setattr(obj, attr, wrapper)

    for rec in analyzer.registry.recognizers:
        timed(rec, "analyze", rec.name)
    timed(analyzer, "_enhance_using_context", "presidio context words (lemmas around hits)")
    if hasattr(analyzer.nlp_engine, "tag"):
        timed(analyzer.nlp_engine, "tag", "spaCy tagger+lemmatizer (on demand)")
    out, per_recognizer = {}, Counter()
    for kind, texts in kinds.items():
        spent.clear()
        t = time.perf_counter()
        found = Counter(r.entity_type for res in scrubber.analyze_stream(texts) for r in res)
        secs = time.perf_counter() - t
        chars = sum(len(x) for x in texts)
        other = sum(spent.values())
        nested = spent["spaCy tagger+lemmatizer (on demand)"]  # runs inside the recognizers and the context step
        out[kind] = {"texts": len(texts), "chars": chars, "seconds": round(secs, 2),
                     "chars_per_s": round(chars / secs) if secs else None,
                     "spacy_pipe_seconds": round(secs - other + nested, 2), "found": dict(found)}
        per_recognizer.update(spent)
    top = {k: round(v, 2) for k, v in per_recognizer.most_common()}
    return {"mode": mode, "conversations": len(records), "by_turn_kind": out, "seconds_by_part": top}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", choices=("synth", "long", "real"), default="synth")
    ap.add_argument("--n", type=int, default=2000, help="conversations (real: the first N records; 0 = all)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--compare-nlp", action="store_true", help="ingest+scrub with nlp_mode full, then prose")
    ap.add_argument("--detail", type=int, default=0, metavar="N", help="scrub detail on the first N conversations")
    ap.add_argument("--stages", choices=("scrub", "all"), default="all")
    ap.add_argument("--engine", choices=("local", "ray"), default="local", help="engine of the stages run")
    ap.add_argument("--ray-cpus", type=int, default=2)
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp())
    corpus = make_corpus(args.corpus, args.n, args.seed, tmp)
    records = texts_of(corpus)
    chars = sum(len(t) for turns in records for _, t in turns)
    report: dict = {"corpus": args.corpus, "conversations": len(records), "turns": sum(map(len, records)),
                    "chars": chars, "cpus": os.cpu_count()}
    if args.compare_nlp:
        runs = {mode: scrub_once(corpus, mode, tmp) for mode in ("full", "prose")}
        runs["speedup"] = round(runs["full"]["seconds"] / runs["prose"]["seconds"], 2)
        if args.engine == "ray":  # the prose scrubber on Ray actors too (each a whole analysis, one CPU)
            runs["prose_ray"] = scrub_once(corpus, "prose", tmp, "ray", args.ray_cpus)
            runs["speedup_ray"] = round(runs["full"]["seconds"] / runs["prose_ray"]["seconds"], 2)
        report["scrub_compare"] = runs
    if args.detail:
        report["scrub_detail"] = {m: scrub_detail(records[: args.detail], m)
                                  for m in (("full", "prose") if args.compare_nlp else ("prose",))}
    if args.stages == "all":
        from clio.engines import make_engine

        engine = make_engine(args.engine, **({"num_cpus": args.ray_cpus} if args.engine == "ray" else {}))
        try:
            report.update(stages(corpus, tmp, len(records), chars, engine), engine=args.engine)
        finally:
            if engine is not None:
                engine.close()
    print(json.dumps(report))


def stages(corpus: Path, tmp: Path, n: int, chars: int, engine=None) -> dict:
    """Every stage in turn on the default config, as `clio run` does (`engine`: None = in this process)."""
    import numpy as np

    from clio import pipeline as p
    from clio.config import PipelineConfig
    from clio.embed.embedders import make_embedder
    from clio.workspace import Workspace
    from privacy.scrub import Scrubber

    cfg = PipelineConfig()
    ws = Workspace(tmp / "ws").create()
    scrubber, embedder = Scrubber(cfg.scrub), make_embedder(cfg.embed)
    times: dict[str, float] = {}
    peaks: dict[str, float] = {}
    t0 = time.perf_counter()

    def timed(name, fn):
        with PeakRSS() as mem:
            t = time.perf_counter()
            out = fn()
            times[name] = time.perf_counter() - t
        peaks[name] = round(mem.peak)
        return out

    parts = p.Components(scrubber, embedder).complete(cfg, ws.private_path("cache/llm.jsonl"))
    if engine is not None:
        timed("engine_start", engine.start)
    k = timed("ingest_scrub", lambda: p.stage_ingest_scrub([corpus], ws, cfg, scrubber, engine))
    k = timed("facets", lambda: p.stage_facets(k, ws, cfg, parts, engine=engine))
    rows = p.load_facets(ws)
    vectors = embedder if engine is None else engine.embedder(embedder, cfg.embed)
    k = timed("embed", lambda: p.stage_embed(k, ws, cfg, vectors, rows))
    X = np.load(ws.private_path("vectors.npy"))
    timed("cluster", lambda: p.stage_cluster(k, ws, cfg, X, rows, embedder))
    summary = timed("release", lambda: p.stage_release(ws, cfg, parts, rows, X))
    total = time.perf_counter() - t0
    return {
        "seconds_total": round(total, 2), "end_to_end_conversations_per_s": round(n / total, 2),
        "seconds": {s: round(t, 2) for s, t in times.items()},
        "conversations_per_s": {s: round(n / t, 1) for s, t in times.items()},
        "chars_per_s": {s: round(chars / t) for s, t in times.items()},
        "peak_rss_mb": peaks, "clusters_released": summary.clusters_released,
    }


if __name__ == "__main__":
    main()
