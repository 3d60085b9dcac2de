"""Naming every level of the hierarchy: the base clusters from their summaries, each level above from its members'
summaries, its children's top terms and the names just given to its children. Candidates for the release gate."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from clio.cluster.hierarchy import node_id
from clio.cluster.naming.ctfidf import central_order, top_terms
from clio.cluster.naming.namer import Namer
from clio.cluster.table import PrivateClusters
from privacy.private import PrivateFacets
from privacy.release import CandidateCluster


def name_levels(rows: Sequence[PrivateFacets], X: np.ndarray, clusters: PrivateClusters,
                namer: Namer) -> list[CandidateCluster]:
    """Stage function: facets, their summaries' vectors and the clustering -> a named candidate for every cluster of
    every level (members are row indices). Strings use only what the namer allows (the release's phrase support);
    a parent's name is weighted towards terms its children share; the namer also gets each level's centroids and,
    above the base, the names just given to the children."""
    labels, coords, parents, depth = clusters.labels, clusters.coords, clusters.parents, clusters.depth
    k = len(clusters.centroids)
    members = [np.where(labels == c)[0] for c in range(k)]
    central = [[rows[i].summary for i in m[central_order(X[m], clusters.centroids[c])][:30]]
               for c, m in enumerate(members)]
    docs = [[rows[i].summary for i in m] for m in members]
    texts = namer.name(docs, central, centroids=clusters.centroids)
    out = [CandidateCluster(id=node_id(0, c, depth), level=0,
                            parent=node_id(1, int(parents[0][c]), depth) if depth else None,
                            members=tuple(int(i) for i in m), text=texts[c], xy=tuple(coords[c]))
           for c, m in enumerate(members)]
    xy = [np.asarray(coords, dtype=float)]
    for j, p in enumerate(parents):
        level = j + 1
        g = int(p.max()) + 1 if len(p) else 0
        kids = [np.where(p == t)[0] for t in range(g)]
        child_terms = top_terms(docs)
        cover = [[child_terms[c] for c in ks] for ks in kids]
        child_sizes = [[len(members[c]) for c in ks] for ks in kids]
        members = [np.concatenate([members[c] for c in ks]) if len(ks) else np.zeros(0, int) for ks in kids]
        docs = [[rows[i].summary for i in m] for m in members]
        means = np.zeros((g, X.shape[1]), dtype=X.dtype)
        for t, m in enumerate(members):
            means[t] = X[m].mean(axis=0) if len(m) else 0.0
        central = [[rows[i].summary for i in m[central_order(X[m], means[t])][:30]] if len(m) else []
                   for t, m in enumerate(members)]
        child_names = [[texts[c].name for c in ks] for ks in kids]
        texts = namer.name(docs, central, [len(ks) for ks in kids], cover, centroids=means, child_names=child_names,
                           child_sizes=child_sizes)
        xy.append(np.array([xy[-1][ks].mean(axis=0) if len(ks) else (0.0, 0.0) for ks in kids]))
        for t in range(g):
            parent = node_id(level + 1, int(parents[level][t]), depth) if level < depth else None
            out.append(CandidateCluster(id=node_id(level, t, depth), level=level, parent=parent,
                                        members=tuple(int(i) for i in members[t]), text=texts[t], xy=tuple(xy[-1][t])))
    return out
