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
        "b1": "Answer consumer medication questions",  # MedHELM files MedicationQA here
        "b2": "Check medication interactions",
        "b3": "Explain insurance and bills",
    }


@pytest.mark.slow
def test_minilm_suite_follows_usage_shares(medical, clusters, minilm):
    build = build_suite(medical, clusters, minilm, n_items=20)
    assert build.planned == {"b1": 12, "b2": 6, "b3": 2}
    # inputs are never repeated: each cluster gives what its released exemplars hold, the rest is reported short
    assert sorted(it.cluster_id for it in build.items) == ["b1"] * 3 + ["b2"] * 2
    assert build.shortfall == {"b1": 9, "b2": 4, "b3": 2}
