"""Domain suites on real data; prints ONE JSON line of figures.

usage: python bench/suite_eval.py [--mix-workspace DIR] [--real-workspace DIR]

1. A labelled mix built from ../shared (read in place; the mix file is written to a temporary folder): medical items
   (MedQA, MMLU health subjects, and the real WildChat/OASST prompts that name a medical matter: symptoms, drugs,
   doses, diagnoses, doctors) mixed with coding items (HumanEval and real coding prompts) and writing items (IFEval and
   real writing prompts). `clio run` releases it; each released cluster is medical when most of its conversations are.
   - gate: precision/recall (weighted by conversations) of admitting clusters to the medical suite over a grid of the
     two thresholds, next to the similarity-only gate the suite used before (min similarity 0.3, no facet share);
   - the software pack's gate on the same mix, with the coding items as its positives;
   - the medical suite built on it (exemplars plus a pool of MedQA/MMLU-health items not in the mix): off-domain
     share (items from clusters most of whose conversations are not medical), ours and similarity-only.
2. The real conversations (WildChat 589 + OASST 900, one user per conversation) with a pool of MedQA and MMLU-health
   items: the medical suite's clusters, distinct-input share, JS divergence between the suite's and usage's
   distribution over its clusters, share of items that embed nearest their own cluster, grading kinds; and the same
   for the software suite on that release (HumanEval as its pool), since the real sample holds no medical cluster.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from real_workspace import DATA, REAL, clio, real_workspace, require_data  # noqa: E402

MEDICAL = re.compile(r"\b(symptom|diagnos|medication|medicine|doctor|dose|dosage|disease|fever|pain|tablet|"
                     r"prescri|blood pressure|diabet|cancer|infection|surgery|vaccin|allerg|pregnan|headache|"
                     r"antibiotic|nurse|hospital|clinical|patient)", re.I)
CODING = re.compile(r"\b(python|javascript|java|c\+\+|sql|function|code|script|bug|error|compile|api|html|css)\b",
                    re.I)
WRITING = re.compile(r"\b(write|poem|story|essay|letter|rewrite|paragraph|blog|email|lyrics|article)\b", re.I)


def read_jsonl(p: Path) -> list[dict]:
    return [json.loads(x) for x in p.read_text(encoding="utf-8").splitlines() if x.strip()]


def real_prompts() -> list[str]:
    from clio.coverage.benchmarks import read_bench_items

    return [it.text for p in REAL for it in read_bench_items(p)]


def build_mix(folder: Path, seed: int = 0) -> tuple[Path, dict[str, str], set[str]]:
    """The labelled mix (JSONL of {"id", "prompt"}), label by id, and the benchmark texts it holds."""
    from clio.coverage.benchmarks import read_bench_items

    rng = random.Random(seed)

    def sample(path, n):
        items = [it.text for it in read_bench_items(path)]
        rng.shuffle(items)
        return items[:n]

    medqa = sample(DATA / "benchmarks/medqa_usmle/phrases_no_exclude_test.jsonl", 150)
    mmlu_h = sample(DATA / "benchmarks/mmlu/mmlu_test_health_subjects.jsonl", 150)
    real = real_prompts()
    real_med = [t for t in real if MEDICAL.search(t[:600]) and not CODING.search(t[:600])][:120]
    real_code = [t for t in real if CODING.search(t[:600]) and not MEDICAL.search(t[:600])][:150]
    real_write = [t for t in real if WRITING.search(t[:300]) and not MEDICAL.search(t[:600])
                  and not CODING.search(t[:600])][:150]
    humaneval = sample(DATA / "benchmarks/humaneval/HumanEval.jsonl", 120)
    ifeval = sample(DATA / "benchmarks/ifeval/input_data.jsonl", 150)
    groups = {"medical": medqa + mmlu_h + real_med, "coding": humaneval + real_code, "writing": ifeval + real_write}
    rows, labels = [], {}
    for label, texts in groups.items():
        for t in dict.fromkeys(texts):
            cid = f"mix-{len(rows)}"
            rows.append({"id": cid, "prompt": t})
            labels[cid] = label
    rng.shuffle(rows)
    path = folder / "mix.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path, labels, {r["prompt"] for r in rows}


def cluster_truth(ws: Path, labels: dict[str, str]) -> dict[str, dict[str, float]]:
    """Label -> base cluster id -> share of the cluster's conversations with that label (private assignments)."""
    out = ws / "assignments.private.jsonl"
    clio("export-assignments", "--workspace", str(ws), "--out", str(out))
    by_cluster: dict[str, list[str | None]] = defaultdict(list)
    facets = [json.loads(x) for x in (ws / "private" / "facets.jsonl").read_text().splitlines()]
    for row, fac in zip(read_jsonl(out), facets):
        base = row["levels"][0]
        if base is not None:
            by_cluster[base].append(labels.get(fac["id"]))
    out.unlink()
    return {lab: {k: sum(x == lab for x in v) / len(v) for k, v in by_cluster.items()}
            for lab in sorted(set(labels.values()))}


