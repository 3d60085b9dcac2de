"""End-to-end pipeline on small synthetic data (real Presidio, offline hash embedder, PCA reducer)."""
from __future__ import annotations

import json

import pytest

from clio.pipeline import Components, export_assignments, run
from clio.synth.corpus import SynthConfig, write_corpus
from tests.fakes.planted import norm, planted_values


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("corpus")
    path, labels, _ = write_corpus(d / "s.jsonl", SynthConfig(n=320, seed=3, users=60))
    return path, labels


@pytest.fixture(scope="module")
def ran(corpus, tmp_path_factory, scrubber, fast_config):
    ws = tmp_path_factory.mktemp("ws")
    summary = run([corpus[0]], ws, fast_config, Components(scrubber=scrubber))
    return ws, summary


def test_when_run_then_release_files_and_summary_fields_exist(ran):
    ws, summary = ran
    for name in ("clusters.json", "hierarchy.json", "audit.json", "audit.md", "summary.json"):
        assert (ws / "release" / name).exists(), name
    written = json.loads((ws / "release" / "summary.json").read_text())
    for key in ("read", "accepted", "quarantined", "clusters_released", "clusters_suppressed", "quizzing_share",
                "pii_removed_by_type"):
        assert key in written
    assert written == summary.to_json()
    assert summary.read == summary.accepted + summary.quarantined == 320
    assert summary.clusters_released > 0


def test_when_run_then_audit_passes_and_thresholds_hold(ran):
    ws, _ = ran
    audit = json.loads((ws / "release" / "audit.json").read_text())
    assert audit["passed"], [c for c in audit["checks"] if not c["passed"]]
    for c in json.loads((ws / "release" / "clusters.json").read_text())["clusters"]:
        assert c["users"] >= 5 and c["conversations"] >= 10


def test_no_planted_pii_anywhere_in_release_or_private_tier(ran, corpus):
    ws, _ = ran
    planted = planted_values(corpus[1])
    assert planted
    for f in list((ws / "release").rglob("*")) + list((ws / "private").rglob("*.json*")):
        if f.is_file():
            text = norm(f.read_text(errors="ignore"))
            leaked = [v for v in planted if norm(v) in text]
            assert not leaked, (f.name, len(leaked))


def test_private_tier_has_hashed_users_and_no_raw_user_ids(ran, corpus):
    ws, _ = ran
    text = (ws / "private" / "conversations.jsonl").read_text()
    assert '"user": "u_' in text and "user0000" not in text


def test_when_rerun_unchanged_then_stages_are_skipped(ran, corpus, scrubber, fast_config):
    ws, _ = ran
    private = ws / "private"

    def stage_files():  # the release ledger is the release's own record, rewritten by every release
        return {p.name: p.stat().st_mtime_ns for p in private.glob("*.*") if not p.name.startswith("release_ledger")}

    before = stage_files()
    run([corpus[0]], ws, fast_config, Components(scrubber=scrubber))
    after = stage_files()
    assert before == after


def test_when_cluster_config_changes_then_only_downstream_recomputes(ran, corpus, scrubber, fast_config):
    ws, _ = ran
    conv = (ws / "private" / "conversations.jsonl").stat().st_mtime_ns
    clusters = (ws / "private" / "clusters.npz").stat().st_mtime_ns
    cfg = fast_config.replace(cluster={"noise_assign_similarity": 0.45})
    run([corpus[0]], ws, cfg, Components(scrubber=scrubber))
    assert (ws / "private" / "conversations.jsonl").stat().st_mtime_ns == conv
    assert (ws / "private" / "clusters.npz").stat().st_mtime_ns != clusters


def test_export_assignments_covers_every_conversation(ran, tmp_path):
    ws, _ = ran
    out = tmp_path / "a.jsonl"
    n = export_assignments(ws, out)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert n == len(rows) == 320
    assert all(len(r["levels"]) == 2 for r in rows)
    assert all((r["levels"][0] is None) == (r["levels"][1] is None) for r in rows)


def test_when_no_user_ids_then_one_shared_user_suppresses_everything(tmp_path, scrubber, fast_config):
    path, _, _ = write_corpus(tmp_path / "s.jsonl", SynthConfig(n=200, seed=4))
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    for r in rows:
        r.pop("user_id")
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    s1 = run([path], tmp_path / "w", fast_config, Components(scrubber=scrubber))
    assert s1.clusters_released == 0 and s1.clusters_suppressed > 0
    cfg = fast_config.replace(release={"one_user_per_conversation": True})
    s2 = run([path], tmp_path / "w", cfg, Components(scrubber=scrubber))
    assert s2.clusters_released > 0


def test_switching_the_embedding_model_in_a_workspace_keeps_each_models_vectors_apart(ran, corpus, scrubber,
                                                                                    fast_config):
    from clio.embed.embedders import HashEmbedder

    ws, _ = ran
    small = HashEmbedder(dim=128)  # a second model ("hash-128") with another dimension
    run([corpus[0]], ws, fast_config.replace(embed={"model": "hash-128"}), Components(scrubber=scrubber,
                                                                                       embedder=small))
    caches = sorted((ws / "private" / "cache").glob("vectors-*.npz"))
    assert len(caches) == 2  # one per model; mixing 256-d and 128-d vectors in one file used to crash
    run([corpus[0]], ws, fast_config, Components(scrubber=scrubber))  # and back again, from its own cache


def test_facets_stage_key_follows_the_extra_facets_file_content_not_spending_limits(tmp_path):
    from clio.facets.config import FacetConfig
    from clio.pipeline import _facets_identity

    extra = tmp_path / "more.yaml"
    extra.write_text("- {name: tone, question: What tone?, type: enum, values: [calm, upset]}\n")
    base = FacetConfig(backend="anthropic", extra_file=str(extra))
    assert _facets_identity(base) == _facets_identity(FacetConfig(backend="anthropic", extra_file=str(extra),
                                                                   max_cost=0.5, timeout=5.0))
    before = _facets_identity(base)
    extra.write_text("- {name: tone, question: What tone?, type: enum, values: [calm, upset, angry]}\n")
    assert _facets_identity(base) != before
    assert _facets_identity(FacetConfig(backend="anthropic", model="other")) != _facets_identity(
        FacetConfig(backend="anthropic"))
