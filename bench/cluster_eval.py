"""Clustering quality, size and speed; prints ONE JSON line of figures.

usage: python bench/cluster_eval.py [--quick] [--keep DIR] [--only synth,real]
- synth: `clio synth` corpora of 2,000 and 20,000 conversations (--quick: 2,000 and 5,000) through the full
  pipeline; accuracy of base clusters (each mapped to its majority true topic, unclustered counted wrong; the
  bar is 0.95), NMI and ARI at the level that matches the true topics best (highest NMI) and at every level,
  the parent levels' NMI against the true domain, and for the larger corpus the time by stage and peak RSS.
- real (labelled public data in ../shared/data, skipped with a message when absent; never copied into the
  project): on MMLU (subject, category), MT-bench (category), AlpacaEval (source) and the Russian WildChat
  prompts (task category), the pipeline at every level next to the naive baseline on the same conversations
  (MiniLM on the scrubbed first user turn, k-means with k = number of labels), with the unclustered and "other"
  shares, purity of the clustered part, name fidelity per level and how close a group's children are; on
  WildChat + OASST (no labels) the unclustered share, names and hierarchy; Russian prompts mixed into English
  WildChat under the default encoder and under per-language / joint MiniLM.
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


def run_config(one_user: bool = False, **overrides):
    from clio.config import PipelineConfig

    cfg = PipelineConfig()
    if one_user:
        cfg = cfg.replace(release={"one_user_per_conversation": True})
    return cfg.replace(**overrides) if overrides else cfg


def run_pipeline(inputs: list[Path], ws: Path, one_user: bool = False, **overrides) -> tuple[dict, dict, dict, dict]:
    """Full `clio run` in-process; returns (summary, assignments by id, seconds by stage, cluster manifest entry)."""
    from clio.pipeline import Components, export_assignments, run
    from clio.workspace import Workspace

    cfg = run_config(one_user, **overrides)
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


def multilingual(wc: Path, ru: Path, tmp: Path) -> dict:
    """Russian prompts (with task category) mixed into English WildChat: the default encoder (USE multilingual and
    MiniLM side by side, one space) against USE alone, the old default (MiniLM, clustered per language) and MiniLM
    in one space. NMI against the
    category among the Russian prompts at each level, how many top-level groups hold both Russian prompts and the
    English conversations, and the embedding time."""
    rows = _jsonl(ru)
    cats = {r["id"]: r["cat"] for r in rows}
    out: dict = {"n_ru": len(rows)}
    modes = {"default": {}, "use_multilingual": {"embed": {"model": "universal-sentence-encoder-multilingual-v3"}},
             "minilm_per_language": {"embed": {"model": "all-MiniLM-L6-v2"}, "cluster": {"languages": "split"}},
             "minilm_joint": {"embed": {"model": "all-MiniLM-L6-v2"}, "cluster": {"languages": "joint"}}}
    first = None
    for mode, over in modes.items():
        ws = tmp / f"ws_ru_{mode}"
        if first and not ws.exists():  # same scrub and facets: only vectors and clustering differ
            shutil.copytree(first, ws)
        first = first or ws
        _, assign, seconds, entry = run_pipeline([wc, ru], ws, one_user=True, **over)
        s = level_scores(assign, cats)
        sources = defaultdict(set)
        for i, v in assign.items():
            if v[-1]:
                sources[v[-1]].add(i in cats)
        unc = sum(not (assign.get(i) or [None])[0] for i in cats) / len(cats)
        out[mode] = {"nmi_cat_ru": [x["nmi"] for x in s], "accuracy_cat_ru": [x["accuracy"] for x in s],
                     "ru_base_clusters": s[0]["clusters"], "ru_unclustered_share": round(unc, 4),
                     "unclustered_share": entry.get("unclustered_share"),
                     "top_groups_mixing_languages": f"{sum(len(v) > 1 for v in sources.values())}/{len(sources)}",
                     "language_groups": entry.get("language_groups"), "embed_seconds": seconds.get("embed")}
    return out


def first_user_turn(conv) -> str:
    return next((t.content for t in conv.turns if t.role == "user"), "")[:2000]


# sets up to this size get 5 seeds of both sides (one seed's NMI moves by 0.03-0.06 on these sets: a 1e-7 change in
# the vectors gives UMAP another layout); the means are the comparison that counts
SEED_SPREAD_UNDER = 5000


def seed_spread(ws: Path, labels: dict[str, str], config, seeds: range = range(5)) -> dict:
    """Best-level NMI of the pipeline's clustering (its UMAP seed varied, on the same vectors) and of the baseline
    (its k-means seed varied), per seed and mean: on a small set one seed's result is mostly chance."""
    import numpy as np

    from clio.cluster.naming.labels import LabelVectors
    from clio.cluster.stage import cluster_batch
    from clio.embed.embedders import make_embedder
    from clio.pipeline import load_facets
    from clio.workspace import Workspace

    w = Workspace(ws)
    rows, X = load_facets(w), np.load(w.private_path("vectors.npy"))
    domains = LabelVectors(make_embedder(config.embed).encode).domains()  # as the pipeline's cluster stage reads
    pipe, base, bvec, bottom, top = [], [], baseline_vectors(ws, labels), [], []
    for seed in seeds:
        clusters, _ = cluster_batch(rows, X, config.replace(cluster={"seed": config.cluster.seed + seed}),
                                    lambda: domains)
        assign = {r.id: list(a) for r, a in zip(rows, clusters.assignments())}
        levels = level_scores(assign, labels)
        pipe.append(max(s["nmi"] for s in levels))
        bottom.append(levels[0]["nmi"])
        top.append(levels[-1]["nmi"])
        base.append(baseline(ws, labels, seed, bvec)["nmi"])
    mean = lambda v: round(sum(v) / len(v), 4)  # noqa: E731
    return {"seeds": len(pipe), "pipeline_best_nmi": pipe, "baseline_nmi": base,
            "pipeline_mean": mean(pipe), "baseline_mean": mean(base), "beats_baseline_on_mean": sum(pipe) > sum(base),
            # point 5 of the hierarchy: does the top level follow the labels as well as the base level does?
            "base_level_nmi": bottom, "top_level_nmi": top, "base_level_mean": mean(bottom),
            "top_level_mean": mean(top)}


