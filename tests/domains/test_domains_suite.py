"""The domain gate, and building usage-weighted suites from released exemplars, a public pool and an LLM writer."""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from domains.gate import gate_clusters
from domains.sources import Draft, PoolItem
from domains.suite import SuiteItem, allocate, build_suite, load_release_clusters, map_clusters


def test_release_file_loads_cluster_list(release_path, fake_release):
    assert [c.to_json() for c in load_release_clusters(release_path)] == fake_release["clusters"]


def test_when_release_has_no_cluster_list_then_clear_error(tmp_path):
    path = tmp_path / "clusters.json"
    path.write_text('{"schema": 1}', encoding="utf-8")
    with pytest.raises(ValueError, match=r"clusters.json: missing \['clusters'"):
        load_release_clusters(path)


def test_medication_clusters_map_to_their_tasks(medical, clusters, embedder):
    by_id = {m.cluster_id: m for m in map_clusters(medical, clusters, embedder)}
    # consumer medication questions sit where MedHELM files MedicationQA: patient communication and education
    assert by_id["b1"].task == "Answer consumer medication questions"
    assert by_id["b1"].category == "Patient Communication and Education"
    assert by_id["b2"].task == "Check medication interactions"
    assert by_id["b3"].subcategory == "Overseeing Financial Activities"


def test_gate_leaves_out_unrelated_clusters_with_their_figures_and_reason(medical, clusters, embedder):
    gate = gate_clusters(medical, clusters, embedder)
    assert [m.cluster_id for m in gate.admitted] == ["b1", "b2", "b3"]
    out = {lo.id: lo for lo in gate.left_out}
    assert set(out) == {"b4", "b5"}
    assert "domain facet share 0.00 < 0.10" in out["b4"].reason and out["b4"].nearest_task


def test_when_text_resembles_a_task_but_the_domain_facet_says_otherwise_then_left_out(medical, clusters, embedder):
    # words of a medical task, but the cluster's conversations are about something else (a cover letter)
    lookalike = replace(clusters[1], id="b9", domains={"writing": 0.95, "medical": 0.05})
    gate = gate_clusters(medical, [lookalike], embedder)
    assert not gate.admitted and "domain facet share 0.05 < 0.10" in gate.left_out[0].reason


def test_thresholds_control_domain_membership(medical, clusters, embedder):
    assert map_clusters(medical, clusters, embedder, min_similarity=1.01) == []
    assert len(map_clusters(medical, clusters, embedder, min_similarity=-1.0, min_domain_share=0.0)) == 5


def test_allocation_follows_usage_and_weights_sum_to_one(medical, clusters, embedder):
    build = build_suite(medical, clusters, embedder, n_items=200)
    assert build.planned == {"b1": 120, "b2": 60, "b3": 20}
    weights = {it.cluster_id: it.weight for it in build.items}
    assert weights == pytest.approx({"b1": 0.6, "b2": 0.3})


def test_allocate_sums_exactly_and_breaks_ties_by_order():
    assert allocate([1 / 3, 1 / 3, 1 / 3], 4) == [2, 1, 1]
    assert allocate([0.5, 0.5], 0) == [0, 0]
    assert allocate([], 5) == []
    with pytest.raises(ValueError):
        allocate([1.0], -1)


def test_inputs_are_never_repeated_and_the_shortfall_is_reported(medical, clusters, embedder):
    build = build_suite(medical, clusters, embedder, n_items=50)
    inputs = [it.input for it in build.items]
    assert len(inputs) == len(set(inputs)) == 5  # 3 + 2 released exemplars, each once
    assert build.shortfall == {"b1": 27, "b2": 13, "b3": 5}
    assert "5 of 50 items" in build.notes()[0] and "inputs are never repeated" in build.notes()[0]


def test_exemplars_are_verbatim_and_descriptions_never_become_prompts(medical, clusters, embedder):
    by_id = {c.id: c for c in clusters}
    for it in build_suite(medical, clusters, embedder, n_items=50).items:
        assert it.input in by_id[it.cluster_id].exemplars
        assert it.source == "release" and it.provenance == f"release:{it.cluster_id}:exemplar"
    assert not [it for it in build_suite(medical, clusters, embedder, 50).items if it.cluster_id == "b3"]


def test_every_item_has_grading_material(medical, clusters, embedder):
    items = build_suite(medical, clusters, embedder, n_items=20, pool=POOL).items
    assert items
    for it in items:
        assert it.rubric, it
        assert it.grading in ("choice", "exact", "reference", "rubric")
        if it.grading == "choice":
            assert it.choices and it.target in "ABCD"
        if it.grading == "reference":
            assert it.reference