def unused_rows(path: Path, in_mix: set[str]) -> list[dict]:
    """The rows of a benchmark file whose item is not in the mix (so a pool never hands the suite a mix prompt)."""
    from clio.coverage.benchmarks import read_bench_items

    rows, texts = read_jsonl(path), [it.text for it in read_bench_items(path)]
    assert len(rows) == len(texts), path
    return [r for r, t in zip(rows, texts) if t not in in_mix]


def pool_floor(ws: Path, tmp: Path, admitted: set[str], clusters, embedder, in_mix: set[str]) -> dict:
    """How far a pool item may lie from the admitted cluster it is nearest to: a labelled pool of benchmark items
    not in the mix (MedQA, MMLU health: medical; GSM8K, IFEval, HumanEval: not) against the mix's release; per floor
    (cosine), the items an admitted cluster could draw and the share of them that are not medical."""
    import numpy as np

    from clio.pipeline import public_items
    from domains.gate import base_clusters, unit_rows
    from domains.suite import cluster_vectors

    base = base_clusters(clusters)
    C = cluster_vectors(base, embedder)
    is_admitted = np.array([c.id in admitted for c in base])
    sims, medical = [], []
    for label, rel in (("medical", "medqa_usmle/phrases_no_exclude_test.jsonl"),
                       ("medical", "mmlu/mmlu_test_health_subjects.jsonl"), ("other", "gsm8k/test_first660.jsonl"),
                       ("other", "ifeval/input_data.jsonl"), ("other", "humaneval/HumanEval.jsonl")):
        path = tmp / f"pool-{len(sims)}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in unused_rows(DATA / "benchmarks" / rel, in_mix)))
        _, V, _ = public_items(ws, path, None, embedder)
        sims.append(unit_rows(np.asarray(V)) @ C.T)
        medical += [label == "medical"] * len(V)
    S, medical = np.concatenate(sims), np.array(medical)
    nearest, best = S.argmax(axis=1), S.max(axis=1)
    out = {"pool_items": len(S), "medical_items": int(medical.sum())}
    for floor in (0.1, 0.15, 0.2, 0.25, 0.3):
        m = is_admitted[nearest] & (best >= floor)
        out[f"cos>={floor}"] = {"eligible": int(m.sum()), "medical": int((m & medical).sum()),
                                "off_domain_share": round(float((~medical[m]).mean()), 4) if m.any() else None}
    return out


def js_bits(p: list[float], q: list[float]) -> float:
    sp, sq = sum(p) or 1, sum(q) or 1
    p, q = [x / sp for x in p], [x / sq for x in q]
    m = [(a + b) / 2 for a, b in zip(p, q)]

    def kl(a, b):
        return sum(x * math.log2(x / y) for x, y in zip(a, b) if x > 0)

    return round(0.5 * kl(p, m) + 0.5 * kl(q, m), 4)


