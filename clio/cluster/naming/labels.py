"""Task and domain labels written for this project (`labels.yaml`), and how a cluster picks one.

A label is public by construction (it is not user text), so it can lead a released name without the k-user
rule; the words after it are still the cluster's own k-user-supported keywords. A base cluster takes the task
whose description is nearest its centroid, contrasted with how near that task is to every other cluster (so a
label that fits everything, like "Explaining concepts", wins only where it fits best); a group takes the domain
its released children's tasks share.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from clio.vectors import scale_columns_from

LABELS_FILE = Path(__file__).with_name("labels.yaml")
# weight of a label's mean similarity to all clusters, subtracted from its similarity to this one; 0.5 measured
# against 0 and 1 on name fidelity (bench/cluster_eval.py names)
CONTRAST = 0.5
# only labels within this cosine of a cluster's most similar label compete (USE cosines to a label run 0.2-0.5);
# without it, chat labels unlike everything ("Follow-up instructions") won generic clusters on contrast alone
MARGIN = 0.03
# an area (a broad kind of use) names a group by plain nearness: a group's area is what it is, not what sets it
# apart, and with 3-6 groups the contrast put "Images and prompts" on MMLU's medicine questions
AREA_CONTRAST = 0.0


@dataclass(frozen=True)
class Label:
    label: str
    text: str
    domain: str | None = None  # tasks: the domain they belong to


@dataclass(frozen=True)
class Labels:
    tasks: tuple[Label, ...]
    domains: tuple[Label, ...]
    areas: tuple[Label, ...] = ()  # a group whose children share no domain is named for its nearest area

    def phrases(self) -> frozenset[str]:
        """Every label, lowercased: the public phrases a release may use without user support."""
        return frozenset(x.label.lower() for x in (*self.tasks, *self.domains, *self.areas))

    def domain_of(self, phrase: str) -> str | None:
        """The domain of a task label, a domain label itself, else None."""
        low = phrase.lower()
        for t in self.tasks:
            if t.label.lower() == low:
                return t.domain
        return next((d.label for d in self.domains if d.label.lower() == low), None)

    def is_domain(self, phrase: str) -> bool:
        return any(d.label.lower() == phrase.lower() for d in self.domains)

    def is_area(self, phrase: str) -> bool:
        return any(a.label.lower() == phrase.lower() for a in self.areas)


@lru_cache(maxsize=4)
def load_labels(path: Path = LABELS_FILE) -> Labels:
    """Read and check the label file: every task names a known domain, no label twice."""
    import yaml

    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    domains = tuple(Label(d["label"], d["text"]) for d in raw["domains"])
    known = {d.label for d in domains}
    tasks = tuple(Label(t["label"], t["text"], t["domain"]) for t in raw["tasks"])
    areas = tuple(Label(a["label"], a["text"]) for a in raw.get("areas", ()))
    bad = [t.label for t in tasks if t.domain not in known]
    if bad:
        raise ValueError(f"{path}: tasks with an unknown domain: {bad}")
    names = [x.label.lower() for x in (*tasks, *domains, *areas)]
    dup = sorted(n for n, c in Counter(names).items() if c > 1)
    if dup:
        raise ValueError(f"{path}: labels given twice: {dup}")
    return Labels(tasks, domains, areas)


def ranked(centroids: np.ndarray, label_vectors: np.ndarray, contrast: float = CONTRAST, margin: float = MARGIN,
           n: int = 3) -> list[list[int]]:
    """Per centroid, up to `n` label indices, best first: among the labels within `margin` of its most similar one,
    highest similarity minus `contrast` x the label's mean similarity over all the centroids. The margin keeps a
    label that is merely unlike every cluster from winning on contrast alone."""
    if not len(centroids) or not len(label_vectors):
        return [[] for _ in centroids]
    S = centroids @ label_vectors.T
    score = S - contrast * S.mean(axis=0, keepdims=True) if len(centroids) > 1 else S
    score = np.where(S >= S.max(axis=1, keepdims=True) - margin, score, -np.inf)
    order = np.argsort(-score, axis=1, kind="stable")[:, :n]
    return [[int(j) for j in row if np.isfinite(score[i, j])] for i, row in enumerate(order)]


def pick(centroids: np.ndarray, label_vectors: np.ndarray, contrast: float = CONTRAST,
         margin: float = MARGIN) -> list[int]:
    """Per centroid, `ranked`'s first label (-1 without labels)."""
    return [row[0] if row else -1 for row in ranked(centroids, label_vectors, contrast, margin, n=1)]


