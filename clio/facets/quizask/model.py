"""The embedding half of the quizzing/asking classifier: a logistic regression on MiniLM vectors of a user turn,
trained only on the examples in `clio.facets.quizask.data` (written by this project, topic-balanced across labels).

It speaks only where it generalises: English turns (MiniLM is English-only) on which no interpretable cue fired
(`clio.facets.quizask.classify` applies the gate). Its weight in the combined score, and its regularisation, were
chosen by leave-one-template-family-out accuracy on the project's own examples, never on benchmark or user data.
Retrain with `python -m clio.facets.quizask.model` (deterministic; a slow test checks the shipped file matches).
"""
from __future__ import annotations

import argparse
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_FILE = Path(__file__).parent / "models" / "quizask_minilm.json"
EMBEDDER = "all-MiniLM-L6-v2"
MAX_CHARS = 1000  # the opening of a turn carries its form; long pastes only cost time
# C and WEIGHT (of this model's logit next to the cue logit): the best of the leave-one-template-family-out grid
# on the project's own examples (bench/quizask_eval.py --families: 0.872 at C=1, weight 0.5; 0.866 at weight 1)
C = 1.0
WEIGHT = 0.5
# The model is trained on balanced classes; real logs are mostly asking (a blind audit of 600 real prompts
# found 6% quizzing). Its log-odds are shifted to this prior so that, where cues are silent, it must be sure.
PRIOR = 0.1


@dataclass(frozen=True)
class FormModel:
    coef: np.ndarray  # (d,)
    bias: float
    embedder: str = EMBEDDER
    weight: float = WEIGHT
    prior: float = PRIOR

    def applies_to(self, embedder_name: str) -> bool:
        return embedder_name.split("/")[-1] == self.embedder

    def logits(self, texts: Sequence[str], embedder) -> np.ndarray:
        """Log-odds of quizzing for each text, from its form as MiniLM sees it, at the deployment prior."""
        if not texts:
            return np.zeros(0)
        X = embedder.encode([t[:MAX_CHARS] for t in texts])
        return X @ self.coef + self.bias + math.log(self.prior / (1 - self.prior))


@lru_cache(maxsize=4)  # read once per process, not per chunk of conversations
def load(path: Path = MODEL_FILE) -> FormModel:
    obj = json.loads(path.read_text())
    return FormModel(np.asarray(obj["coef"], dtype=np.float32), float(obj["bias"]), obj["embedder"], obj["weight"],
                     obj.get("prior", PRIOR))


def train(embedder, n_per_family: int = 300, seed: int = 0, c: float = C) -> dict:
    """Fit on the project's own labelled examples; returns the JSON-ready model."""
    from sklearn.linear_model import LogisticRegression

    from clio.facets.quizask.data import examples

    ex = examples(n_per_family, seed)
    X = embedder.encode([t[:MAX_CHARS] for t, _, _ in ex])
    y = np.array([label == "quizzing" for _, label, _ in ex])
    clf = LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit(X, y)
    return {"embedder": EMBEDDER, "weight": WEIGHT, "prior": PRIOR, "C": c, "n_examples": len(ex), "seed": seed,
            "bias": round(float(clf.intercept_[0]), 6), "coef": [round(float(v), 6) for v in clf.coef_[0]]}


def main() -> None:
    ap = argparse.ArgumentParser(description="Retrain the quizzing/asking form model on the project's own examples.")
    ap.add_argument("--out", type=Path, default=MODEL_FILE)
    args = ap.parse_args()
    from clio.embed.embedders import SentenceTransformerEmbedder

    model = train(SentenceTransformerEmbedder(EMBEDDER))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model) + "\n")
    print(f"wrote {args.out}: {model['n_examples']} examples, {len(model['coef'])} dims")


if __name__ == "__main__":
    main()
