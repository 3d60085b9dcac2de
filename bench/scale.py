"""End to end at scale, local engine against Ray engine on this machine; prints one JSON line.

usage: python bench/scale.py [--n 10000] [--corpus synth|long] [--engines local,ray] [--ray-cpus 2]

Runs `bench/throughput.py` once per engine, one after the other, each in its own process (so peak memory and model
loads are its own): seconds, conversations/s, characters/s and peak RSS (process and children, Ray's workers
included) per stage, on the same generated corpus.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--corpus", choices=("synth", "long"), default="synth")
    ap.add_argument("--engines", default="local,ray")
    ap.add_argument("--ray-cpus", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    out = {"n": args.n, "corpus": args.corpus, "runs": {}}
    for engine in args.engines.split(","):
        cmd = [sys.executable, str(HERE / "throughput.py"), "--corpus", args.corpus, "--n", str(args.n),
               "--seed", str(args.seed), "--engine", engine, "--ray-cpus", str(args.ray_cpus)]
        done = subprocess.run(cmd, capture_output=True, text=True)
        lines = [x for x in done.stdout.splitlines() if x.startswith("{")]
        out["runs"][engine] = json.loads(lines[-1]) if done.returncode == 0 and lines else {
            "failed": done.returncode, "stderr_tail": done.stderr[-800:]}
    runs = out["runs"]
    if all("seconds_total" in runs.get(e, {}) for e in ("local", "ray")):
        out["ray_speedup_end_to_end"] = round(runs["local"]["seconds_total"] / runs["ray"]["seconds_total"], 2)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
