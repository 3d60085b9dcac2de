"""Quizzing-vs-asking accuracy on a provenance-labelled set built from ../shared/data; prints one JSON line.

Quizzing (by construction, the author knows the answer): MMLU, GSM8K, TruthfulQA, HellaSwag, MedQA items,
formatted as a user would paste them. Asking: real users' prompts (OASST prompts, WildChat first turns).
The classifier is trained only on examples this project writes (clio/quizask_data.py), never on these
sources, so every source is unseen: the per-source figures are leave-one-source-out figures. Reported for the
shipped classifier (cues + MiniLM form model) and for cues alone. `--families` also prints the
leave-one-template-family-out grid on the project's own examples that chose the form model's C and weight.
usage: python bench/quizask_eval.py [--per-source 300] [--seed 0] [--families] [--show-errors N]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"


def _jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _options(opts, rng) -> str:
    style = rng.choice(["{k}) {v}", "{k}. {v}", "({k}) {v}"])
    sep = rng.choice(["\n", "  "])
    return sep.join(style.format(k=k, v=v) for k, v in opts)


def load_sources(per_source: int, seed: int) -> dict[str, tuple[str, list[str]]]:
    """name -> (label, texts)."""
    rng = random.Random(seed)

    def sample(rows):
        return rng.sample(rows, min(per_source, len(rows)))

    b, c = DATA / "benchmarks", DATA / "conversations"
    out = {}
    out["mmlu"] = ("quizzing", [r["question"] + "\n" + _options([(k, r[k]) for k in "ABCD"], rng)
                                for r in sample(_jsonl(b / "mmlu" / "mmlu_test.jsonl"))])
    out["gsm8k"] = ("quizzing", [r["question"] for r in sample(_jsonl(b / "gsm8k" / "test_first660.jsonl"))])
    out["truthfulqa"] = ("quizzing", [r["Question"] for r in sample(_jsonl(b / "truthfulqa" / "TruthfulQA.jsonl"))])
    out["hellaswag"] = ("quizzing", [
        f"{r['ctx']}...\nWhich ending is most plausible?\n" + _options(list(zip("ABCD", r["endings"])), rng)
        for r in sample(_jsonl(b / "hellaswag" / "hellaswag_val_first2000.jsonl"))])
    med = sample(_jsonl(b / "medqa_usmle" / "phrases_no_exclude_test.jsonl"))
    out["medqa"] = ("quizzing", [r["question"] + "\n" + _options(sorted(r["options"].items()), rng) for r in med])
    out["oasst"] = ("asking", [r["prompt"] for r in sample(_jsonl(c / "oasst" / "oasst_en_prompts_900.jsonl"))])
    wild = [next(m["content"] for m in r["messages"] if m["role"] == "user")
            for r in _jsonl(c / "wildchat" / "wildchat_589.jsonl")]
    out["wildchat"] = ("asking", sample(wild))
    return out


def _score(sources, predict) -> dict:
    per, recall = {}, {"quizzing": [], "asking": []}
    for name, (label, texts) in sources.items():
        ok = [p.label == label for p in predict(texts)]
        per[name] = round(sum(ok) / len(ok), 4)
        recall[label].append(per[name])
    quiz = sum(recall["quizzing"]) / len(recall["quizzing"])
    ask = sum(recall["asking"]) / len(recall["asking"])
    return {"balanced_accuracy_leave_one_source_out": round((quiz + ask) / 2, 4),
            "quizzing_recall_mean_over_sources": round(quiz, 4), "asking_recall_mean_over_sources": round(ask, 4),
            "per_source_accuracy": per}


def audited(sources, predict) -> dict:
    """Real prompts judged one by one (bench/quizask_audit.json: blind labels by a reviewing agent, keyed by text
    hash): the share that are in fact quizzes, and accuracy against those labels instead of provenance."""
    import hashlib

    path = ROOT / "bench" / "quizask_audit.json"
    if not path.exists():
        return {}
    labels = json.loads(path.read_text())["labels"]
    out = {}
    for name, (label, texts) in sources.items():
        keyed = [(t, labels.get(hashlib.sha256(t.encode()).hexdigest()[:16], {}).get("label")) for t in texts]
        keyed = [(t, lab) for t, lab in keyed if lab in ("quizzing", "asking")]
        if not keyed:
            continue
        preds = predict([t for t, _ in keyed])
        truth = [lab for _, lab in keyed]
        quiz = [p.label == "quizzing" for p, lab in zip(preds, truth) if lab == "quizzing"]
        right = sum(p.label == lab for p, lab in zip(preds, truth))
        out[name] = {"n": len(keyed), "provenance": label,
                     "hand_labelled_quizzing_share": round(len(quiz) / len(keyed), 4),
                     "accuracy_vs_hand_labels": round(right / len(keyed), 4),
                     "recall_of_real_quizzes": round(sum(quiz) / len(quiz), 4) if quiz else None}
    return out


def family_grid(embedder) -> dict:
    """Leave-one-template-family-out balanced accuracy on the project's own examples, per (C, weight)."""
    import math

    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from clio.classify import first_turn_gate, turn_score
    from clio.quizask_data import examples
    from clio.quizask_model import MAX_CHARS

    ex = examples()
    X = embedder.encode([t[:MAX_CHARS] for t, _, _ in ex])
    y = np.array([lab == "quizzing" for _, lab, _ in ex])
    fam = np.array([f for _, _, f in ex])
    zc = np.array([math.log(p / (1 - p)) for p, _ in (turn_score(t) for t, _, _ in ex)])
    gate = np.array([first_turn_gate([t]) for t, _, _ in ex])
    out = {}
    for c in (0.1, 0.3, 1.0, 3.0):
        oof = np.zeros(len(y))
        for f in sorted(set(fam)):
            m = fam != f
            clf = LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit(X[m], y[m])
            oof[~m] = clf.decision_function(X[~m])
        for w in (0.0, 0.5, 1.0, 2.0):
            pred = (zc + w * oof * gate) >= 0
            acc = {f: float((pred[fam == f] == y[fam == f]).mean()) for f in set(fam)}
            q = np.mean([a for f, a in acc.items() if y[fam == f][0]])
            a = np.mean([a for f, a in acc.items() if not y[fam == f][0]])
            out[f"C={c},weight={w}"] = round(float(q + a) / 2, 4)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-source", type=int, default=300)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--show-errors", type=int, default=0)
    ap.add_argument("--families", action="store_true", help="also print the C/weight grid on project examples")
    args = ap.parse_args()
    if not DATA.exists():
        print(json.dumps({"skipped": f"{DATA} not found; this benchmark needs ../shared/data"}))
        return
    from clio.classify import classify_many
    from clio.embed import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder()
    sources = load_sources(args.per_source, args.seed)
    def ship(ts):
        return classify_many([[t] for t in ts], embedder)

    def cues_alone(ts):
        return classify_many([[t] for t in ts])

    shipped, cues = _score(sources, ship), _score(sources, cues_alone)
    out = {**shipped, "cues_only": cues, "audited_real_prompts": audited(sources, ship),
           "audited_real_prompts_cues_only": audited(sources, cues_alone),
           "note": "classifier trained only on project-written examples; every source is unseen"}
    if args.families:
        out["family_grid_project_examples"] = family_grid(embedder)
    print(json.dumps(out))
    if args.show_errors:
        for name, (label, texts) in sources.items():
            preds = classify_many([[t] for t in texts], embedder)
            bad = [t for t, p in zip(texts, preds) if p.label != label][: args.show_errors]
            for t in bad:
                print(f"ERR {name}: {t[:160]!r}", file=sys.stderr)


if __name__ == "__main__":
    main()