def suite_figures(build, clusters, embedder, truth: dict[str, float] | None = None) -> dict:
    import numpy as np

    from domains.gate import base_clusters, unit_rows
    from domains.suite import cluster_vectors

    items = build.items
    base = base_clusters(clusters)
    C = cluster_vectors(base, embedder)
    row = {c.id: i for i, c in enumerate(base)}
    V = unit_rows(embedder.encode([it.input for it in items])) if items else np.zeros((0, C.shape[1]))
    back = [int(np.argmax(C @ v)) == row[it.cluster_id] for it, v in zip(items, V)]
    admitted = [m.cluster_id for m in build.gate.admitted]
    usage = [m.share for m in build.gate.admitted]
    counts = Counter(it.cluster_id for it in items)
    out = {"items": len(items), "requested": build.requested,
           "distinct_input_share": round(len({it.input.strip().casefold() for it in items}) / max(1, len(items)), 4),
           "js_suite_vs_usage_bits": js_bits([counts[c] for c in admitted], usage) if items else None,
           "embed_back_share": round(sum(back) / max(1, len(back)), 4),
           "sources": dict(Counter(it.source for it in items)), "grading": dict(Counter(it.grading for it in items)),
           "with_grading_material": round(sum(bool(it.rubric or it.reference or it.target) for it in items)
                                          / max(1, len(items)), 4),
           "clusters": [f"{m.cluster_id} {m.cluster_name[:50]} -> {m.task}" for m in build.gate.admitted],
           "left_out": len(build.gate.left_out), "dropped": {k: dict(v) for k, v in build.dropped.items()}}
    if truth is not None:
        off = [it for it in items if truth.get(it.cluster_id, 0.0) < 0.5]
        out["off_domain_item_share"] = round(len(off) / max(1, len(items)), 4)
    return out