def baseline_vectors(ws: Path, labels: dict[str, str]) -> tuple[list[str], object]:
    """The baseline's input: MiniLM vectors of the scrubbed first user turn of each labelled conversation."""
    from clio.embed.embedders import EmbedConfig, make_embedder
    from clio.pipeline import load_conversations
    from clio.workspace import Workspace

    convs = {c.id: c for c in load_conversations(Workspace(ws))}
    ids = sorted(i for i in labels if i in convs)
    return ids, make_embedder(EmbedConfig("all-MiniLM-L6-v2")).encode([first_user_turn(convs[i]) for i in ids])


def baseline(ws: Path, labels: dict[str, str], seed: int = 0, vectors=None) -> dict:
    """The naive baseline on the same conversations: MiniLM on the scrubbed first user turn, k-means with k = the
    number of labels. Quarantined conversations count as one bucket, as unclustered ones do for the pipeline."""
    from sklearn.cluster import KMeans

    ids, X = vectors or baseline_vectors(ws, labels)
    k = len(set(labels.values()))
    pred = dict(zip(ids, (str(x) for x in KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(X))))
    p, t = [pred.get(i, NONE) for i in sorted(labels)], [labels[i] for i in sorted(labels)]
    return {"nmi": round(nmi(p, t), 4), "accuracy": round(majority_accuracy(p, t), 4), "k": k}


def purity(assign: dict[str, list], labels: dict[str, str]) -> float:
    """Majority-label share among the clustered conversations only (base level): dilution shows here."""
    pairs = [((assign.get(i) or [None])[0], lab) for i, lab in labels.items()]
    pairs = [(c, lab) for c, lab in pairs if c]
    groups = defaultdict(Counter)
    for c, lab in pairs:
        groups[c][lab] += 1
    return round(sum(g.most_common(1)[0][1] for g in groups.values()) / max(1, len(pairs)), 4)


def _index(cid: str) -> int:
    return int(cid.rsplit("_", 1)[-1].lstrip("bmt"))


def _level_labels(clusters) -> list:
    """Per level, each conversation's cluster index there (-1 unclustered)."""
    import numpy as np

    out = [clusters.labels]
    for par in clusters.parents:
        prev = out[-1]
        out.append(np.where(prev >= 0, np.asarray(par)[np.maximum(prev, 0)], -1))
    return out


