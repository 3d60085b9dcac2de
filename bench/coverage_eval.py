"""Coverage of real usage by real benchmarks; prints ONE JSON line of figures.

usage: python bench/coverage_eval.py [--workspace DIR]
The release of WildChat 589 + OASST 900 real prompts (one user per conversation; bench/real_workspace.py) against
nine public benchmarks in ../shared (MMLU, GSM8K, HumanEval, TruthfulQA, IFEval, MedQA, HellaSwag, MT-bench,
AlpacaEval). Per benchmark: items, quizzing share, JS divergence from usage, usage reached (fixed budget, calibrated
threshold) and realism, each with its 95% bootstrap interval; the naive figure next to it (the old definition: usage
in clusters with at least one item whose nearest centroid it is, at cosine >= 0.35, all items), which saturates with
benchmark size; `clio coverage` wall time cold (no vector cache) and warm (second call).
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from real_workspace import BENCHMARKS, clio, real_workspace, require_data  # noqa: E402


def naive_reached(doc: dict, name: str) -> float:
    """The old headline's per-benchmark figure: usage share of clusters that received at least one item."""
    return round(sum(c["usage_share"] for c in doc["clusters"] if c["benchmark_shares"].get(name, 0) > 0), 4)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workspace", type=Path, default=Path("/tmp/clio-bench-real"))
    args = ap.parse_args()
    require_data()
    ws = real_workspace(args.workspace)
    shutil.rmtree(ws / "private" / "cache" / "public", ignore_errors=True)
    bench_args = [a for name, path in BENCHMARKS.items() for a in ("--benchmark", f"{name}={path}")]
    t0 = time.time()
    clio("coverage", "--workspace", str(ws), *bench_args)
    cold = time.time() - t0
    t0 = time.time()
    clio("coverage", "--workspace", str(ws), *bench_args)
    warm = time.time() - t0
    doc = json.loads((ws / "release" / "coverage.json").read_text())
    summary = json.loads((ws / "release" / "summary.json").read_text())
    out = {"release": {"conversations": summary["accepted"], "clusters_released": summary["clusters_released"],
                       "usage_quizzing_share": doc.get("usage_quizzing_share")},
           "reach": doc["reach"], "unreached_usage": [doc["uncovered_usage_share"], doc["uncovered_usage_share_ci"]],
           "seconds": {"cold": round(cold, 1), "warm": round(warm, 1)}, "benchmarks": {}}
    for b in doc["benchmarks"]:
        out["benchmarks"][b["name"]] = {
            "items": b["items"], "quizzing": [b["quizzing_share"], b["quizzing_share_ci"]],
            "js": [b["js_divergence"], b["js_divergence_ci"]],
            "reached": [b["usage_share_reached"], b["usage_share_reached_ci"]],
            "realism": [b["realism"], b["realism_ci"]], "outside": b["outside_share"],
            "naive_reached": naive_reached(doc, b["name"])}
    out["groups"] = [{"name": g["name"], "usage": [g["usage_share"], g["usage_share_ci"]],
                      "unreached": g["unreached_share"],
                      "top_benchmark": max(g["benchmark_shares"], key=g["benchmark_shares"].get)}
                     for g in doc["groups"]]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