class LabelVectors:
    """The labels' descriptions embedded once with the run's embedder (the summaries' space)."""

    def __init__(self, encode: Callable[[list[str]], np.ndarray], labels: Labels | None = None,
                 first_dim: int | None = None):
        self.labels = labels or load_labels()
        self._encode, self._tasks, self._domains, self._areas = encode, None, None, None
        self.first_dim = first_dim  # a combined embedder's first part's width (`view`); None otherwise

    def tasks(self) -> np.ndarray:
        if self._tasks is None:
            self._tasks = np.asarray(self._encode([t.text for t in self.labels.tasks]), dtype=np.float32)
        return self._tasks

    def domains(self) -> np.ndarray:
        if self._domains is None:
            self._domains = np.asarray(self._encode([d.text for d in self.labels.domains]), dtype=np.float32)
        return self._domains

    def task_candidates(self, centroids: np.ndarray, n: int = 3, margin: float = 2 * MARGIN) -> list[list[str]]:
        """Up to n task labels per centroid, best first (a wider margin: the name chooses among them)."""
        return [[self.labels.tasks[j].label for j in row]
                for row in ranked(centroids, self.tasks(), margin=margin, n=n)]

    def area_candidates(self, centroids: np.ndarray, n: int = 1) -> list[list[str]]:
        """Up to n area labels per centroid, best first (`ranked`, without contrast: `AREA_CONTRAST`)."""
        if self._areas is None:
            self._areas = np.asarray(self._encode([a.text for a in self.labels.areas]), dtype=np.float32)
        rows = ranked(centroids, self._areas, contrast=AREA_CONTRAST, n=n)
        return [[self.labels.areas[j].label for j in row] for row in rows]

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._encode(texts), dtype=np.float32)

    def view(self, centroids: np.ndarray, english: Sequence[float] | None = None) -> np.ndarray:
        """Centroids as the labels are compared with them. With a combined embedder (`first_dim` set) the second
        part (MiniLM) reads English only: each centroid's second-part columns are scaled by its cluster's share of
        English text and the row re-normalised, so a Russian cluster is named in USE's space alone. Measured base
        name fidelity (bench/cluster_eval.py), combined space / USE space alone: AlpacaEval 0.85 / 0.77, MMLU
        0.83 / 0.77, Russian WildChat 0.79 / 0.86; this view takes each cluster's side."""
        C = np.asarray(centroids, dtype=np.float32)
        if not self.first_dim or english is None or C.ndim != 2 or C.shape[1] <= self.first_dim:
            return C
        return scale_columns_from(C, self.first_dim, english)


def shared_domain(heads: Sequence[str], labels: Labels, sizes: Sequence[float] | None = None) -> str | None:
    """The domain of at least half of `heads` (children's task labels, largest child first), each child weighted by
    its `sizes` (conversations; 1 each when not given); ties go to the larger child's. None when no domain has half,
    or when every head is itself a domain (a group of groups). By conversations, so a group whose largest child is
    physics is not "Money and law" for two smaller children about money."""
    weights = [1.0] * len(heads) if sizes is None else [float(w) for w in sizes]
    pairs = [(labels.domain_of(h), w) for h, w in zip(heads, weights) if h]
    if not any(d for d, _ in pairs) or all(labels.is_domain(h) for h in heads if h):
        return None
    counts: Counter = Counter()
    for d, w in pairs:
        if d:
            counts[d] += w
    best = max(counts.values())
    if best < 0.5 * sum(w for _, w in pairs):
        return None
    return next(d for d, _ in pairs if d and counts[d] == best)


def child_domains(heads: Sequence[str], labels: Labels) -> list[str]:
    """The distinct domains of `heads` (task or domain labels), in order of first appearance."""
    out: list[str] = []
    for h in heads:
        d = labels.domain_of(h) if h else None
        if d and d not in out:
            out.append(d)
    return out
