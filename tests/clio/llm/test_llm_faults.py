"""LLM faults against the local fake servers (real SDK clients): rate limits, server errors and timeouts on 10% and
on 100% of requests, malformed answers, a rejected key. Retries are bounded, fallbacks are counted in the manifest,
a run with too many fallbacks is not released, and no request body, answer or key reaches any log or output."""
from __future__ import annotations

import json
import logging

import pytest
from click.testing import CliRunner

from clio.cli import main
from clio.synth.corpus import SynthConfig, write_corpus

KEY = "test-key"  # the fixture's API key: must never be logged


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("faults")
    path, _, _ = write_corpus(d / "s.jsonl", SynthConfig(n=30, seed=8, users=20))
    return path


def run_cli(llm_server, corpus, tmp_path, caplog, *, retries=2, attempts=3, share=None):
    cfg = tmp_path / "c.yaml"
    facets = f"timeout: 1.0, poll_seconds: 0.01, max_retries: {retries}, max_attempts: {attempts}"
    if share is not None:
        facets += f", max_fallback_share: {share}"
    cfg.write_text("embed: {model: hash}\ncluster: {reducer: pca}\nscrub: {n_process: 1}\n"
                   "release: {min_users: 2, min_conversations: 3}\nfacets: {" + facets + "}\n")
    caplog.set_level(logging.DEBUG)  # as a user with debug logging on would run it
    res = CliRunner().invoke(main, ["run", str(corpus), "--workspace", str(tmp_path / "w"), "--config", str(cfg),
                                    "--llm", "anthropic", "--base-url", llm_server.url])
    logged = "\n".join(f"{r.name} {r.getMessage()}" for r in caplog.records)
    manifest = json.loads((tmp_path / "w" / "manifest.json").read_text()) \
        if (tmp_path / "w" / "manifest.json").exists() else {}
    return res, logged, manifest


def assert_nothing_private_logged(llm_server, res, logged):
    prompts = [b["messages"][0]["content"] for b in llm_server.bodies if "messages" in b]
    assert prompts
    snippets = [line for p in prompts for line in p.splitlines() if len(line) > 30][:50]
    for text in (res.output, logged):
        assert KEY not in text
        assert not [s for s in snippets if s in text], "a request body reached the log or output"
        assert "x-api-key" not in text.lower()


def test_failures_on_10_percent_of_requests_are_retried_and_the_run_releases(llm_server, corpus, tmp_path, caplog):
    llm_server.script = [("429", "500", "timeout")[i // 10 % 3] if i % 10 == 0 else "malformed" if i == 5 else "ok"
                         for i in range(200)]
    res, logged, manifest = run_cli(llm_server, corpus, tmp_path, caplog)
    assert res.exit_code == 0, res.output
    llm = manifest["stages"]["facets"]["llm"]
    assert llm["fallbacks"] == 0 and llm["conversations"] == 30
    assert llm["invalid"] >= 1  # the malformed answers were asked again
    assert_nothing_private_logged(llm_server, res, logged)


def test_failures_on_every_request_stop_the_run_with_fallbacks_counted_and_nothing_released(
        llm_server, corpus, tmp_path, caplog):
    llm_server.script = ["500"] * 10_000
    res, logged, manifest = run_cli(llm_server, corpus, tmp_path, caplog, retries=0, attempts=2)
    assert res.exit_code == 1
    assert "30 of 30 conversations (100%) fell back" in res.output and "max_fallback_share" in res.output
    assert manifest["stages"]["facets"]["llm"]["fallbacks"] == 30
    assert not (tmp_path / "w" / "release" / "clusters.json").exists()
    assert len(llm_server.bodies) == 30 * 2  # bounded: one request per conversation and attempt, no more
    assert "Traceback" not in res.output
    assert_nothing_private_logged(llm_server, res, logged)


def test_a_share_of_fallbacks_under_the_limit_is_released_and_counted(llm_server, corpus, tmp_path, caplog):
    # round one: the first three conversations answer garbage; round two (their re-asks): garbage again
    llm_server.script = ["malformed"] * 3 + ["ok"] * 27 + ["malformed"] * 3 + ["ok"] * 500
    res, _, manifest = run_cli(llm_server, corpus, tmp_path, caplog, retries=0, attempts=2, share=0.2)
    assert res.exit_code == 0, res.output
    assert manifest["stages"]["facets"]["llm"]["fallbacks"] == 3


def test_a_rejected_key_stops_at_the_first_request_with_a_clear_message(llm_server, corpus, tmp_path, caplog):
    llm_server.script = ["401"] * 100
    res, logged, _ = run_cli(llm_server, corpus, tmp_path, caplog)
    assert res.exit_code == 1 and "rejected the key in $ANTHROPIC_API_KEY (HTTP 401)" in res.output
    assert len(llm_server.bodies) == 1  # not retried, not asked for every conversation
    assert "Traceback" not in res.output
    assert_nothing_private_logged(llm_server, res, logged)


def test_the_openai_backend_reports_a_rejected_key_the_same_way(llm_server, corpus, tmp_path):
    from clio.facets.config import FacetConfig
    from clio.llm import LLMKeyRejected, LLMRequest
    from clio.llm.backends import make_backend

    llm_server.script = ["401"]
    backend = make_backend(FacetConfig(backend="openai", base_url=llm_server.url + "/v1", model="m",
                                       timeout=1.0).llm_config())
    with pytest.raises(LLMKeyRejected, match=r"\$OPENAI_API_KEY \(HTTP 401\)"):
        backend.complete_many([LLMRequest(key="k", system="s", user="json please")])
