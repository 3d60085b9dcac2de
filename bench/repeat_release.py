"""The repeated-release experiment of issue 16, measured; prints one JSON line.

usage: python bench/repeat_release.py [--n 300] [--users 60] [--seed 3] [--fast]
A synthetic corpus is released; then (a) the corpus plus one new user's five two-turn asking conversations on one
topic and (b) the corpus less one user are released twice each: into a fresh workspace (what the thresholds alone
publish, the "before") and into a copy of the first release's workspace (the ledger guard, the "after"). For each it
reports which corpus totals moved and how many released clusters carry figures the first release did not have, with
the gate's own counts of held, updated (>= min_users users changed behind) and new (unmatched) clusters. Default
pipeline (MiniLM, UMAP, HDBSCAN); --fast uses the hash embedder and PCA.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--users", type=int, default=60)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--min-users", type=int, default=5)
    ap.add_argument("--fast", action="store_true")
    args = ap.parse_args()
    from clio.config import PipelineConfig
    from clio.pipeline import Components, run
    from clio.synth.corpus import SynthConfig, write_corpus
    from privacy.scrub import Scrubber, ScrubConfig
    from tests.fakes.repeat import moved, with_new_user, without_user

    cfg = PipelineConfig().replace(release={"min_users": args.min_users, "min_conversations": 2 * args.min_users},
                                   facets={"quiz_form_model": False})
    if args.fast:
        cfg = cfg.replace(embed={"model": "hash"}, cluster={"reducer": "pca"})
    parts = Components(scrubber=Scrubber(ScrubConfig(n_process=1)))
    d = Path(tempfile.mkdtemp())
    corpus, _, _ = write_corpus(d / "s.jsonl", SynthConfig(n=args.n, seed=args.seed, users=args.users))
    start = time.monotonic()
    first = run([corpus], d / "first", cfg, parts)
    out = {"conversations": args.n, "users": args.users, "min_users": args.min_users,
           "pipeline": "hash+pca" if args.fast else "default", "first_release": {
               "clusters_released": first.clusters_released, "groups_released": first.groups_released}}
    grown = with_new_user(corpus, d / "grown.jsonl", n=5)
    shrunk, gone = without_user(corpus, d / "shrunk.jsonl")
    for name, path in (("one_new_user_5_conversations", grown), (f"one_user_removed_{gone}_conversations", shrunk)):
        run([path], d / f"{name}-fresh", cfg, parts)
        shutil.copytree(d / "first", d / f"{name}-again")
        summary = run([path], d / f"{name}-again", cfg, parts)
        row = {}
        for label, ws in (("before_thresholds_alone", d / f"{name}-fresh"), ("after_guard", d / f"{name}-again")):
            m = moved(d / "first" / "release", ws / "release")
            row[label] = {"totals_moved": m["totals_changed"],
                          "clusters_with_new_figures": len(m["clusters_only_after"]),
                          "clusters_no_longer_published": len(m["clusters_only_before"])}
        row["after_guard"]["gate"] = {k: v for k, v in summary.repeat.items() if k not in ("rule", "previous_release")}
        out[name] = row
    out["seconds"] = round(time.monotonic() - start, 1)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
