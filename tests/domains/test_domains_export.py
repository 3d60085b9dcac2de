"""Writing suites for eval harnesses: every format's files, the manifest adds up, unknown formats are refused."""
from __future__ import annotations

import json

import pytest
import yaml

from domains.export import build_report
from domains.suite import FORMATS, UnsupportedFormatError, build_suite, write_suite
from tests.domains.test_domains_suite import POOL


@pytest.fixture
def build(medical, clusters, embedder):
    return build_suite(medical, clusters, embedder, n_items=40, seed=3, pool=POOL)


@pytest.fixture
def items(build):
    return build.items


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_jsonl_writes_one_item_per_line_with_grading_material(tmp_path, items, medical):
    paths = write_suite(items, tmp_path, "jsonl", taxonomy=medical)
    assert [p.name for p in paths] == ["suite.jsonl", "manifest.json"]
    rows = read_jsonl(tmp_path / "suite.jsonl")
    assert rows == [it.to_dict() for it in items]
    assert {"input", "source", "provenance", "form", "grading", "target", "choices", "reference", "rubric"} <= set(
        rows[0])


def test_inspect_writes_dataset_with_targets_and_a_task_file(tmp_path, items):
    paths = write_suite(items, tmp_path, "inspect")
    assert [p.name for p in paths] == ["dataset.jsonl", "tasks.py", "manifest.json"]
    rows = read_jsonl(paths[0])
    assert len(rows) == len(items)
    for row, it in zip(rows, items):
        assert row["target"], row  # never empty: a letter, a short answer, a reference or the rubric
        assert row["metadata"]["cluster_id"] == it.cluster_id
        if it.grading == "choice":
            assert row["choices"] == list(it.choices) and "A) " not in row["input"]
        if it.grading == "rubric":
            assert it.rubric[0] in row["target"]
    code = (tmp_path / "tasks.py").read_text()
    compile(code, "tasks.py", "exec")
    assert "model_graded_qa" in code and "def clio_medical_judged" in code


def test_lm_eval_writes_a_task_per_scorable_kind_loading_data_beside_it(tmp_path, items):
    paths = write_suite(items, tmp_path, "lm-eval")
    names = [p.name for p in paths]
    assert names[:2] == ["data.jsonl", "utils.py"] and names[-1] == "manifest.json"
    for p in paths[2:-1]:
        text = p.read_text()
        assert "custom_dataset: !function utils.load" in text
        task = yaml.safe_load(text.replace("!function utils.load", "utils.load"))
        assert task["metric_list"][0]["metric"] in ("acc", "exact_match", "chrf")
    rows = read_jsonl(tmp_path / "data.jsonl")
    assert {r["kind"] for r in rows} <= {"choice", "exact", "reference"}


def test_helm_writes_csv_prompt_and_benchmark_yaml(tmp_path, items):
    paths = write_suite(items, tmp_path, "helm")
    names = {p.name for p in paths}
    assert {"prompt.txt", "clio_medical_judged.csv", "clio_medical_judged.yaml", "judge_prompt.txt"} <= names
    cfg = yaml.safe_load((tmp_path / "clio_medical_judged.yaml").read_text())
    assert cfg["metrics"][0]["name"] == "jury_score" and cfg["metrics"][0]["judges"]
    assert "<rubric_criteria>" in (tmp_path / "judge_prompt.txt").read_text()


@pytest.mark.parametrize("fmt", ["csv", "helm-v2"])
def test_when_format_unknown_then_error_lists_supported_formats(tmp_path, items, fmt):
    out = tmp_path / "out"
    with pytest.raises(UnsupportedFormatError, match="unknown format") as err:
        write_suite(items, out, fmt)
    assert all(f in str(err.value) for f in FORMATS)
    assert isinstance(err.value, ValueError) and isinstance(err.value, NotImplementedError)
    assert not out.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_manifest_describes_suite_gate_and_sources(tmp_path, build, medical, fmt):
    paths = write_suite(build.items, tmp_path, fmt, taxonomy=medical, build={"seed": 3}, report=build_report(build))
    doc = json.loads(paths[-1].read_text(encoding="utf-8"))
    assert doc["schema"] == 2 and doc["domain"] == "medical" and doc["format"] == fmt
    assert doc["items"] == len(build.items) and doc["requested"] == 40
    assert doc["files"] == [p.name for p in paths[:-1]]
    assert sum(doc["node_weights"].values()) == pytest.approx(1.0)
    assert {c["id"] for c in doc["clusters"]} == {"b1", "b2", "b3"}  # b3 planned, even with no item
    assert {c["id"]: c["requested"] for c in doc["clusters"]} == {"b1": 24, "b2": 12, "b3": 4}
    assert {lo["id"] for lo in doc["left_out"]} == {"b4", "b5"} and all(lo["reason"] for lo in doc["left_out"])
    assert doc["sources"] and doc["grading"] and doc["distinct_input_share"] == 1.0
    assert doc["gate"]["facet_domains"] == ["medical", "health"]


def test_same_seed_writes_identical_files(tmp_path, medical, clusters, embedder):
    for run in ("a", "b"):
        write_suite(build_suite(medical, clusters, embedder, n_items=30, seed=1, pool=POOL).items, tmp_path / run,
                    "inspect")
    for name in ("dataset.jsonl", "tasks.py", "manifest.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_when_items_mix_domains_then_refused(tmp_path, items):
    from dataclasses import replace

    mixed = [items[0], replace(items[1], domain="legal")]
    with pytest.raises(ValueError, match="mix several domains"):
        write_suite(mixed, tmp_path, "jsonl")
