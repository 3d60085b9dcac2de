"""The three exports run in their real harnesses, offline, and score a wrong answer lower than the reference.

A suite with every grading kind (multiple choice, short answer, reference answer, rubric) is built from the fake
release and a small public pool, exported, and loaded in Inspect AI, lm-evaluation-harness and HELM's MedHELM
configurable benchmark. The demo's own suite goes through the same checks in tests/test_end_to_end.py.
"""
from __future__ import annotations

import csv
import os

import pytest

from domains.sources import PoolItem
from domains.suite import build_suite, write_suite
from tests.fakes.harness import load_helm, run_inspect, run_lm_eval

POOL = [
    PoolItem("Which is a common side effect of metformin medication?\nA) Hair loss\nB) Nausea\nC) Fever\nD) Rash",
             "pool.jsonl#0", target="B", choices=("Hair loss", "Nausea", "Fever", "Rash")),
    PoolItem("How many side effects of my blood pressure medication are common, in number?", "pool.jsonl#1",
             target="12", reference="About 12 are listed. #### 12"),
    PoolItem("Can I take ibuprofen together with vitamin D and my blood pressure pills safely?", "pool.jsonl#2",
             reference="Usually yes, but ibuprofen can raise blood pressure; ask your pharmacist."),
    PoolItem("Is it safe to take levothyroxine medicines with supplements and interactions together?",
             "pool.jsonl#3"),
]


@pytest.fixture(scope="module")
def exported(tmp_path_factory, request):
    from domains.registry import get_taxonomy
    from privacy.public import PublicClusters
    from tests.domains.conftest import FAKE_RELEASE
    from clio.embed.embedders import HashEmbedder

    medical = get_taxonomy("medical")
    clusters = list(PublicClusters.from_json(FAKE_RELEASE).clusters)
    build = build_suite(medical, clusters, HashEmbedder(dim=4096), n_items=12, seed=1, pool=POOL)
    kinds = {it.grading for it in build.items}
    assert kinds == {"choice", "exact", "reference", "rubric"}, kinds
    root = tmp_path_factory.mktemp("exports")
    for fmt in ("inspect", "lm-eval", "helm"):
        write_suite(build.items, root / fmt, fmt, taxonomy=medical)
    return root, build


@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    """Run from a directory that is not the export folder."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    return tmp_path


def test_inspect_tasks_score_the_reference_above_a_wrong_answer(exported, elsewhere):
    root, build = exported
    good, _ = run_inspect(root / "inspect", True, elsewhere / "logs")
    bad, prompts = run_inspect(root / "inspect", False, elsewhere / "logs")
    assert set(good) == {"clio_medical_choice", "clio_medical_exact", "clio_medical_judged"}
    for task in ("clio_medical_choice", "clio_medical_exact"):  # scored by the answer key, no judge involved
        assert good[task] == 1.0 and bad[task] == 0.0, (task, good, bad)
    # model-graded items: the grader is handed each item's reference answer or rubric as its criterion
    judged = [it for it in build.items if it.grading in ("reference", "rubric")]
    assert len(prompts) == len(judged)
    for it in judged:
        assert any(it.rubric[0] in p and it.input[:40] in p for p in prompts)
    assert any("Usually yes, but ibuprofen" in p for p in prompts)


def test_lm_eval_tasks_run_from_another_directory_with_real_metrics(exported, elsewhere):
    root, _ = exported
    assert os.getcwd() != str(root / "lm-eval")
    dummy = run_lm_eval(root / "lm-eval", "dummy")
    ref = run_lm_eval(root / "lm-eval", "reference")
    assert set(ref) == {"clio_medical_choice", "clio_medical_exact", "clio_medical_reference"}
    assert ref["clio_medical_exact"]["exact_match,strip"] == 1.0 > dummy["clio_medical_exact"]["exact_match,strip"]
    assert ref["clio_medical_reference"]["chrf,none"] > dummy["clio_medical_reference"]["chrf,none"]
    assert ref["clio_medical_choice"]["acc,none"] == 1.0


def test_lm_eval_manifest_counts_the_rubric_items_it_cannot_score(exported):
    import json

    root, build = exported
    doc = json.loads((root / "lm-eval" / "manifest.json").read_text())
    n = sum(it.grading == "rubric" for it in build.items)
    assert any(f"{n} rubric-only items need a judge" in note for note in doc["notes"])


def test_helm_export_loads_as_a_medhelm_configurable_benchmark(exported, elsewhere):
    from helm.benchmark.metrics.evaluate_reference_metrics import exact_match

    root, build = exported
    spec, instances = load_helm(root / "helm" / "clio_medical_exact.yaml", elsewhere)
    assert [m.class_name for m in spec.metric_specs]  # HELM built its metrics from our YAML
    exact = [it for it in build.items if it.grading in ("choice", "exact")]
    assert len(instances) == len(exact)
    for inst in instances:
        gold = inst.references[0].output.text
        assert exact_match(gold, gold) == 1 > exact_match(gold, "banana")
    spec, instances = load_helm(root / "helm" / "clio_medical_judged.yaml", elsewhere)
    assert spec.annotators and "LLMAsJuryAnnotator" in spec.annotators[0].class_name
    criteria = spec.annotators[0].args["annotation_criteria"]
    assert set(criteria) == {"accuracy", "completeness", "clarity"}
    judged = [it for it in build.items if it.grading in ("reference", "rubric")]
    assert len(instances) == len(judged)
    golds = {inst.references[0].output.text for inst in instances}
    assert all(any(it.rubric[0] in g for g in golds) for it in judged)


def test_helm_csv_keeps_every_item_input_verbatim(exported):
    root, build = exported
    rows = []
    for kind in ("exact", "judged"):
        with open(root / "helm" / f"clio_medical_{kind}.csv", encoding="utf-8") as f:
            rows += list(csv.DictReader(f))
    assert sorted(r["question"] for r in rows) == sorted(it.input for it in build.items)