POOL = [
    PoolItem("Can I take my medicine ibuprofen with food, what side effects in plain language?", "p#0",
             reference="Yes, with food; stomach upset is common."),
    PoolItem("Which side effects does this medicine have?\nA) Cough\nB) Rash\nC) None\nD) Fever", "p#1",
             target="A", choices=("Cough", "Rash", "None", "Fever")),
    PoolItem("How do I take a medicine in plain language if it has side effects at night?", "p#2"),
    PoolItem("Review my medication list for drug-drug interactions for the prescriber, with warfarin", "p#3"),
    PoolItem("Python pasta recipes with garlic", "p#4"),
]


def test_pool_items_go_to_their_nearest_cluster_once_each(medical, clusters, embedder):
    build = build_suite(medical, clusters, embedder, n_items=40, pool=POOL, exemplars=False)
    got = {it.provenance: it.cluster_id for it in build.items}
    assert got["p#3"] == "b2" and got["p#0"] == "b1"
    assert "p#4" not in got  # nearest a cluster outside the domain
    assert len(got) == len(build.items)


def test_pool_items_the_pii_rescan_flags_are_dropped_and_counted(medical, clusters, embedder):
    build = build_suite(medical, clusters, embedder, n_items=40, pool=POOL, exemplars=False,
                        has_pii=lambda texts: ["warfarin" in t for t in texts])
    assert "p#3" not in {it.provenance for it in build.items}
    assert build.dropped["pool"]["pii re-scan"] == 1


class FakeWriter:
    name = "fake"

    def __init__(self, drafts):
        self.drafts, self.briefs = drafts, []

    def write(self, briefs):
        self.briefs = list(briefs)
        return [self.drafts.get(b.cluster_id, []) for b in briefs]

    def report(self):
        return {"writer": self.name}


def _draft(text, form="asking"):
    return Draft(text=text, source="llm", provenance="llm:fake", form=form, rubric=("Names the drug.",),
                 grading_source="llm")


def test_llm_items_are_checked_like_any_candidate(medical, clusters, embedder):
    writer = FakeWriter({"b1": [
        _draft("Is nausea a common side effect of my new medication, the medicine I take at night?"),
        _draft("Is nausea a common side effect of my new medication, the medicine I take at night?"),  # repeated
        _draft("Weeknight pasta recipes with garlic and tomatoes"),  # nearest the cooking cluster
        _draft("Can I take my medicine with grapefruit? My name is Ann Smith"),  # flagged by the re-scan
    ]})
    build = build_suite(medical, clusters, embedder, n_items=20, writer=writer,
                        has_pii=lambda texts: ["Smith" in t for t in texts])
    llm = [it for it in build.items if it.source == "llm"]
    assert [it.input for it in llm] == ["Is nausea a common side effect of my new medication, the medicine I take at "
                                        "night?"]
    assert build.dropped["llm"] == {"repeated input": 1, "nearest another cluster": 1, "pii re-scan": 1}
    brief = next(b for b in writer.briefs if b.cluster_id == "b1")
    assert brief.exemplars == clusters[1].exemplars and brief.node.endswith("Answer consumer medication questions")
    assert brief.n_asking > 0 and set(brief.avoid) == set(clusters[1].exemplars)


def test_quizzing_share_of_a_cluster_sets_its_mix(medical, clusters, embedder):
    quizzy = [replace(c, quizzing_share=0.5) if c.id == "b1" else c for c in clusters]
    texts = ["side effects of my medicine at night in plain language", "how to take a medicine with side effects",
             "questions about a medicine and its side effects, plain language", "medicine side effects quiz question",
             "plain language medicine questions: side effects"]
    writer = FakeWriter({"b1": [_draft(t, "asking") for t in texts[:3]] + [_draft(t, "quizzing") for t in texts[3:]]})
    build = build_suite(medical, quizzy, embedder, n_items=4, writer=writer, exemplars=False)
    b1 = [it for it in build.items if it.cluster_id == "b1"]
    assert build.planned["b1"] == 3 and Counter(it.form for it in b1) == {"quizzing": 2, "asking": 1}


def test_same_seed_gives_same_suite(medical, clusters, embedder):
    a = build_suite(medical, clusters, embedder, n_items=60, seed=7, pool=POOL).items
    b = build_suite(medical, clusters, embedder, n_items=60, seed=7, pool=POOL).items
    assert a == b and isinstance(a[0], SuiteItem)
    assert len({it.id for it in a}) == len(a)


def test_when_nothing_matches_then_suite_is_empty(medical, clusters, embedder):
    coding = [c for c in clusters if c.id in ("b4", "b5")]
    build = build_suite(medical, coding, embedder, n_items=50)
    assert build.items == [] and "no released cluster passed the domain gate" in build.notes()


def test_when_shares_missing_then_conversation_counts_weight_the_suite(medical, clusters, embedder):
    clusters = [replace(c, share=0.0) for c in clusters]
    assert build_suite(medical, clusters, embedder, n_items=100).planned == {"b1": 60, "b2": 30, "b3": 10}
