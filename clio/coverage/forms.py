"""Quizzing or asking for public items (benchmark rows, prompt pools) from their text and their vectors.

The same classifier as the facets stage (`clio.facets.quizask`): named form cues, plus the MiniLM form model on
English items no cue decides. The form model reads the item vectors the caller already has, so labelling a
benchmark costs no second embedding.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from clio.facets.quizask.classify import classify_turns, first_turn_gate, turn_score


def forms_of(texts: Sequence[str], vectors: np.ndarray | None = None, embedder=None) -> list[str]:
    """"quizzing" or "asking" per text; `vectors` (n, d) are the texts' vectors from `embedder` (MiniLM: the form
    model speaks), or None for cues alone."""
    scored = [turn_score(t) for t in texts]
    logits: list[float | None] = [None] * len(texts)
    if vectors is not None and embedder is not None and len(texts):
        from clio.facets.quizask import model as quizask_model

        model = quizask_model.load()
        if model.applies_to(embedder.name):
            X = np.asarray(vectors, dtype=np.float32)
            z = X @ model.coef + model.bias + math.log(model.prior / (1 - model.prior))
            for i, t in enumerate(texts):
                if first_turn_gate([t], scored[i][1]):
                    logits[i] = float(model.weight * z[i])
    return [classify_turns([t], z, [sc]).label for t, z, sc in zip(texts, logits, scored)]
