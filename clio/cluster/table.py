"""The private clustering of a run (WORKSPACE/private/clusters.npz): every conversation's base cluster and, per level
above it, every node's parent; centroids of every level; the base clusters' map positions."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from clio.cluster.hierarchy import node_id, parent_arrays


@dataclass(frozen=True)
class PrivateClusters:
    """labels (n,) int, -1 = unclustered; centroids (k, d) unit rows; coords (k, 2); parents[j] maps level-j node ids
    to level-(j+1) ids; level_centroids[j] are the centroids of level j+1 (unit rows)."""

    labels: np.ndarray
    centroids: np.ndarray
    coords: np.ndarray
    parents: tuple[np.ndarray, ...]
    level_centroids: tuple[np.ndarray, ...]

    @property
    def depth(self) -> int:
        """Levels above the base."""
        return len(self.parents)

    def base_rows(self) -> dict[str, int]:
        """Base cluster id ("b3") -> its row in `centroids`: the private side knows the ids it made."""
        return {node_id(0, i, self.depth): i for i in range(len(self.centroids))}

    def assignments(self) -> list[tuple[str | None, ...]]:
        """Per conversation, its cluster id at every level, base first (None when unclustered)."""
        out = []
        for c in self.labels:
            if c < 0:
                out.append((None,) * (self.depth + 1))
                continue
            ids, cur = [node_id(0, int(c), self.depth)], int(c)
            for j, p in enumerate(self.parents):
                cur = int(p[cur])
                ids.append(node_id(j + 1, cur, self.depth))
            out.append(tuple(ids))
        return out

    def to_arrays(self) -> dict[str, np.ndarray]:
        """The arrays clusters.npz holds (`parent_of`/`top_centroids`: the top level, as files before levels had)."""
        ancestors = np.arange(len(self.centroids))
        for p in self.parents:
            ancestors = p[ancestors]
        top = self.level_centroids[-1] if self.level_centroids else np.zeros((0, 1), dtype=np.float32)
        arrays = {"labels": self.labels, "centroids": self.centroids, "coords": self.coords, "parent_of": ancestors,
                  "top_centroids": top, "depth": np.array(self.depth)}
        for j, (p, c) in enumerate(zip(self.parents, self.level_centroids)):
            arrays[f"parents_{j}"], arrays[f"centroids_{j + 1}"] = p, c
        return arrays

    @classmethod
    def from_arrays(cls, saved: dict[str, np.ndarray]) -> PrivateClusters:
        parents = tuple(parent_arrays(saved))
        centroids = tuple(saved[f"centroids_{j + 1}"] for j in range(len(parents)) if f"centroids_{j + 1}" in saved)
        return cls(saved["labels"], saved["centroids"], saved["coords"], parents,
                   centroids or (saved["top_centroids"],))
