"""What a namer is: the `Namer` protocol (it returns `privacy.release.ClusterText`s) and the LLM naming settings."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from privacy.release import ClusterText


@dataclass(frozen=True)
class NamingConfig:
    """LLM naming settings (used only with an LLM backend; the offline namer needs none)."""

    n_samples: int = 3  # candidate names per cluster; the one nearest the cluster centroid is kept
    examples: int = 10  # in-cluster summaries per prompt, drawn from the most central
    contrast_clusters: int = 3  # nearest other clusters (centroid cosine) shown as contrastive examples
    contrast_examples: int = 3  # summaries (or child names) shown per contrastive cluster
    max_attempts: int = 3  # asks per candidate for a valid JSON answer before it is dropped

    def __post_init__(self):
        if min(self.n_samples, self.examples, self.max_attempts) < 1:
            raise ValueError("n_samples, examples and max_attempts must be at least 1")
        if min(self.contrast_clusters, self.contrast_examples) < 0:
            raise ValueError("contrast_clusters and contrast_examples must not be negative")


class Namer(Protocol):
    """Names the groups of one level; `CtfidfNamer` is the offline one. Every namer returns keywords the gate can
    check (it recomposes names from them); a namer that writes free text marks it in `ClusterText.free_text`.
    `centroids` (g, d) are the groups' unit centroids in the summaries' embedding space; `child_names[i]` are
    the names just given to group i's children and `child_sizes[i]` their conversation counts (levels above the
    base). `label` names the namer; `report` gives its aggregate counts for the summary and manifest (None when
    there is nothing to report)."""

    label: str

    def report(self) -> dict | None: ...

    def name(self, groups: Sequence[Sequence[str]], central: Sequence[Sequence[str]] | None = None,
             n_children: Sequence[int] | None = None, cover: Sequence[Sequence[set[str]]] | None = None,
             centroids: np.ndarray | None = None,
             child_names: Sequence[Sequence[str]] | None = None,
             child_sizes: Sequence[Sequence[int]] | None = None) -> list[ClusterText]: ...
