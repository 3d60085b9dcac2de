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
from clio.cluster.naming.labels import LabelVectors, shared_domain
from privacy.release import ClusterText


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
            labels = self._specific(texts, self.vectors.task_candidates(centroids), centroids)
        else:
            heads = [[n.split(":")[0].strip() for n in names] for names in (child_names or [[]] * len(texts))]
            labels = [shared_domain(h, self.vectors.labels) or "" for h in heads]
        kids = n_children or [0] * len(texts)
        phrases = self.vectors.labels.phrases()
        return [_with_label(t, lab, k, phrases) for t, lab, k in zip(texts, labels, kids)]

    def _specific(self, texts: Sequence[ClusterText], candidates: list[list[str]], centroids) -> list[str]:
        """Per cluster, the candidate label whose composed name embeds nearest its own centroid relative to the
        nearest other centroid (as Clio keeps the candidate name nearest its cluster): with two clusters of
        "Explaining concepts", the name that tells them apart wins."""
        import numpy as np

        phrases = self.vectors.labels.phrases()
        names = [[_with_label(t, lab, 0, phrases).name for lab in cands] for t, cands in zip(texts, candidates)]
        flat = [n for ns in names for n in ns]
        if not flat or len(centroids) < 2:
            return [c[0] if c else "" for c in candidates]
        S = self.vectors.encode(flat) @ np.asarray(centroids, dtype=np.float32).T
        out, row = [], 0
        for i, cands in enumerate(candidates):
            if not cands:
                out.append("")
                continue
            block = S[row:row + len(cands)]
            row += len(cands)
            others = np.delete(block, i, axis=1).max(axis=1)
            out.append(cands[int(np.argmax(block[:, i] - others))])
        return out
