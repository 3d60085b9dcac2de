from __future__ import annotations

import json

from clio.pipeline import Components, run
from clio.synth.corpus import SynthConfig, write_corpus
from privacy.audit import audit_release, canary_norm


def test_canary_matching_ignores_case_whitespace_and_zero_width():
    assert canary_norm("Ab C\u200bd") == canary_norm("abcd")


def _policy():
    return {"min_users": 5, "min_conversations": 10}


def test_when_canary_in_release_then_audit_fails(tmp_path):
    rel = tmp_path / "release"
    rel.mkdir()
    (rel / "clusters.json").write_text(json.dumps({"clusters": [
        {"id": "b0", "level": 0, "name": "Secret PROJECT\u200b Falcon", "conversations": 30, "users": 12,
         "children": []}]}))
    rep = audit_release(rel, _policy(), canaries=["project falcon"])
    assert not rep.passed and any(c.name == "canaries" and not c.passed for c in rep.checks)
    assert audit_release(rel, _policy(), canaries=["other thing"]).passed


def test_when_cluster_below_threshold_or_placeholder_then_audit_fails(tmp_path):
    rel = tmp_path / "release"
    rel.mkdir()
    (rel / "clusters.json").write_text(json.dumps({"clusters": [
        {"id": "b0", "level": 0, "name": "About <PERSON_1>", "conversations": 3, "users": 1, "children": []}]}))
    failed = {c.name for c in audit_release(rel, _policy()).checks if not c.passed}
    assert failed == {"thresholds", "no_placeholders"}


def test_clio_audit_detects_tampering(tmp_path, scrubber, fast_config):
    from clio.commands.audit import run_audit

    path, _, _ = write_corpus(tmp_path / "s.jsonl", SynthConfig(n=150, seed=9, users=40))
    ws = tmp_path / "w"
    run([path], ws, fast_config, Components(scrubber=scrubber))
    assert run_audit(ws).passed
    clusters = ws / "release" / "clusters.json"
    doc = json.loads(clusters.read_text())
    doc["clusters"][0]["users"] = 1
    clusters.write_text(json.dumps(doc))
    failed = {c.name for c in run_audit(ws).checks if not c.passed}
    assert {"thresholds", "file_hashes"} <= failed
