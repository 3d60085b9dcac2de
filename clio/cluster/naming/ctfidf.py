"""Offline naming: c-TF-IDF phrases and the most central summaries, composed into short readable names.

A cluster's keywords are its most characteristic terms (`clio.cluster.naming.terms`) against the other clusters
of the same level (c-TF-IDF); a parent's are reweighted by how many of its children use them, so its name
covers its children. Only terms the caller's predicate allows (the release gate's phrase support) are used.
The name leads with the first keyword in the casing users wrote it ("SQL query", "Python"), composed by
`clio.cluster.naming.compose`. `clio.cluster.naming.llm.LLMNamer` implements `Namer` with an LLM (contrastive,
Clio-style) and falls back to these strings.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np

from clio.cluster.naming.compose import compose_description, compose_name, overlaps
from clio.cluster.naming.tagger import PhraseTagger
from clio.cluster.naming.terms import GENERIC, STOP, VERBS, doc_counts
from privacy.phrases import TOKEN
from privacy.release import ClusterText


def term_counts(docs_per_cluster: Sequence[Sequence[str]]):
    """(k, V) scipy sparse: in how many summaries of each cluster every term occurs; and the vocabulary."""
    import scipy.sparse as sp

    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for c, docs in enumerate(docs_per_cluster):
        counts = doc_counts(docs)
        for t, n in counts.items():
            rows.append(c)
            cols.append(vocab.setdefault(t, len(vocab)))
            vals.append(n)
    M = sp.csr_matrix((vals, (rows, cols)), shape=(len(docs_per_cluster), len(vocab)), dtype=np.float64)
    return M, sorted(vocab, key=vocab.get)


def ctfidf(docs_per_cluster: Sequence[Sequence[str]]) -> list[list[tuple[str, float]]]:
    """Class-based TF-IDF: per cluster, terms ranked by df share * log(1 + avg terms per cluster / term total),
    with a bonus for phrases (a recurring "cover letter" says more than "cover")."""
    tfs = [doc_counts(docs) for docs in docs_per_cluster]
    total: Counter = Counter()
    for tf in tfs:
        total.update(tf)
    avg = sum(sum(tf.values()) for tf in tfs) / max(1, len(tfs))
    out = []
    for tf, docs in zip(tfs, docs_per_cluster):
        n = max(1, len(docs))
        scored = [(t, (c / n) * math.log(1 + avg / total[t]) * _phrase_bonus(t)) for t, c in tf.items()
                  if c >= 2 or n < 4]
        out.append(sorted(scored, key=lambda x: (-x[1], x[0])))
    return out


def _phrase_bonus(term: str) -> float:
    """1.4x per extra content word, a little less for a stopword inside ("query that joins" < "SQL query"); a
    generic word alone only names a cluster that has nothing better."""
    words = term.split()
    if len(words) == 1 and (term in GENERIC or term in VERBS):
        return 0.2
    stops = sum(w in STOP for w in words)
    return 1 + 0.4 * (len(words) - stops - 1) - 0.1 * stops



def _inside(short: str, long: str) -> bool:
    return short != long and f" {short} " in f" {long} "


def pick_keywords(ranked: list[tuple[str, float]], allowed: Callable[[str], bool], k: int = 6) -> list[str]:
    """The top allowed terms, each replaced by a phrase holding it when that phrase scores at least 0.7 times
    as high ("machine learning" over "learning"), skipping terms that share a content word with one chosen."""
    chosen: list[str] = []
    top = ranked[:300]
    for term, score in top:
        if len(chosen) >= k:
            break
        longer = [(t, s) for t, s in top if s >= 0.7 * score and _inside(term, t) and allowed(t)]
        if longer:
            term = max(longer, key=lambda x: (x[1], x[0]))[0]
        if allowed(term) and not any(overlaps(term, c) for c in chosen):
            chosen.append(term)
    return chosen


def casing(docs: Sequence[str]) -> dict[str, str]:
    """Display form of words users mostly write capitalised inside a sentence (Python, SQL, Excel)."""
    forms: dict[str, Counter] = {}
    for d in docs:
        for sent in re.split(r"(?<=[.!?:])\s+|\n", d):
            for tok in TOKEN.findall(sent)[1:]:
                forms.setdefault(tok.lower(), Counter())[tok] += 1
    out = {}
    for low, cnt in forms.items():
        form, n = cnt.most_common(1)[0]
        if form != low and n >= 0.6 * sum(cnt.values()):
            out[low] = form
    return out


def display(term: str, cased: dict[str, str]) -> str:
    return " ".join(cased.get(w, w) for w in term.split())



def central_order(X: np.ndarray, centroid: np.ndarray) -> np.ndarray:
    """Indices of rows of X, most similar to the centroid first (ties by index: deterministic)."""
    sims = X @ centroid
    return np.lexsort((np.arange(len(X)), -np.round(sims, 6)))


def _cover_weighted(ranked: list[tuple[str, float]], children: Sequence[set[str]]) -> list[tuple[str, float]]:
    """Reweight a parent's terms by the share of its children whose own top terms include them (or a phrase
    holding them), so the parent's name speaks for its children rather than for its largest child."""
    if not children:
        return ranked

    def share(t: str) -> float:
        return sum(any(t == c or f" {t} " in f" {c} " for c in kid) for kid in children) / len(children)

    return sorted(((t, s * (0.25 + share(t))) for t, s in ranked[:300]), key=lambda x: (-x[1], x[0]))


