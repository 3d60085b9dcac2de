"""Mapping released clusters onto the taxonomy and building usage-weighted suites."""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from domains.suite import SuiteItem, allocate, build_suite, load_release_clusters, map_clusters


def test_release_file_loads_cluster_list(release_path, fake_release):
    assert [c.to_json() for c in load_release_clusters(release_path)] == fake_release["clusters"]


def test_when_release_has_no_cluster_list_then_clear_error(tmp_path):
    path = tmp_path / "clusters.json"
    path.write_text('{"schema": 1}', encoding="utf-8")
    with pytest.raises(ValueError, match=r"clusters.json: missing \['clusters'"):
        load_release_clusters(path)


def test_medication_cluster_maps_to_medication_task(medical, clusters, embedder):
    by_id = {m.cluster_id: m for m in map_clusters(medical, clusters, embedder)}
    assert by_id["b1"].task == "Explain medication side effects"
    assert by_id["b2"].task == "Check medication interactions"
    assert by_id["b2"].subcategory == "Planning Treatments"
    assert by_id["b3"].subcategory == "Overseeing Financial Activities"
    assert all(m.similarity >= 0.3 for m in by_id.values())


def test_when_cluster_is_unrelated_then_it_is_outside_the_domain(medical, clusters, embedder):
    ids = [m.cluster_id for m in map_clusters(medical, clusters, embedder)]
    assert "b4" not in ids and "b5" not in ids
    assert ids == ["b1", "b2", "b3"]


def test_only_base_level_clusters_are_mapped(medical, clusters, embedder):
    assert "t1" not in {m.cluster_id for m in map_clusters(medical, clusters, embedder)}


def test_min_similarity_controls_domain_membership(medical, clusters, embedder):
    assert map_clusters(medical, clusters, embedder, min_similarity=1.01) == []
    assert len(map_clusters(medical, clusters, embedder, min_similarity=-1.0)) == 5


def test_suite_weights_are_normalised_shares_summing_to_one(medical, clusters, embedder):
    items = build_suite(medical, clusters, embedder, n_items=200)
    weights = {it.cluster_id: it.weight for it in items}
    assert sum(weights.values()) == pytest.approx(1.0)
    assert weights == pytest.approx({"b1": 0.6, "b2": 0.3, "b3": 0.1})


@pytest.mark.parametrize("n_items, expected", [
    (200, {"b1": 120, "b2": 60, "b3": 20}),
    (10, {"b1": 6, "b2": 3, "b3": 1}),
    (7, {"b1": 4, "b2": 2, "b3": 1}),
])
def test_item_counts_follow_usage_shares(medical, clusters, embedder, n_items, expected):
    items = build_suite(medical, clusters, embedder, n_items=n_items)
    assert len(items) == n_items
    assert Counter(it.cluster_id for it in items) == expected


def test_allocate_sums_exactly_and_breaks_ties_by_order():
    assert allocate([1 / 3, 1 / 3, 1 / 3], 4) == [2, 1, 1]
    assert allocate([0.5, 0.5], 0) == [0, 0]
    assert allocate([], 5) == []
    with pytest.raises(ValueError):
        allocate([1.0], -1)


def test_every_input_is_a_released_string_of_its_own_cluster(medical, clusters, embedder, released_strings):
    by_id = {c.id: c for c in clusters}
    for it in build_suite(medical, clusters, embedder, n_items=50):
        assert it.input in released_strings
        c = by_id[it.cluster_id]
        assert it.input in (c.exemplars or [c.description])
        assert it.source == "release" and it.domain == "medical"


def test_when_cluster_has_no_exemplars_then_input_is_its_released_description(medical, clusters, embedder):
    b3 = {it.input for it in build_suite(medical, clusters, embedder, n_items=50) if it.cluster_id == "b3"}
    assert b3 == {"Users ask to explain insurance coverage, claims and medical bills"}


def test_exemplars_are_all_used_before_any_repeats(medical, clusters, embedder):
    items = build_suite(medical, clusters, embedder, n_items=10)
    b1 = [it.input for it in items if it.cluster_id == "b1"]  # 6 items, 3 exemplars
    assert Counter(b1) == {e: 2 for e in clusters[1].exemplars}


def test_items_carry_node_and_quizzing_share(medical, clusters, embedder):
    items = {it.cluster_id: it for it in build_suite(medical, clusters, embedder, n_items=20)}
    assert items["b1"].category == "Clinical Decision Support"
    assert items["b1"].quizzing_share == pytest.approx(0.1)
    assert items["b3"].quizzing_share is None
    assert isinstance(items["b1"], SuiteItem)


def test_same_seed_gives_same_suite_and_other_seed_only_reorders(medical, clusters, embedder):
    a = build_suite(medical, clusters, embedder, n_items=60, seed=7)
    b = build_suite(medical, clusters, embedder, n_items=60, seed=7)
    c = build_suite(medical, clusters, embedder, n_items=60, seed=8)
    assert a == b
    assert [it.id for it in a] != [it.id for it in c]
    assert Counter(it.cluster_id for it in a) == Counter(it.cluster_id for it in c)
    assert len({it.id for it in a}) == len(a)


def test_when_nothing_matches_then_suite_is_empty(medical, clusters, embedder):
    coding = [c for c in clusters if c.id in ("b4", "b5")]
    assert build_suite(medical, coding, embedder, n_items=50) == []


def test_when_shares_missing_then_conversation_counts_weight_the_suite(medical, clusters, embedder):
    clusters = [replace(c, share=0.0) for c in clusters]  # a release with no usable shares
    items = build_suite(medical, clusters, embedder, n_items=100)
    assert Counter(it.cluster_id for it in items) == {"b1": 60, "b2": 30, "b3": 10}
