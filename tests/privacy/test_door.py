"""The one door: `privacy.door.publish` is the only writer of release/, checks cluster ids, and re-audits."""
from __future__ import annotations

import contextlib
import json
import os
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from privacy.audit import Auditor
from privacy.door import UnreleasedClusterError, Withheld, publish
from privacy.public import PublicAudit, PublicClusters, PublicCoverage, PublicSuite, read_artifact, read_release
from privacy.release import ReleasePolicy
from tests.fakes.release import CLUSTERS, SUITE_ITEMS, SUITE_MANIFEST, release_docs
from tests.fakes.scanners import NoFindings

DOOR = str(Path(__file__).resolve().parents[2] / "privacy" / "door.py")


AUDITOR = Auditor(ReleasePolicy(min_users=10, min_conversations=25), NoFindings())


def artifacts():
    docs = release_docs()
    return PublicClusters.from_json(docs["clusters.json"]), PublicCoverage.from_json(docs["coverage.json"])


def test_publish_writes_the_artifacts_then_an_audit_of_exactly_what_is_there(tmp_path):
    clusters, coverage = artifacts()
    audit = publish(tmp_path, AUDITOR, clusters=clusters, artifacts=[coverage], withheld=Withheld({"x": 1}, {"y": 2}))
    assert read_artifact(PublicClusters, tmp_path / "clusters.json") == clusters
    assert read_artifact(PublicAudit, tmp_path / "audit.json") == audit and (tmp_path / "audit.md").exists()
    assert audit.passed and set(audit.files) == {"clusters.json", "coverage.json"}
    assert dict(audit.suppressed) == {"x": 1} and dict(audit.strings_dropped) == {"y": 2}
    suite = PublicSuite("medical", SUITE_MANIFEST, tuple(SUITE_ITEMS))
    again = publish(tmp_path, AUDITOR, artifacts=[suite])  # a later artifact: the withheld counts carry over
    assert dict(again.suppressed) == {"x": 1} and "suites/medical/suite.jsonl" in again.files
    assert [p.name for p in tmp_path.rglob(".*")] == []  # no temp files left behind


def test_an_artifact_naming_an_unreleased_cluster_is_refused_and_nothing_is_written(tmp_path):
    clusters, coverage = artifacts()
    publish(tmp_path, AUDITOR, clusters=clusters)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    forged = replace(coverage, overlooked=("b42",))
    with pytest.raises(UnreleasedClusterError, match="b42"):
        publish(tmp_path, AUDITOR, artifacts=[forged])
    bad_suite = PublicSuite("medical", SUITE_MANIFEST, (replace(SUITE_ITEMS[0], cluster_id="b1"),))
    with pytest.raises(UnreleasedClusterError, match="b1"):
        publish(tmp_path, AUDITOR, artifacts=[bad_suite])
    with pytest.raises(UnreleasedClusterError, match="t9"):  # a cluster naming a parent that is not released
        publish(tmp_path, AUDITOR, clusters=replace(clusters, clusters=(replace(CLUSTERS[0], parent="t9"),)))
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_without_released_clusters_nothing_can_be_published(tmp_path):
    with pytest.raises(UnreleasedClusterError, match="publish the clusters first"):
        publish(tmp_path, AUDITOR, artifacts=[artifacts()[1]])


# ---- no other module writes release/ ----------------------------------------------------------------------

WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_watch: dict = {}


def _hook(event, args, _watch=_watch):  # bound here: module globals are gone while the interpreter exits
    """Every write, rename, removal or folder creation under the watched release/, with whether the door did it."""
    root = _watch.get("root")
    if root is None:
        return
    if event == "open":
        path, mode, flags = args
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or bool((flags or 0) & WRITE_FLAGS)
        paths = [path] if writing else []
    elif event in ("os.rename", "os.replace"):
        paths = [args[1]]
    elif event in ("os.remove", "os.mkdir", "os.rmdir", "shutil.rmtree", "os.truncate"):
        paths = [args[0]]
    else:
        return
    for p in paths:
        if isinstance(p, (str, bytes, os.PathLike)) and Path(os.fsdecode(p)).resolve().is_relative_to(root) \
                and Path(os.fsdecode(p)).resolve() != root:
            frame, by_door = sys._getframe(1), False
            while frame is not None and not by_door:
                by_door = frame.f_code.co_filename == DOOR
                frame = frame.f_back
            _watch["events"].append((event, Path(os.fsdecode(p)).name, by_door))


sys.addaudithook(_hook)


@contextlib.contextmanager
def watching(release_dir: Path):
    _watch.update(root=Path(release_dir).resolve(), events=[])
    try:
        yield _watch["events"]
    finally:
        _watch["root"] = None


def test_no_module_but_the_door_writes_release_on_a_whole_run(tmp_path, scrubber, fast_config):
    """A run, coverage, a suite into the release and `clio audit`, watched through Python's audit hooks."""
    from clio.commands.audit import run_audit
    from clio.commands.suite import make_suite
    from clio.pipeline import Components, publish_coverage, run
    from clio.synth.corpus import SynthConfig, write_corpus

    corpus, _, _ = write_corpus(tmp_path / "s.jsonl", SynthConfig(n=200, seed=9, users=40))
    ws = tmp_path / "w"
    with watching(ws / "release") as events:
        run([corpus], ws, fast_config, Components(scrubber=scrubber))
        quiz = tmp_path / "quiz.jsonl"
        quiz.write_text('{"question": "What is the capital of France?"}\n{"prompt": "Write a poem about my cat"}\n')
        publish_coverage(ws, {"quiz": quiz}, scrubber=scrubber)
        make_suite("medical", ws, ws / "release" / "suites" / "medical", n_items=5, scrubber=scrubber)
        assert run_audit(ws).passed
        written = {name for _, name, _ in events}
        assert {"clusters.json", "hierarchy.json", "summary.json", "coverage.json", "audit.json", "audit.md",
                "suite.jsonl", "manifest.json"} <= written
        assert [e for e in events if not e[2]] == []
        (ws / "release" / "stray.json").write_text("{}")  # the watch itself can tell a write by anyone else
        assert events[-1] == ("open", "stray.json", False)
    assert read_release(ws / "release").suites[0].name == "medical"
    assert json.loads((ws / "release" / "audit.json").read_text())["passed"]
