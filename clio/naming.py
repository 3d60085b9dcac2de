"""Naming stage: c-TF-IDF keywords and the most central summaries, composed into short names.

Only words allowed by the caller's predicate (the release gate's phrase support) are used, so names
are built from phrases many users share.
"""
from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

STOP = set("""a about above after again all also am an and any are as at be because been before being below
between both but by can could did do does doing don't down during each few for from further had has have
having he her here
hers him his how i i'm if in into is it it's its just me more most my myself no nor not now of off on once
only or other our out over own please same she should so some such than thank thanks that the their them then
there these they this those through to too under until up very was we were what when where which while who
whom why will with would you your yours hi hello dear want need like get know tell give make use using one two
three four five six ten take taking tonight help write wondering question answer really well
let's lets much many way thing things
sure ok okay""".split())
WORD = re.compile(r"[a-z][a-z0-9+#'-]{2,}")


@dataclass(frozen=True)
class ClusterText:
    """Candidate public strings for one cluster (still to pass the release gate)."""

    name: str
    description: str
    keywords: tuple[str, ...]
    exemplars: tuple[str, ...]


def _words(text: str) -> list[str]:
    text = re.sub(r"<[A-Z_0-9]+>", " ", text).lower()
    return [w.strip("'-") for w in WORD.findall(text) if w not in STOP and w.strip("'-") not in STOP]


def _terms(text: str) -> list[str]:
    ws = _words(text)
    return ws + [f"{a} {b}" for a, b in itertools.pairwise(ws)]


def ctfidf(docs_per_cluster: Sequence[Sequence[str]]) -> list[list[tuple[str, float]]]:
    """Class-based TF-IDF: per cluster, terms ranked by tf * log(1 + avg words per cluster / term freq)."""
    tfs = [Counter(t for d in docs for t in _terms(d)) for docs in docs_per_cluster]
    total = Counter()
    for tf in tfs:
        total.update(tf)
    avg = sum(sum(tf.values()) for tf in tfs) / max(1, len(tfs))
    out = []
    for tf in tfs:
        n = max(1, sum(tf.values()))
        # a bigram that recurs is more telling than either of its words ("cover letter" over "cover")
        scored = [(t, (c / n) * math.log(1 + avg / total[t]) * (1.5 if " " in t else 1.0)) for t, c in tf.items()]
        out.append(sorted(scored, key=lambda x: (-x[1], x[0])))
    return out


def pick_keywords(ranked: list[tuple[str, float]], allowed: Callable[[str], bool], k: int = 6) -> list[str]:
    chosen: list[str] = []
    for term, _ in ranked:
        if len(chosen) >= k:
            break
        if not allowed(term):
            continue
        if any(term in c.split() or c in term.split() or term == c for c in chosen):
            continue  # skip a unigram already inside a chosen bigram and vice versa
        chosen.append(term)
    return chosen


def compose_name(keywords: Sequence[str]) -> str:
    if not keywords:
        return ""
    # lead with a recurring phrase when one is among the top keywords: "Cover letter" reads better than "Cover"
    head = next((k for k in keywords[:3] if " " in k), keywords[0])
    rest = [k for k in keywords[:4] if k != head][:2]
    name = head[:1].upper() + head[1:]
    return f"{name} ({', '.join(rest)})" if rest else name


def compose_description(keywords: Sequence[str], n_children: int = 0) -> str:
    if not keywords:
        return ""
    kws = ", ".join(keywords[:5])
    if n_children:
        return f"Group of {n_children} clusters about {kws}."
    return f"Requests about {kws}."


def central_order(X: np.ndarray, centroid: np.ndarray) -> np.ndarray:
    """Indices of rows of X, most similar to the centroid first (ties by index: deterministic)."""
    sims = X @ centroid
    return np.lexsort((np.arange(len(X)), -np.round(sims, 6)))


def name_groups(summaries_per_group: Sequence[Sequence[str]], allowed_word: Callable[[str], bool],
                allowed_text: Callable[[str], bool], central: Sequence[Sequence[str]] | None = None,
                n_children: Sequence[int] | None = None, exemplars: int = 3) -> list[ClusterText]:
    """Name every group; `central[i]` lists group i's summaries most-central first (exemplar candidates)."""
    ranked = ctfidf(summaries_per_group)
    out = []
    for i, r in enumerate(ranked):
        kws = pick_keywords(r, allowed_word)
        ex: list[str] = []
        for s in (central[i] if central else []):
            if len(ex) >= exemplars:
                break
            if s not in ex and allowed_text(s):
                ex.append(s)
        kids = n_children[i] if n_children else 0
        out.append(ClusterText(name=compose_name(kws), description=compose_description(kws, kids),
                               keywords=tuple(kws), exemplars=tuple(ex)))
    return out
