"""Quizzing-vs-asking accuracy on a provenance-labelled set built from ../shared/data; prints one JSON line.

Quizzing (by construction, the author knows the answer): MMLU, GSM8K, TruthfulQA, HellaSwag, MedQA items,
formatted as a user would paste them. Asking: real users' prompts (OASST prompts, WildChat first turns).
The classifier is trained only on examples this project writes (clio/facets/quizask/data.py), never on these
sources, so every source is unseen: the per-source figures are leave-one-source-out figures. Reported for the
shipped classifier (cues + MiniLM form model) and for cues alone. `--families` also prints the
leave-one-template-family-out grid on the project's own examples that chose the form model's C and weight;
`--frontier` sweeps the form model's weight and prior. The cue design has read the dev split's errors (seed 0,
300 per source); `--split heldout` scores items outside it that nobody read, the honest figure for unseen items.
Where bench/quizask_audit.json holds blind labels of the real prompts, `balanced_accuracy_audited_asks` scores
the asking sources only on prompts the audit calls asking, since 5-7% of real prompts are in fact quizzes.
usage: python bench/quizask_eval.py [--split dev|heldout] [--per-source 300] [--seed 0] [--families]
                                    [--frontier] [--show-errors N]
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


def _raw_sources() -> dict[str, tuple[str, list]]:
    """name -> (label, rows), every row of each source in file order."""
    b, c = DATA / "benchmarks", DATA / "conversations"
    wild = [{"prompt": next(m["content"] for m in r["messages"] if m["role"] == "user")}
            for r in _jsonl(c / "wildchat" / "wildchat_589.jsonl")]
    return {"mmlu": ("quizzing", _jsonl(b / "mmlu" / "mmlu_test.jsonl")),
            "gsm8k": ("quizzing", _jsonl(b / "gsm8k" / "test_first660.jsonl")),
            "truthfulqa": ("quizzing", _jsonl(b / "truthfulqa" / "TruthfulQA.jsonl")),
            "hellaswag": ("quizzing", _jsonl(b / "hellaswag" / "hellaswag_val_first2000.jsonl")),
            "medqa": ("quizzing", _jsonl(b / "medqa_usmle" / "phrases_no_exclude_test.jsonl")),
            "oasst": ("asking", _jsonl(c / "oasst" / "oasst_en_prompts_900.jsonl")),
            "wildchat": ("asking", wild)}


def _paste(name: str, r: dict, rng) -> str:
    """A benchmark item as a user would paste it; a real prompt as it was."""
    if name == "mmlu":
        return r["question"] + "\n" + _options([(k, r[k]) for k in "ABCD"], rng)
    if name == "gsm8k":
        return r["question"]
    if name == "truthfulqa":
        return r["Question"]
    if name == "hellaswag":
        return f"{r['ctx']}...\nWhich ending is most plausible?\n" + _options(list(zip("ABCD", r["endings"])), rng)
    if name == "medqa":
        return r["question"] + "\n" + _options(sorted(r["options"].items()), rng)
    return r["prompt"]


DEV_SIZE = 300  # the dev split is the seed-0 sample of this many items per source


def load_sources(per_source: int, seed: int = 0, split: str = "dev") -> dict[str, tuple[str, list[str]]]:
    """name -> (label, texts). `dev` is the seed's sample of `per_source` items per source; seed 0 with 300 per
    source is what the cue design has looked at. `heldout` is up to `per_source` items outside the seed's
    300-item sample, which nobody read while designing the classifier: it checks the design did not fit dev."""
    rng = random.Random(seed)
    n = DEV_SIZE if split == "heldout" else per_source
    dev = {}  # the dev draw consumes `rng` exactly as it always has, so seed 0 gives the same items
    for name, (label, rows) in _raw_sources().items():
        picked = rng.sample(range(len(rows)), min(n, len(rows)))
        dev[name] = (label, rows, picked, [_paste(name, rows[i], rng) for i in picked])
    if split == "dev":
        return {name: (label, texts) for name, (label, _, _, texts) in dev.items()}
    out = {}
    for name, (label, rows, picked, texts) in dev.items():
        hrng = random.Random(f"heldout-{seed}-{name}")
        seen = set(texts)
        rest = [i for i in range(len(rows)) if i not in set(picked)]
        cand = [_paste(name, rows[i], hrng) for i in hrng.sample(rest, len(rest))]
        cand = [t for t in dict.fromkeys(cand) if t not in seen]  # a duplicate of a dev text is not unseen
        out[name] = (label, cand[:per_source])
    return out


def audit_labels() -> dict[str, dict]:
    """Blind labels of real prompts (bench/quizask_audit.json, written by reviewing agents): text hash ->
    {"label", "kind", ...}."""
    path = ROOT / "bench" / "quizask_audit.json"
    if not path.exists():
        return {}
    return json.loads(path.read_text())["labels"]


def _hash(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _score(sources, predict, audit: dict[str, str]) -> dict:
    """Per-source accuracy against provenance, the balanced accuracy over sources, and, where real prompts carry
    audit labels, the same figure with the asking sources scored only on prompts the audit calls asking (a real
    user's pasted exam question is a quiz, and calling it one is not an error)."""
    per, recall, ask_audited, audit_out = {}, {"quizzing": [], "asking": []}, [], {}
    for name, (label, texts) in sources.items():
        preds = [p.label for p in predict(texts)]
        per[name] = round(sum(p == label for p in preds) / len(preds), 4)
        recall[label].append(per[name])
        judged = [audit.get(_hash(t), {}) for t in texts]
        truth = [j.get("label") for j in judged]
        asks = [p == "asking" for p, t in zip(preds, truth) if t == "asking"]
        quiz = [p == "quizzing" for p, t in zip(preds, truth) if t == "quizzing"]
        if label != "asking" or not asks:
            continue
        n = len(asks) + len(quiz)
        ask_audited.append(sum(asks) / len(asks))
        kinds: dict[str, list[int]] = {}  # found / all real quizzes per kind of quiz ("homework-math" -> homework)
        for p, j in zip(preds, judged):
            if j.get("label") == "quizzing":
                k = kinds.setdefault(j.get("kind", "?").split("-")[0], [0, 0])
                k[0] += p == "quizzing"
                k[1] += 1
        audit_out[name] = {"n": n, "hand_labelled_quizzing_share": round(len(quiz) / n, 4),
                           "accuracy_vs_hand_labels": round((sum(asks) + sum(quiz)) / n, 4),
                           "real_asks_called_quizzing": round(1 - sum(asks) / len(asks), 4),
                           "recall_of_real_quizzes": round(sum(quiz) / len(quiz), 4) if quiz else None,
                           "real_quizzes_found_by_kind": {k: f"{a}/{b}" for k, (a, b) in sorted(kinds.items())}}
    quiz = sum(recall["quizzing"]) / len(recall["quizzing"])
    ask = sum(recall["asking"]) / len(recall["asking"])
    out = {"balanced_accuracy_leave_one_source_out": round((quiz + ask) / 2, 4),
           "quizzing_recall_mean_over_sources": round(quiz, 4), "asking_recall_mean_over_sources": round(ask, 4),
           "per_source_accuracy": per}
    if len(ask_audited) == len(recall["asking"]):  # every asking source has audit labels
        out["balanced_accuracy_audited_asks"] = round((quiz + sum(ask_audited) / len(ask_audited)) / 2, 4)
    if audit_out:
        out["audited_real_prompts"] = audit_out
    return out


class _CachedEmbedder:
    """Embeds each distinct text once, so sweeping the form model's settings costs no extra MiniLM time."""

    def __init__(self, inner):
        self.inner, self.name, self.memo = inner, inner.name, {}

    def encode(self, texts):
        import numpy as np

        todo = [t for t in dict.fromkeys(texts) if t not in self.memo]
        if todo:
            self.memo.update(zip(todo, self.inner.encode(todo)))
        return np.stack([self.memo[t] for t in texts]) if texts else np.zeros((0, 384), dtype=np.float32)


def frontier(sources, embedder, audit) -> list[dict]:
    """The trade-off the form model's weight and prior make: TruthfulQA recall (bare factual questions) against
    real asks called quizzing. The shipped setting is one row."""
    import dataclasses

    from clio.facets.quizask import model as quizask_model
    from clio.facets.quizask.classify import classify_many

    emb, base, rows = _CachedEmbedder(embedder), quizask_model.load(), []
    for weight in (0.5, 1.0, 2.0):
        for prior in (0.05, 0.1, 0.2, 0.3, 0.5):
            model = dataclasses.replace(base, weight=weight, prior=prior)
            r = _score(sources, lambda ts, m=model: classify_many([[t] for t in ts], emb, m), audit)
            au = r.get("audited_real_prompts", {})
            rows.append({"weight": weight, "prior": prior, "ba": r["balanced_accuracy_leave_one_source_out"],
                         "ba_audited_asks": r.get("balanced_accuracy_audited_asks"),
                         "truthfulqa": r["per_source_accuracy"]["truthfulqa"],
                         "real_asks_called_quizzing": {k: v["real_asks_called_quizzing"] for k, v in au.items()},
                         "recall_of_real_quizzes": {k: v["recall_of_real_quizzes"] for k, v in au.items()}})
    return rows


def family_grid(embedder) -> dict:
    """Leave-one-template-family-out balanced accuracy on the project's own examples, per (C, weight)."""
    import math

    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from clio.facets.quizask.classify import first_turn_gate, turn_score
    from clio.facets.quizask.data import examples
    from clio.facets.quizask.model import MAX_CHARS

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
    ap.add_argument("--split", choices=("dev", "heldout"), default="dev",
                    help="dev: the seed's sample, read while designing the cues; heldout: items never read")
    ap.add_argument("--show-errors", type=int, default=0)
    ap.add_argument("--families", action="store_true", help="also print the C/weight grid on project examples")
    ap.add_argument("--frontier", action="store_true", help="also sweep the form model's weight and prior")
    args = ap.parse_args()
    if not DATA.exists():
        print(json.dumps({"skipped": f"{DATA} not found; this benchmark needs ../shared/data"}))
        return
    from clio.embed.embedders import SentenceTransformerEmbedder
    from clio.facets.quizask.classify import classify_many

    embedder = SentenceTransformerEmbedder()
    sources = load_sources(args.per_source, args.seed, args.split)
    def ship(ts):
        return classify_many([[t] for t in ts], embedder)

    def cues_alone(ts):
        return classify_many([[t] for t in ts])

    audit = audit_labels()
    shipped, cues = _score(sources, ship, audit), _score(sources, cues_alone, audit)
    out = {**shipped, "cues_only": cues, "split": args.split, "per_source": args.per_source,
           "note": "classifier trained only on project-written examples; every source is unseen"}
    if args.families:
        out["family_grid_project_examples"] = family_grid(embedder)
    if args.frontier:
        out["frontier"] = frontier(sources, embedder, audit)
    print(json.dumps(out))
    if args.show_errors:
        for name, (label, texts) in sources.items():
            preds = classify_many([[t] for t in texts], embedder)
            bad = [t for t, p in zip(texts, preds) if p.label != label][: args.show_errors]
            for t in bad:
                print(f"ERR {name}: {t[:160]!r}", file=sys.stderr)


if __name__ == "__main__":
    main()
