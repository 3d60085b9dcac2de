"""load_release: parsing, helpers, and clear errors when there is nothing to show."""
from __future__ import annotations

import json

import pytest

from dashboard.data import load_release, num


def test_when_release_complete_then_all_files_parsed(release):
    assert release.summary["read"] == 800
    assert release.coverage is not None and release.audit is not None and release.hierarchy is not None
    assert [c["id"] for c in release.base_clusters()] == ["b3", "b5", "b7", "b9"]  # largest first
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
    assert {name for name, *_ in rows} == {"clusters.json", "hierarchy.json"}
    assert all(recorded == actual for _, recorded, actual in rows)
    (release_dir / "hierarchy.json").write_text("{}", encoding="utf-8")
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
