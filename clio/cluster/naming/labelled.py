"""The offline namer: a project-written task label leads each base cluster's name, a domain label each group's,
and the cluster's own c-TF-IDF keywords (k-user supported) follow: "Debugging code: Python, exception".

Why: c-TF-IDF alone names a cluster by its most distinctive words, which on real logs are often words that say
nothing of the task ("Business, content and abstract"); a label says what people were doing, and being the
project's own text it identifies no one. The label is picked in the summaries' embedding space
(`clio.cluster.naming.labels.pick`), so it works for any language a multilingual encoder reads.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from clio.cluster.naming.compose import compose_description, compose_name, overlaps
from clio.cluster.naming.labels import MARGIN, LabelVectors, shared_domain
from clio.cluster.naming.terms import GENERIC, doc_counts
from privacy.release import ClusterText

# a keyword follows a base cluster's label only when at least this share of the cluster's summaries hold it: on
# real WildChat + OASST most keywords that followed a label held 3-8% of their cluster ("Symptoms and medical
# questions: man, day"), which tells a reader about a few conversations, not the cluster
MIN_KEYWORD_SHARE = 0.05


def representative(keywords: Sequence[str], docs: Sequence[str], share: float = MIN_KEYWORD_SHARE) -> tuple[str, ...]:
    """The keywords held by at least `share` of a cluster's summaries, without generic words alone ("time",
    "number"), in their order: what may follow the label in its name."""
    counts, need = doc_counts(docs), share * max(1, len(docs))
    return tuple(k for k in keywords if (" " in k or k.lower() not in GENERIC) and counts[k.lower()] >= need)


def english_shares(central: Sequence[Sequence[str]]) -> list[float]:
    """Per cluster, the share of its central summaries in English."""
    from clio.facets.language import detect_language

    return [sum(detect_language(t) == "en" for t in texts) / len(texts) if texts else 1.0 for texts in central]


def _with_label(text: ClusterText, label: str, n_children: int, phrases: frozenset[str]) -> ClusterText:
    """The label first, then the keywords that are not labels and share no content word with it; without a label,
    the name and description recomposed from the keywords as they stand."""
    kws = list(text.keywords)
    if label:
        kws = [label] + [k for k in kws if k.lower() not in phrases and not overlaps(k.lower(), label.lower())]
    return ClusterText(name=compose_name(kws), description=compose_description(kws, n_children),
                       keywords=tuple(kws[:7]), exemplars=text.exemplars)


class LabelledNamer:
    """Wraps an offline keyword namer (`CtfidfNamer`): base clusters get the task label nearest their centroid,
    groups the domain most of their children's tasks belong to, or when no domain has half of them, the area (a
    broad kind of use) nearest the group's centroid; the keywords follow. Without centroids (or labels), the inner
    namer's names stand."""

    label = "labels + c-tf-idf"

    def __init__(self, inner, vectors: LabelVectors):
        self.inner, self.vectors = inner, vectors

    def report(self) -> None:
        return None

    def name(self, groups, central=None, n_children=None, cover=None, centroids=None,
             child_names: Sequence[Sequence[str]] | None = None,
             child_sizes: Sequence[Sequence[int]] | None = None) -> list[ClusterText]:
        texts = self.inner.name(groups, central, n_children, cover, centroids=centroids, child_names=child_names)
        if centroids is None or not len(texts):
            return texts
        centroids = self.vectors.view(centroids, english_shares(central) if central else None)
        every = [t.keywords for t in texts]  # before the share rule: what can still tell two namesakes apart
        texts = [replace(t, keywords=representative(t.keywords, docs)) for t, docs in zip(texts, groups)]
        if n_children is None:
            picked = self._specific(texts, self.vectors.task_candidates(centroids),
                                    self.vectors.task_candidates(centroids, n=8, margin=8 * MARGIN), centroids)
            texts = [replace(t, keywords=kws) for t, (_, kws) in zip(texts, picked)]
            labels = [lab for lab, _ in picked]
        else:
            heads = [[n.split(":")[0].strip() for n in names] for names in (child_names or [[]] * len(texts))]
            nearest = self.vectors.area_candidates(centroids)
            vocab = self.vectors.labels
            grouped = [all(vocab.is_domain(x) or vocab.is_area(x) for x in h) for h in heads]  # a group of groups
            sizes = child_sizes or [None] * len(texts)
            labels = [shared_domain(h, vocab, sz) or (near[0] if near and not g else "")
                      for h, near, g, sz in zip(heads, nearest, grouped, sizes)]
        kids = n_children or [0] * len(texts)
        phrases = self.vectors.labels.phrases()
        named = [_with_label(t, lab, k, phrases) for t, lab, k in zip(texts, labels, kids)]
        return named if n_children else _told_apart(named, texts, labels, every, phrases)

    def _specific(self, texts: Sequence[ClusterText], candidates: list[list[str]], spare: list[list[str]],
                  centroids) -> list[tuple[str, tuple[str, ...]]]:
        """Per cluster, a label and its keywords in the order they will name it: among the candidate labels and,
        for each, the pairs of its first `KEYWORD_CHOICE` keywords, the composed name that embeds nearest its own
        centroid relative to the nearest other centroid (as Clio keeps the candidate name nearest its cluster):
        with two clusters of "Explaining concepts", the name that tells them apart wins, and "paragraph, English"
        does not follow "Casual conversation" when other words of the cluster say more. No two clusters share a
        label while either has another: a `spare` label (up to 8 within 8 x MARGIN) only when this is the cluster its
        description is nearest and the name it makes is nearer this cluster than any other; else the cluster keeps
        its first label and its keywords tell it apart (spares taken blindly put "Cooking and recipes" on an MMLU
        physics cluster)."""
        import numpy as np

        phrases = self.vectors.labels.phrases()
        first = [(c[0] if c else "", t.keywords) for t, c in zip(texts, candidates)]  # without a choice to make
        if len(centroids) < 2:
            return first
        tasks = self.vectors.labels.tasks  # each task label's nearest cluster (its description's vector)
        home = dict(zip((t.label for t in tasks), (np.asarray(centroids) @ self.vectors.tasks().T).argmax(axis=0)))
        # a spare can only be taken by its home cluster: the others need not embed its names
        pools = [list(dict.fromkeys([*c, *(lab for lab in sp if home.get(lab) == i)]))
                 for i, (c, sp) in enumerate(zip(candidates, spare))]
        options = [[(lab, kws) for lab in pool for kws in _keyword_orders(t.keywords, lab, phrases)]
                   for t, pool in zip(texts, pools)]
        if not any(options):
            return first
        flat = [_with_label(replace(t, keywords=kws), lab, 0, phrases).name
                for t, opts in zip(texts, options) for lab, kws in opts]
        S = self.vectors.encode(flat) @ np.asarray(centroids, dtype=np.float32).T
        prefs, best, order_of, row = [], [], [], 0
        for i, opts in enumerate(options):
            block = S[row:row + len(opts)]
            row += len(opts)
            score = block[:, i] - np.delete(block, i, axis=1).max(axis=1) if opts else np.zeros(0)
            kept: dict[str, tuple[str, ...]] = {}
            fits: dict[str, float] = {}
            for j in np.argsort(-score, kind="stable"):  # each label with its best keyword order
                kept.setdefault(opts[j][0], opts[j][1])
                fits.setdefault(opts[j][0], float(score[j]))
            own = [lab for lab in kept if lab in candidates[i]]
            spares = [lab for lab in kept if lab not in own and fits[lab] > 0 and home.get(lab) == i]
            # a candidate whose name embeds nearer another cluster comes after a spare whose name is nearest this one
            prefs.append([lab for lab in own if fits[lab] > 0] + spares + [lab for lab in own if fits[lab] <= 0])
            order_of.append(kept)
            best.append(max((fits[lab] for lab in own), default=-np.inf))
        chosen = distinct_choice(prefs, best)
        return [(lab, order_of[i].get(lab, texts[i].keywords)) for i, lab in enumerate(chosen)]


