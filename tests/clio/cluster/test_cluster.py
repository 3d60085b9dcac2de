"""Cluster stage on tiny inputs: base clusters, hierarchy, names."""
from __future__ import annotations

import numpy as np

from clio.cluster.base import ClusterConfig, HdbscanClusterer, IdentityReducer, cluster_vectors
from clio.cluster.hierarchy import build_hierarchy
from clio.cluster.naming.ctfidf import name_groups


def blobs(k=4, n=40, d=16, seed=0):
    rng = np.random.default_rng(seed)
    centers = np.eye(d)[:k]
    X = np.vstack([c + 0.05 * rng.standard_normal((n, d)) for c in centers])
    return X / np.linalg.norm(X, axis=1, keepdims=True), np.repeat(np.arange(k), n)


def test_clusters_recover_separated_blobs_and_noise_is_reassigned_when_close():
    X, y = blobs()
    base = cluster_vectors(X, IdentityReducer(), HdbscanClusterer(10), ClusterConfig())
    assert len(base.centroids) == 4 and (base.labels >= 0).all()
    for c in range(4):
        assert len(set(y[base.labels == c])) == 1


def test_far_points_stay_unclustered():
    X, _ = blobs()
    far = np.zeros((1, X.shape[1]))
    far[0, -1] = 1.0
    base = cluster_vectors(np.vstack([X, far]), IdentityReducer(), HdbscanClusterer(10), ClusterConfig())
    assert base.labels[-1] == -1


def test_hierarchy_groups_similar_centroids():
    c = np.array([[1, 0, 0], [0.9, 0.1, 0], [0, 1, 0], [0, 0.95, 0.05]], dtype=np.float32)
    h = build_hierarchy(c / np.linalg.norm(c, axis=1, keepdims=True), 2)
    assert h.parent_of[0] == h.parent_of[1] != h.parent_of[2] == h.parent_of[3]
    assert h.coords.shape == (4, 2)


def test_names_use_only_allowed_words():
    groups = [["python error in loop", "python error again"], ["cover letter for nurse", "cover letter please"]]
    texts = name_groups(groups, lambda w: "again" not in w, lambda t: True, central=groups)
    assert "python" in texts[0].name.lower() and "again" not in texts[0].keywords
    assert "cover letter" in texts[1].keywords


def test_hierarchy_domain_profile_can_outweigh_centroids():
    """Children that look alike but belong to different domains part when the domain profile weighs enough; a
    parent's domain scores are its children's (size-weighted), so two levels still follow the domains."""
    import pytest

    c = np.array([[1, 0, 0], [0.9, 0.1, 0], [0, 1, 0], [0, 0.95, 0.05]], dtype=np.float32)
    c = c / np.linalg.norm(c, axis=1, keepdims=True)
    scores = np.array([[0.6, 0.1], [0.1, 0.6], [0.6, 0.1], [0.1, 0.6]])  # 0 and 2 in domain A, 1 and 3 in B
    plain = build_hierarchy(c, 2, domain_scores=scores, domain_weight=0.0).parent_of
    by_domain = build_hierarchy(c, 2, domain_scores=scores, domain_weight=0.9, term_weight=0.0).parent_of
    assert plain[0] == plain[1] != plain[2] == plain[3]
    assert by_domain[0] == by_domain[2] != by_domain[1] == by_domain[3]
    rng = np.random.default_rng(0)
    C = rng.standard_normal((80, 16))
    C /= np.linalg.norm(C, axis=1, keepdims=True)
    dom = np.repeat(np.eye(8), 10, axis=0)  # 8 domains of 10 clusters, unrelated to the vectors
    h = build_hierarchy(C, 8, domain_scores=dom, domain_weight=1.0, term_weight=0.0)
    assert h.depth == 2
    top = h.ancestors()[:, -1]
    assert all(len(set(top[f * 10:(f + 1) * 10])) == 1 for f in range(8))
    with pytest.raises(ValueError, match="sum to at most 1"):
        build_hierarchy(c, 2, domain_scores=scores, domain_weight=0.8, term_weight=0.3)
