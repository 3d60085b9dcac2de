"""The real path: MiniLM (installed from PyPI, loads offline) places the fake release as expected."""
from __future__ import annotations

import pytest

from domains.suite import build_suite, map_clusters


@pytest.fixture(scope="module")
def minilm():
    from clio.embed.embedders import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder("all-MiniLM-L6-v2")


@pytest.mark.slow
def test_minilm_maps_medical_clusters_to_their_tasks_and_leaves_others_out(medical, clusters, minilm):
    got = {m.cluster_id: m.task for m in map_clusters(medical, clusters, minilm)}
    assert got == {
        "b1": "Explain medication side effects",
        "b2": "Check medication interactions",
        "b3": "Explain insurance and bills",
    }


@pytest.mark.slow
def test_minilm_suite_follows_usage_shares(medical, clusters, minilm):
    items = build_suite(medical, clusters, minilm, n_items=20)
    assert sorted(it.cluster_id for it in items) == ["b1"] * 12 + ["b2"] * 6 + ["b3"] * 2