def _told_apart(named: list[ClusterText], texts: Sequence[ClusterText], labels: Sequence[str],
               every: Sequence[Sequence[str]], phrases: frozenset[str]) -> list[ClusterText]:
    """Base clusters that would be released under the same name (one label, no keyword a fair share holds, or the
    same ones) each get the first of their own keywords below the share rule that the others' names lack, so no
    two read alike ("Casual conversation" twice tells a reader nothing); a cluster with no such keyword keeps its
    name. Its keywords still pass the gate's k-user rule and re-scan like any other."""
    from collections import Counter

    counts = Counter(n.name.lower() for n in named)
    if all(c == 1 for c in counts.values()):
        return named
    out = list(named)
    for i, n in enumerate(named):
        if counts[n.name.lower()] < 2:
            continue
        kws = list(texts[i].keywords)
        names = {m.name.lower() for j, m in enumerate(out) if j != i}
        for k in every[i]:
            if k in kws or k.lower() in GENERIC or k.lower() in phrases:
                continue
            cand = _with_label(replace(texts[i], keywords=tuple([*kws[:1], k, *kws[1:]])), labels[i], 0, phrases)
            if cand.name.lower() not in names and cand.name.lower() != n.name.lower():
                out[i] = cand
                break
    return out


# how many of a base cluster's leading keywords the namer chooses two from (see `LabelledNamer._specific`)
KEYWORD_CHOICE = 4


def _keyword_orders(keywords: Sequence[str], label: str, phrases: frozenset[str]) -> list[tuple[str, ...]]:
    """The cluster's keywords reordered so each pair of the first `KEYWORD_CHOICE` usable ones (not labels, no word
    shared with `label`) leads once, the c-TF-IDF order first; the rest follow in their order."""
    from itertools import combinations

    usable = [k for k in keywords if k.lower() not in phrases and not overlaps(k.lower(), label.lower())]
    head = usable[:KEYWORD_CHOICE]
    orders = [tuple(keywords)]
    for pair in combinations(head, 2):
        if list(pair) != usable[:2]:
            orders.append(tuple([*pair, *[k for k in keywords if k not in pair]]))
    return orders


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