def gate_grid(taxonomy, clusters, embedder, truth: dict[str, float]) -> dict:
    from domains.gate import gate_clusters

    every = gate_clusters(taxonomy, clusters, embedder, min_similarity=-1.0, min_domain_share=0.0).admitted
    size = {c.id: c.conversations for c in clusters}

    def score(admit) -> dict:
        tp = sum(size[m.cluster_id] for m in admit if truth.get(m.cluster_id, 0) >= 0.5)
        fp = sum(size[m.cluster_id] for m in admit if truth.get(m.cluster_id, 0) < 0.5)
        pos = sum(size[m.cluster_id] for m in every if truth.get(m.cluster_id, 0) >= 0.5)
        p, r = tp / max(1, tp + fp), tp / max(1, pos)
        return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / max(1e-9, p + r), 3)}

    grid = {}
    for share in (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6):
        for sim in (0.2, 0.25, 0.3, 0.35, 0.4):
            grid[f"share>={share},sim>={sim}"] = score([m for m in every if m.domain_share >= share
                                                        and m.similarity >= sim])
    best = max(grid.items(), key=lambda kv: (kv[1]["f1"], kv[1]["precision"]))
    # the suite must hold no off-domain cluster: the setting with the most recall at full precision
    clean = [kv for kv in grid.items() if kv[1]["precision"] == 1.0]
    best_clean = max(clean, key=lambda kv: (kv[1]["recall"], kv[0])) if clean else None
    chosen = f"share>={taxonomy.gate.min_domain_share},sim>={taxonomy.gate.min_similarity}"
    figures = {m.cluster_id: {"in_domain_share": round(truth.get(m.cluster_id, 0.0), 2),
                              "facet_share": m.domain_share, "similarity": round(m.similarity, 3),
                              "conversations": size[m.cluster_id]} for m in every}
    return {"clusters": len(every), "in_domain_clusters": sum(truth.get(m.cluster_id, 0) >= 0.5 for m in every),
            "similarity_only_0.3": grid["share>=0.0,sim>=0.3"], "chosen": {chosen: grid.get(chosen)},
            "best_f1": {best[0]: best[1]}, "best_at_precision_1": dict([best_clean]) if best_clean else None,
            "per_cluster": figures, "grid": grid}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mix-workspace", type=Path, default=Path("/tmp/clio-bench-mix"))
    ap.add_argument("--real-workspace", type=Path, default=Path("/tmp/clio-bench-real"))
    ap.add_argument("--n", type=int, default=200)
    args = ap.parse_args()
    require_data()
    from clio.commands.suite import make_suite
    from clio.embed.embedders import EmbedConfig, make_embedder
    from domains.registry import get_taxonomy
    from domains.gate import SUITE_MODEL, gate_clusters
    from domains.suite import build_suite, load_release_clusters

    embedder = make_embedder(EmbedConfig(model=SUITE_MODEL))  # the space the packs' thresholds are measured in
    medical = get_taxonomy("medical")
    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        mix, labels, in_mix = build_mix(tmp)
        out["mix"] = dict(Counter(labels.values()))
        ws = real_workspace(args.mix_workspace, [mix])
        truths = cluster_truth(ws, labels)
        truth = truths["medical"]
        clusters = load_release_clusters(ws / "release" / "clusters.json")
        out["gate"] = gate_grid(medical, clusters, embedder, truth)
        # the software pack's gate on the same mix: its coding items are the positives
        out["gate_software"] = gate_grid(get_taxonomy("software"), clusters, embedder, truths["coding"])
        # a pool of medical benchmark items that are not in the mix
        pool_path = tmp / "pool.jsonl"
        rows = unused_rows(DATA / "benchmarks/medqa_usmle/phrases_no_exclude_test.jsonl", in_mix)
        pool_path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        admitted = {m.cluster_id for m in gate_clusters(medical, clusters, embedder).admitted}
        out["pool_floor"] = pool_floor(ws, tmp, admitted, clusters, embedder, in_mix)
        res = make_suite("medical", ws, tmp / "mix-suite", "jsonl", args.n, embedder=embedder, pools=[pool_path])
        out["mix_suite"] = suite_figures(res.build, clusters, embedder, truth)
        from clio.pipeline import public_items
        from domains.sources import PoolItem

        p_items, p_vecs, _ = public_items(ws, pool_path, None, embedder)
        base = build_suite(medical, clusters, embedder, n_items=args.n, min_domain_share=0.0, min_similarity=0.3,
                           pool=[PoolItem(it.text, it.provenance, it.reference, it.target, it.choices)
                                 for it in p_items], pool_vectors=p_vecs)
        out["mix_suite_similarity_only_gate"] = {
            "off_domain_item_share": suite_figures(base, clusters, embedder, truth)["off_domain_item_share"],
            "clusters": len(base.gate.admitted),
            "off_domain_planned_share": round(sum(k for c, k in base.planned.items() if truth.get(c, 0) < 0.5)
                                              / max(1, sum(base.planned.values())), 4)}
        out["mix_suite"]["off_domain_planned_share"] = round(
            sum(k for c, k in res.build.planned.items() if truth.get(c, 0) < 0.5)
            / max(1, sum(res.build.planned.values())), 4)
        # 2. the real conversations
        ws = real_workspace(args.real_workspace)
        clusters = load_release_clusters(ws / "release" / "clusters.json")
        pools = [DATA / "benchmarks/medqa_usmle/phrases_no_exclude_test.jsonl",
                 DATA / "benchmarks/mmlu/mmlu_test_health_subjects.jsonl"]
        res = make_suite("medical", ws, tmp / "real-suite", "jsonl", args.n, embedder=embedder, pools=pools)
        out["real_suite"] = suite_figures(res.build, clusters, embedder)
        out["real_suite"]["notes"] = res.report["notes"]
        out["real_suite"]["left_out_max_facet_share"] = max((lo.domain_share for lo in res.build.gate.left_out),
                                                            default=None)
        # the software suite on the same real release (its coding clusters), with HumanEval as a pool
        res = make_suite("software", ws, tmp / "real-software", "jsonl", args.n, embedder=embedder,
                         pools=[DATA / "benchmarks/humaneval/HumanEval.jsonl"])
        out["real_software_suite"] = suite_figures(res.build, clusters, embedder)
        out["real_software_suite"]["notes"] = res.report["notes"]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
