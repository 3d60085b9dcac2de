"""Throughput of each pipeline stage on N synthetic conversations; prints one JSON line.

usage: python bench/throughput.py [--n 2000] [--seed 0]
Figures: conversations/s per stage and end to end, and peak RSS (this process and its children, MB).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
os.environ.setdefault("CLIO_PROGRESS", "0")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    import numpy as np

    from clio import pipeline as p
    from clio.config import PipelineConfig
    from clio.embed.embedders import make_embedder
    from clio.synth.corpus import SynthConfig, write_corpus
    from clio.workspace import Workspace
    from privacy.scrub import Scrubber

    tmp = Path(tempfile.mkdtemp())
    corpus, _, _ = write_corpus(tmp / "s.jsonl", SynthConfig(n=args.n, seed=args.seed))
    cfg = PipelineConfig()
    ws = Workspace(tmp / "ws").create()
    scrubber, embedder = Scrubber(cfg.scrub), make_embedder(cfg.embed)
    times: dict[str, float] = {}
    t0 = time.perf_counter()

    def timed(name, fn):
        t = time.perf_counter()
        out = fn()
        times[name] = time.perf_counter() - t
        return out

    parts = p.Components(scrubber, embedder).complete(cfg, ws.private_path("cache/llm.jsonl"))
    k = timed("ingest_scrub", lambda: p.stage_ingest_scrub([corpus], ws, cfg, scrubber))
    k = timed("facets", lambda: p.stage_facets(k, ws, cfg, parts))
    rows = p.load_facets(ws)
    k = timed("embed", lambda: p.stage_embed(k, ws, cfg, embedder, rows))
    X = np.load(ws.private_path("vectors.npy"))
    timed("cluster", lambda: p.stage_cluster(k, ws, cfg, X, rows))
    summary = timed("release", lambda: p.stage_release(ws, cfg, parts, rows, X))
    total = time.perf_counter() - t0
    rss_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rss_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({
        "n": args.n, "seconds_total": round(total, 2),
        "conversations_per_s": {s: round(args.n / t, 1) for s, t in times.items()},
        "end_to_end_conversations_per_s": round(args.n / total, 1),
        "seconds": {s: round(t, 2) for s, t in times.items()},
        "peak_rss_mb": round(rss_self, 1), "peak_rss_children_mb": round(rss_children, 1),
        "clusters_released": summary.clusters_released, "cpus": os.cpu_count(),
    }))


if __name__ == "__main__":
    main()