def names_and_hierarchy(ws: Path, model: str) -> dict:
    """Name fidelity per level (the share of released clusters whose name, embedded with the run's model, is
    nearest their own centroid among that level's released clusters; with the combined encoder, centroids as the
    namer sees them, MiniLM's columns scaled by the cluster's English share) and how much a group's children belong
    together: mean cosine between the base centroids of one first-level group against between groups, the
    silhouette (cosine) of base centroids by group, and the share of groups closer inside than outside."""
    import numpy as np

    from clio.embed.embedders import EmbedConfig, make_embedder
    from clio.pipeline import load_clusters, load_facets
    from clio.vectors import unit_rows
    from clio.workspace import Workspace

    w = Workspace(ws)
    X = np.load(w.private_path("vectors.npy"))
    clusters = load_clusters(w)
    rel = json.loads((ws / "release" / "clusters.json").read_text())["clusters"]
    per_level = _level_labels(clusters)
    emb = make_embedder(EmbedConfig(model))
    english = np.array([r.language == "en" for r in load_facets(w)], dtype=np.float32)
    out: dict = {"fidelity": []}
    for level, lab in enumerate(per_level):
        cs = [c for c in rel if c["level"] == level]
        if len(cs) < 2:
            continue
        N = emb.encode([c["name"] for c in cs])
        C = unit_rows(np.stack([X[lab == _index(c["id"])].mean(axis=0) for c in cs]))
        if getattr(emb, "first_dim", None):  # as the namer compares them: MiniLM's columns by English share
            C[:, emb.first_dim:] *= np.array([english[lab == _index(c["id"])].mean() for c in cs])[:, None]
            C = unit_rows(C)
        nearest = (N @ C.T).argmax(axis=1)
        hit = nearest == np.arange(len(cs))
        out["fidelity"].append({"level": level, "clusters": len(cs), "fidelity": round(float(hit.mean()), 4),
                                "misses": [[cs[i]["name"], cs[j]["name"]] for i, j in enumerate(nearest) if i != j]})
    base = [c for c in rel if c["level"] == 0 and c.get("parent")]
    groups = sorted({c["parent"] for c in base})
    if len(groups) >= 2 and len(base) >= 3:
        from sklearn.metrics import silhouette_score

        C = unit_rows(np.stack([X[per_level[0] == _index(c["id"])].mean(axis=0) for c in base]))
        g = np.array([groups.index(c["parent"]) for c in base])
        S = C @ C.T
        same, diff = g[:, None] == g[None, :], g[:, None] != g[None, :]
        np.fill_diagonal(same, False)
        def inside(k):  # mean cosine between different members of group k
            return S[np.ix_(g == k, g == k)][~np.eye((g == k).sum(), dtype=bool)].mean()

        closer = [inside(k) > S[np.ix_(g == k, g != k)].mean() for k in range(len(groups)) if (g == k).sum() >= 2]
        intra = round(float(S[same].mean()), 4) if same.any() else None
        out["hierarchy"] = {"intra_group_cosine": intra,
                            "inter_group_cosine": round(float(S[diff].mean()), 4),
                            "silhouette": round(float(silhouette_score(C, g, metric="cosine")), 4)
                            if len(set(g)) < len(g) else None,
                            "groups_closer_inside": f"{sum(closer)}/{len(closer)}"}
    return out


def labelled_set(name: str, items: list[dict], labels: dict[str, dict[str, str]], tmp: Path,
                 model: str, **overrides) -> dict:
    """One labelled real set end to end: the pipeline (every level) and the naive baseline on the same
    conversations, side by side, with unclustered, "other", purity, name fidelity and the hierarchy measure."""
    ws = tmp / f"ws_{name}"
    t0 = time.perf_counter()
    summary, assign, seconds, entry = run_pipeline([_write(tmp / f"{name}.jsonl", items)], ws, one_user=True,
                                                   **overrides)
    out: dict = {"n": len(items), "seconds": seconds, "unclustered_share": entry.get("unclustered_share"),
                 "other_share": (summary.other or {}).get("share"), "level_sizes": entry.get("level_sizes")}
    for key, lab in labels.items():
        levels = level_scores(assign, lab)
        best = max(levels, key=lambda s: (s["nmi"], -s["level"]))
        base = baseline(ws, lab)
        out[key] = {"pipeline_base_nmi": levels[0]["nmi"], "pipeline_best_nmi": best["nmi"],
                    "best_level": best["level"], "levels_nmi": [s["nmi"] for s in levels],
                    "baseline_nmi": base["nmi"], "beats_baseline": best["nmi"] > base["nmi"],
                    "purity": purity(assign, lab), "baseline_accuracy": base["accuracy"],
                    "pipeline_accuracy": levels[0]["accuracy"]}
    if len(items) < SEED_SPREAD_UNDER:
        for key, lab in labels.items():
            out[key]["seed_spread"] = seed_spread(ws, lab, run_config(True, **overrides))
    out.update(names_and_hierarchy(ws, model))
    out["wall_seconds"] = round(time.perf_counter() - t0, 1)
    print(f"{name}: {json.dumps(out)}", file=sys.stderr, flush=True)
    return out


