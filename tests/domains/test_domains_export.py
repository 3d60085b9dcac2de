"""Writing suites for eval harnesses: every format parses, the manifest adds up, helm is refused."""
from __future__ import annotations

import json

import pytest
import yaml

from domains.suite import FORMATS, UnsupportedFormatError, build_suite, write_suite


@pytest.fixture
def items(medical, clusters, embedder):
    return build_suite(medical, clusters, embedder, n_items=40, seed=3)


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_jsonl_writes_one_item_per_line(tmp_path, items, medical):
    paths = write_suite(items, tmp_path, "jsonl", taxonomy=medical)
    assert [p.name for p in paths] == ["suite.jsonl", "manifest.json"]
    rows = read_jsonl(tmp_path / "suite.jsonl")
    assert rows == [it.to_dict() for it in items]
    assert set(rows[0]) == {"id", "domain", "category", "subcategory", "task", "cluster_id", "weight",
                            "input", "quizzing_share", "source"}


def test_inspect_writes_dataset_records_with_metadata(tmp_path, items):
    paths = write_suite(items, tmp_path, "inspect")
    rows = read_jsonl(paths[0])
    assert len(rows) == len(items)
    for row, it in zip(rows, items):
        assert set(row) == {"id", "input", "target", "metadata"}
        assert (row["id"], row["input"], row["target"]) == (it.id, it.input, "")
        assert row["metadata"]["cluster_id"] == it.cluster_id and row["metadata"]["source"] == "release"


def test_lm_eval_writes_data_and_task_yaml(tmp_path, items):
    paths = write_suite(items, tmp_path, "lm-eval")
    names = [p.name for p in paths]
    assert names == ["data.jsonl", "clio_medical.yaml", "manifest.json"]
    assert [r["input"] for r in read_jsonl(tmp_path / "data.jsonl")] == [it.input for it in items]
    task = yaml.safe_load((tmp_path / "clio_medical.yaml").read_text(encoding="utf-8"))
    assert task["task"] == "clio_medical"
    assert task["dataset_path"] == "json"
    assert task["dataset_kwargs"] == {"data_files": {"test": "data.jsonl"}}
    assert task["test_split"] == "test"
    assert task["output_type"] == "generate_until"
    assert task["doc_to_text"] == "{{input}}"
    assert task["doc_to_target"] == ""
    assert task["metric_list"] and all("metric" in m for m in task["metric_list"])


@pytest.mark.parametrize("fmt, problem", [("helm", "not supported yet"), ("csv", "unknown format")])
def test_when_format_unsupported_then_error_lists_supported_formats(tmp_path, items, fmt, problem):
    out = tmp_path / "out"
    with pytest.raises(UnsupportedFormatError, match=problem) as err:
        write_suite(items, out, fmt)
    assert all(f in str(err.value) for f in FORMATS)
    assert isinstance(err.value, ValueError) and isinstance(err.value, NotImplementedError)
    assert not out.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_manifest_describes_suite(tmp_path, items, medical, fmt):
    paths = write_suite(items, tmp_path, fmt, taxonomy=medical, build={"seed": 3, "n_items": 40})
    doc = json.loads(paths[-1].read_text(encoding="utf-8"))
    assert doc["domain"] == "medical" and doc["taxonomy"]["name"] == "medical"
    assert doc["format"] == fmt and doc["items"] == len(items) == 40
    assert doc["files"] == [p.name for p in paths[:-1]]
    assert sum(doc["node_weights"].values()) == pytest.approx(1.0)
    assert "Clinical Decision Support / Providing Clinical Knowledge Support / Explain medication side effects" in (
        doc["node_weights"])
    assert {c["id"]: c["items"] for c in doc["clusters"]} == {"b1": 24, "b2": 12, "b3": 4}
    assert doc["build"] == {"seed": 3, "n_items": 40}


@pytest.mark.parametrize("fmt", FORMATS)
def test_written_files_hold_only_released_text(tmp_path, items, released_strings, fmt):
    for path in write_suite(items, tmp_path, fmt):
        if path.suffix == ".jsonl":
            for row in read_jsonl(path):
                assert row["input"] in released_strings


def test_same_seed_writes_identical_files(tmp_path, medical, clusters, embedder):
    for run in ("a", "b"):
        write_suite(build_suite(medical, clusters, embedder, n_items=30, seed=1), tmp_path / run, "inspect")
    for name in ("dataset.jsonl", "manifest.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_when_items_mix_domains_then_refused(tmp_path, items):
    from dataclasses import replace

    mixed = [items[0], replace(items[1], domain="legal")]
    with pytest.raises(ValueError, match="mix several domains"):
        write_suite(mixed, tmp_path, "jsonl")
