"""load_release: parsing, helpers, and clear errors when there is nothing to show."""
from __future__ import annotations

import json

import pytest

from dashboard.data import load_release, num
from privacy.public import SchemaError


def test_when_release_complete_then_all_files_parsed(release):
    assert release.summary["read"] == 800
    assert release.coverage is not None and release.audit is not None and release.hierarchy is not None
    assert [c["id"] for c in release.base_clusters()] == ["b3", "b5", "b7", "b9"]  # largest first
    assert [s.name for s in release.suites] == ["medical"]
    assert [c["id"] for c in release.top_clusters()] == ["t1", "t2"]
    assert release.name_of("t1") == "Programming"
    assert release.name_of(None) == ""


def test_when_release_folder_missing_then_error_says_what_to_run(tmp_path):
    with pytest.raises(FileNotFoundError, match="clio demo"):
        load_release(tmp_path / "nope")


def test_when_clusters_json_missing_then_error_says_what_to_run(release_dir):
    (release_dir / "clusters.json").unlink()
    with pytest.raises(FileNotFoundError, match="clusters.json.*clio run"):
        load_release(release_dir)


def test_when_optional_files_absent_then_none(release_dir):
    for name in ("coverage.json", "hierarchy.json", "audit.json", "summary.json"):
        (release_dir / name).unlink()
    release = load_release(release_dir)
    assert release.coverage is None and release.hierarchy is None and release.audit is None
    assert release.summary == {}


def test_when_hierarchy_absent_then_tree_rebuilt_from_clusters(release_dir):
    (release_dir / "hierarchy.json").unlink()
    tree = load_release(release_dir).tree()
    assert [n["id"] for n in tree] == ["t1", "t2"]
    assert [k["id"] for k in tree[0]["children"]] == ["b3", "b5"]


def test_when_file_hashes_recorded_then_compared_with_disk(release_dir):
    rows = load_release(release_dir).file_digests()
    assert {name for name, *_ in rows} == {"clusters.json", "hierarchy.json", "suites/medical/suite.jsonl",
                                           "suites/medical/manifest.json"}
    assert all(recorded == actual for _, recorded, actual in rows)
    doc = json.loads((release_dir / "hierarchy.json").read_text())
    (release_dir / "hierarchy.json").write_text(json.dumps(doc), encoding="utf-8")  # same content, other bytes
    rows = {n: (r, a) for n, r, a in load_release(release_dir).file_digests()}
    assert rows["hierarchy.json"][0] != rows["hierarchy.json"][1]


def test_when_audit_names_a_path_outside_release_then_not_hashed(release_dir):
    audit = json.loads((release_dir / "audit.json").read_text())
    audit["files"] = {"../secret.json": "ab" * 32}
    (release_dir.parent / "secret.json").write_text("{}", encoding="utf-8")
    (release_dir / "audit.json").write_text(json.dumps(audit), encoding="utf-8")
    assert load_release(release_dir).file_digests() == [("../secret.json", "ab" * 32, None)]


@pytest.mark.parametrize("value, expected", [(None, 0.0), ("0.5", 0.5), ("x", 0.0), ([1], 0.0), (3, 3.0)])
def test_num_is_defensive(value, expected):
    assert num(value) == expected


def test_when_suites_present_then_manifest_items_and_safe_file_list_loaded(release):
    suite = release.suite("medical")
    assert suite is not None and len(suite.items) == 3
    assert suite.files == ("suites/medical/manifest.json", "suites/medical/suite.jsonl")  # ../ entry dropped
    assert set(release.downloadable()) == {"audit.md", "audit.json", *suite.files}
    assert release.suite("../medical") is None


def test_when_suite_manifest_broken_then_suite_skipped(release_dir):
    (release_dir / "suites" / "medical" / "manifest.json").write_text("{not json")
    assert load_release(release_dir).suites == ()


def test_when_digests_name_files_in_subfolders_then_hashed(release):
    rows = {name: (recorded, actual) for name, recorded, actual in release.file_digests()}
    assert rows["suites/medical/suite.jsonl"][0] == rows["suites/medical/suite.jsonl"][1]


@pytest.mark.parametrize("cluster_id", [None, 7, ["b3"], {"id": "b3"}, "../b3", "nope"])
def test_cluster_lookup_answers_only_released_ids(release, cluster_id):
    assert release.cluster(cluster_id) is None


def test_hierarchy_helpers_follow_parents(release):
    assert [c["id"] for c in release.ancestors("b3")] == ["t1"]
    assert release.root_of("b3")["id"] == "t1" and release.root_of("t1")["id"] == "t1"
    assert [c["id"] for c in release.children_of("t2")] == ["b7", "b9"]
    assert release.coverage_row("b9")["benchmark_shares"]["mmlu"] == 0.88
    assert release.level_numbers() == [0, 1] and release.level_name(1) == "top"


def test_when_three_levels_then_root_is_the_level_two_group(three_level_release):
    assert [c["id"] for c in three_level_release.ancestors("b3")] == ["t1", "g1"]
    assert three_level_release.root_of("b7")["id"] == "g1"
    assert three_level_release.level_numbers() == [0, 1, 2]
    assert [n["id"] for n in three_level_release.tree()] == ["g1"]


def test_when_parents_form_a_cycle_then_ancestors_stop(release_dir):
    doc = json.loads((release_dir / "clusters.json").read_text())
    for c in doc["clusters"]:
        if c["id"] == "t1":
            c["parent"] = "b3"
    (release_dir / "clusters.json").write_text(json.dumps(doc))
    assert [c["id"] for c in load_release(release_dir).ancestors("b3")] == ["t1"]


def test_when_a_file_is_of_another_version_then_loading_says_which_and_why(release_dir):
    for doc in ({"clusters": []}, {**json.loads((release_dir / "clusters.json").read_text()), "schema": 2}):
        (release_dir / "clusters.json").write_text(json.dumps(doc))
        with pytest.raises(SchemaError, match=r"clusters.json has schema (None|2); this clio-usage reads schema 1"):
            load_release(release_dir)


def test_when_a_suite_item_is_of_another_version_then_loading_fails(release_dir):
    path = release_dir / "suites" / "medical" / "suite.jsonl"
    rows = [{**json.loads(line), "schema": 9} for line in path.read_text().splitlines()]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.raises(SchemaError, match="suite.jsonl has schema 9"):
        load_release(release_dir)
