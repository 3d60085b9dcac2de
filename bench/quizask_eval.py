"""Quizzing-vs-asking accuracy on a provenance-labelled set built from ../shared/data; prints one JSON line.

Quizzing (by construction, the author knows the answer): MMLU, GSM8K, TruthfulQA, HellaSwag, MedQA items,
formatted as a user would paste them. Asking: real users' prompts (OASST prompts, WildChat first turns).
The classifier is trained only on examples this project writes (clio/quizask_data.py), never on these
sources, so every source is unseen: the per-source figures are leave-one-source-out figures.
usage: python bench/quizask_eval.py [--per-source 300] [--seed 0]
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-source", type=int, default=300)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--show-errors", type=int, default=0)
    args = ap.parse_args()
    if not DATA.exists():
        print(json.dumps({"skipped": f"{DATA} not found; this benchmark needs ../shared/data"}))
        return
    from clio.classify import classify_turns

    sources = load_sources(args.per_source, args.seed)
    per, recall = {}, {"quizzing": [], "asking": []}
    errors = []
    for name, (label, texts) in sources.items():
        preds = [classify_turns([t]) for t in texts]
        ok = [p.label == label for p in preds]
        per[name] = {"label": label, "n": len(texts), "accuracy": round(sum(ok) / len(ok), 4)}
        recall[label].append(per[name]["accuracy"])
        errors += [(name, t[:160]) for t, k in zip(texts, ok) if not k][: args.show_errors]
    quiz = sum(recall["quizzing"]) / len(recall["quizzing"])
    ask = sum(recall["asking"]) / len(recall["asking"])
    print(json.dumps({"balanced_accuracy_leave_one_source_out": round((quiz + ask) / 2, 4),
                      "quizzing_recall_mean_over_sources": round(quiz, 4),
                      "asking_recall_mean_over_sources": round(ask, 4), "per_source": per,
                      "note": "classifier trained only on project-written examples; every source is unseen"}))
    for name, t in errors:
        print(f"ERR {name}: {t!r}", file=sys.stderr)


if __name__ == "__main__":
    main()
