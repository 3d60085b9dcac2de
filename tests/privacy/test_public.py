"""The typed public tier: every release file has a frozen, versioned type it round-trips through exactly."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from privacy.public import (
    PublicAudit,
    PublicCluster,
    PublicClusters,
    PublicCoverage,
    PublicHierarchy,
    PublicSuite,
    PublicSummary,
    SchemaError,
    SuiteItem,
    SuiteManifest,
    read_artifact,
    read_release,
)
from tests.fakes.release import CLUSTERS, SUITE_ITEMS, SUITE_MANIFEST, release_docs, write_release

TYPES = {"clusters.json": PublicClusters, "hierarchy.json": PublicHierarchy, "summary.json": PublicSummary,
         "coverage.json": PublicCoverage}


def test_public_types_import_without_the_heavy_stack():
    code = ("import sys, privacy.public\n"
            "heavy = {'numpy', 'torch', 'presidio_analyzer', 'spacy', 'pandas', 'clio', 'dash'} & set(sys.modules)\n"
            "assert not heavy, heavy\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("name", sorted(TYPES))
def test_each_file_round_trips_through_its_type_key_for_key(name):
    doc = release_docs()[name]
    typed = TYPES[name].from_json(doc)
    assert typed.to_json() == doc and list(typed.to_json()) == list(doc)
    assert list(doc)[0] == "schema"
    with pytest.raises(AttributeError):
        typed.schema = 2  # frozen


def test_suite_and_audit_round_trip_and_the_audit_markdown_names_its_schema(tmp_path):
    root = write_release(tmp_path / "release", release_docs())
    release = read_release(root)
    (suite,) = release.suites
    assert suite.items == tuple(SUITE_ITEMS) and suite.manifest == SUITE_MANIFEST
    assert all(json.loads(line)["schema"] == SuiteItem.SCHEMA for line in
               PublicSuite("medical", SUITE_MANIFEST, tuple(SUITE_ITEMS)).files()["suites/medical/suite.jsonl"]
               .splitlines())
    assert SUITE_ITEMS[0].to_dict() == {k: v for k, v in SUITE_ITEMS[0].to_json().items() if k != "schema"}
    audit = release.audit
    assert PublicAudit.from_json(audit.to_json()) == audit
    assert audit.markdown().rstrip().endswith(f"<!-- schema: {PublicAudit.SCHEMA} -->")


def test_an_optional_field_appears_only_when_set():
    assert "model_written" not in CLUSTERS[0].to_json()
    written = PublicCluster.from_json({**CLUSTERS[0].to_json(), "model_written": ["name"]})
    assert written.model_written == ("name",) and written.to_json()["model_written"] == ["name"]


@pytest.mark.parametrize("change, problem", [
    (lambda d: {**d, "schema": 2}, "has schema 2; this clio-usage reads schema 1"),
    (lambda d: {k: v for k, v in d.items() if k != "schema"}, "has schema None"),
    (lambda d: {k: v for k, v in d.items() if k != "levels"}, r"missing \['levels'\]"),
    (lambda d: {**d, "colour": "red"}, r"unexpected \['colour'\]"),
    (lambda d: {**d, "clusters": [{"id": "b1"}]}, r"clusters\[0\]: missing"),
])
def test_a_file_of_another_version_or_shape_is_refused_naming_file_and_problem(tmp_path, change, problem):
    path = tmp_path / "clusters.json"
    path.write_text(json.dumps(change(release_docs()["clusters.json"])))
    with pytest.raises(SchemaError, match=problem):
        read_artifact(PublicClusters, path)


def test_reading_a_release_without_clusters_is_a_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_release(tmp_path)


def test_suite_names_cannot_leave_the_suites_folder():
    with pytest.raises(SchemaError):
        PublicSuite("../outside", SuiteManifest.from_json(SUITE_MANIFEST.to_json()), ())