def name_groups(summaries_per_group: Sequence[Sequence[str]], allowed_word: Callable[[str], bool],
                allowed_text: Callable[[str], bool], central: Sequence[Sequence[str]] | None = None,
                n_children: Sequence[int] | None = None, exemplars: int = 3,
                cover: Sequence[Sequence[set[str]]] | None = None) -> list[ClusterText]:
    """Name every group of one level; `central[i]` lists group i's summaries most-central first (exemplar
    candidates); `cover[i]` holds the top-term sets of group i's children (see `top_terms`)."""
    ranked = ctfidf(summaries_per_group)
    cased = casing([s for g in summaries_per_group for s in g])
    out = []
    for i, r in enumerate(ranked):
        if cover is not None:
            r = _cover_weighted(r, cover[i])
        kws = [display(t, cased) for t in pick_keywords(r, allowed_word)]
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


def top_terms(summaries_per_group: Sequence[Sequence[str]], n: int = 15) -> list[set[str]]:
    """Each group's n most characteristic terms (lowercase), for its parent's coverage weighting."""
    return [{t for t, _ in r[:n]} for r in ctfidf(summaries_per_group)]



class CtfidfNamer:
    """The offline namer: c-TF-IDF phrases within `allowed_word`, exemplars within `allowed_text`. Keywords are
    noun phrases where a part-of-speech tagger can tell (English); elsewhere any admissible phrase."""

    def __init__(self, allowed_word: Callable[[str], bool], allowed_text: Callable[[str], bool],
                 tagger: PhraseTagger | None = None):
        self.allowed_text = allowed_text
        self.tagger = tagger if tagger is not None else PhraseTagger()
        self._allowed_word = allowed_word
        self._noun_share: dict[str, float] = {}

    label = "c-tf-idf"

    def report(self) -> None:
        return None

    def allowed_word(self, term: str) -> bool:
        return self._noun_share.get(term.lower(), 1.0) >= 0.5 and self._allowed_word(term)

    def name(self, groups, central=None, n_children=None, cover=None, centroids=None,
             child_names=None, child_sizes=None) -> list[ClusterText]:
        self.tagger.tag([d for g in groups for d in g])
        self._noun_share = self.tagger.share_ok(groups)
        return name_groups(groups, self.allowed_word, self.allowed_text, central, n_children, cover=cover)
