"""The offline namer: a project-written task label leads each base cluster's name, a domain label each group's,
and the cluster's own c-TF-IDF keywords (k-user supported) follow: "Debugging code: Python, exception".

Why: c-TF-IDF alone names a cluster by its most distinctive words, which on real logs are often words that say
nothing of the task ("Business, content and abstract"); a label says what people were doing, and being the
project's own text it identifies no one. The label is picked in the summaries' embedding space
(`clio.cluster.naming.labels.pick`), so it works for any language a multilingual encoder reads.
"""
from __future__ import annotations

from collections.abc import Sequence

from clio.cluster.naming.compose import compose_description, compose_name, overlaps
from clio.cluster.naming.labels import MARGIN, LabelVectors, shared_domain
from privacy.release import ClusterText


def english_shares(central: Sequence[Sequence[str]]) -> list[float]:
    """Per cluster, the share of its central summaries in English."""
    from clio.facets.language import detect_language

    return [sum(detect_language(t) == "en" for t in texts) / len(texts) if texts else 1.0 for texts in central]


def _with_label(text: ClusterText, label: str, n_children: int, phrases: frozenset[str]) -> ClusterText:
    """The label first, then the keywords that are not labels and share no content word with it."""
    if not label:
        return text
    kws = [label] + [k for k in text.keywords if k.lower() not in phrases and not overlaps(k.lower(), label.lower())]
    return ClusterText(name=compose_name(kws), description=compose_description(kws, n_children),
                       keywords=tuple(kws[:7]), exemplars=text.exemplars)


class LabelledNamer:
    """Wraps an offline keyword namer (`CtfidfNamer`): base clusters get the task label nearest their centroid,
    groups the domain most of their children's tasks belong to; the keywords follow. Without centroids (or
    labels), the inner namer's names stand."""

    label = "labels + c-tf-idf"

    def __init__(self, inner, vectors: LabelVectors):
        self.inner, self.vectors = inner, vectors

    def report(self) -> None:
        return None

    def name(self, groups, central=None, n_children=None, cover=None, centroids=None,
             child_names: Sequence[Sequence[str]] | None = None) -> list[ClusterText]:
        texts = self.inner.name(groups, central, n_children, cover, centroids=centroids, child_names=child_names)
        if centroids is None or not len(texts):
            return texts
        if n_children is None:
            centroids = self.vectors.view(centroids, english_shares(central) if central else None)
            labels = self._specific(texts, self.vectors.task_candidates(centroids),
                                    self.vectors.task_candidates(centroids, n=8, margin=8 * MARGIN), centroids)
        else:
            heads = [[n.split(":")[0].strip() for n in names] for names in (child_names or [[]] * len(texts))]
            labels = [shared_domain(h, self.vectors.labels) or "" for h in heads]
        kids = n_children or [0] * len(texts)
        phrases = self.vectors.labels.phrases()
        return [_with_label(t, lab, k, phrases) for t, lab, k in zip(texts, labels, kids)]

    def _specific(self, texts: Sequence[ClusterText], candidates: list[list[str]], spare: list[list[str]],
                  centroids) -> list[str]:
        """Per cluster, the candidate label whose composed name embeds nearest its own centroid relative to the
        nearest other centroid (as Clio keeps the candidate name nearest its cluster): with two clusters of
        "Explaining concepts", the name that tells them apart wins. No two clusters share a label while either
        has another candidate (`spare`: up to 8 labels within 8 x MARGIN, in their rank order; with 5 within 4 x
        MARGIN, four WildChat + OASST clusters were all "Explaining concepts")."""
        import numpy as np

        phrases = self.vectors.labels.phrases()
        names = [[_with_label(t, lab, 0, phrases).name for lab in cands] for t, cands in zip(texts, candidates)]
        flat = [n for ns in names for n in ns]
        if not flat or len(centroids) < 2:
            return [c[0] if c else "" for c in candidates]
        S = self.vectors.encode(flat) @ np.asarray(centroids, dtype=np.float32).T
        prefs, best, row = [], [], 0
        for i, cands in enumerate(candidates):
            block = S[row:row + len(cands)]
            row += len(cands)
            score = block[:, i] - np.delete(block, i, axis=1).max(axis=1) if cands else np.zeros(0)
            order = [cands[j] for j in np.argsort(-score, kind="stable")]
            prefs.append(order + [c for c in spare[i] if c not in order])
            best.append(float(score.max()) if cands else -np.inf)
        return distinct_choice(prefs, best)


def distinct_choice(prefs: Sequence[Sequence[str]], strength: Sequence[float]) -> list[str]:
    """One label per cluster: clusters in order of `strength` (how well their first choice fits) take their first
    preference no other cluster took; a cluster whose preferences are all taken keeps its first. Two clusters
    named "Explaining concepts" tell a reader nothing about either."""
    out = [p[0] if p else "" for p in prefs]
    taken: set[str] = set()
    for i in sorted(range(len(prefs)), key=lambda i: -strength[i]):
        free = next((lab for lab in prefs[i] if lab not in taken), None)
        if free is not None:
            out[i] = free
            taken.add(free)
    return out