def real(tmp: Path, quick: bool, model: str | None = None, per_subject: int | None = None) -> dict:
    """Every labelled real set in ../shared against the naive baseline; a clear message when data is absent."""
    if not DATA.exists():
        return {"skipped": f"no labelled data at {DATA}"}
    from clio.embed.embedders import EmbedConfig

    model = model or EmbedConfig().model
    over = {"embed": {"model": model}} if model != EmbedConfig().model else {}
    out: dict = {"embedding_model": model}
    conv = DATA / "conversations"
    mmlu = DATA / "benchmarks" / "mmlu" / ("mmlu_test_health_subjects.jsonl" if quick else "mmlu_test.jsonl")
    if mmlu.exists():
        rows = _jsonl(mmlu)
        if per_subject:  # the first n of each subject (file order): every subject and category, less time
            seen: Counter = Counter()
            rows = [r for r in rows if (seen.update([r["subject"]]) or seen[r["subject"]]) <= per_subject]
        ids = [f"mmlu-{i}" for i in range(len(rows))]
        out["mmlu"] = labelled_set("mmlu", [{"id": i, "prompt": r["question"]} for i, r in zip(ids, rows)],
                                   {"subject": {i: r["subject"] for i, r in zip(ids, rows)},
                                    "category": {i: r["category"] for i, r in zip(ids, rows)}}, tmp, model, **over)
    mt = conv / "mt_bench" / "mt_bench_question.jsonl"
    if mt.exists():
        rows = _jsonl(mt)
        items = [{"id": f"mt-{r['question_id']}", "messages": [{"role": "user", "content": t} for t in r["turns"]]}
                 for r in rows]
        out["mt_bench"] = labelled_set("mt_bench", items, {"category": {f"mt-{r['question_id']}": r["category"]
                                                                        for r in rows}}, tmp, model,
                                       release={"min_users": 5, "min_conversations": 5}, **over)
        out["mt_bench"]["note"] = "80 prompts: release minimum 5"
    alp = conv / "alpaca_eval" / "alpaca_eval_805.jsonl"
    if alp.exists():
        rows = _jsonl(alp)
        out["alpaca_eval"] = labelled_set("alpaca", [{"id": f"alp-{i}", "prompt": r["instruction"]}
                                                     for i, r in enumerate(rows)],
                                          {"dataset": {f"alp-{i}": r["dataset"] for i, r in enumerate(rows)}},
                                          tmp, model, **over)
    ru = conv / "wildchat_hard_ru" / "wildchat_hard_ru.jsonl"
    if ru.exists():
        rows = _jsonl(ru)
        out["wildchat_ru"] = labelled_set("ru", [{"id": r["id"], "prompt": r["instruction"]} for r in rows],
                                          {"cat": {r["id"]: r["cat"] for r in rows}}, tmp, model, **over)
    wc = conv / "wildchat" / "wildchat_589.jsonl"
    if wc.exists():
        oasst = conv / "oasst"
        extra = [p for p in (oasst / "oasst_en_prompts_900.jsonl", oasst / "en_100_threads_rank0.jsonl") if p.exists()]
        summary, assign, seconds, entry = run_pipeline([wc, *extra], tmp / "ws_wildchat", one_user=True, **over)
        out["wildchat_oasst"] = {"n": len(assign), "clusters": entry.get("base_clusters"), "seconds": seconds,
                                 "unclustered_share": entry.get("unclustered_share"),
                                 "other_share": (summary.other or {}).get("share"),
                                 "level_sizes": entry.get("level_sizes"),
                                 "clusters_released": summary.clusters_released,
                                 **names_and_hierarchy(tmp / "ws_wildchat", model)}
        if ru.exists():
            out["wildchat_ru_mix"] = multilingual(wc, ru, tmp)
    else:
        out["wildchat_oasst"] = {"skipped": f"{wc} absent"}
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="2,000 + 5,000 synthetic; MMLU health subset")
    ap.add_argument("--keep", type=Path, help="keep workspaces here (re-runs reuse scrub/embed stages)")
    ap.add_argument("--only", default="synth,real", help="synth, real, or both (comma-separated)")
    ap.add_argument("--model", help="embedding model for the real sets (default: the pipeline's)")
    ap.add_argument("--mmlu-per-subject", type=int, default=40,
                    help="MMLU items per subject (all 57 subjects; 0 = all 14,042 items)")
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
        figures["real"] = real(tmp, args.quick, args.model, args.mmlu_per_subject)
    if "synth" in parts:  # in a child process, so the peak RSS is this run's own
        n = 5000 if args.quick else 20000
        child = subprocess.run([sys.executable, __file__, "--measure", str(n), "--keep", str(tmp)],
                               capture_output=True, text=True, check=True)
        figures[f"synth_{n}"] = json.loads(child.stdout.strip().splitlines()[-1])
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
