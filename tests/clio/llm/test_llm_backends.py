"""Real `anthropic` and `openai` SDK clients against local servers speaking each API."""
from __future__ import annotations

import json

import pytest

from clio.facets.config import FacetConfig
from clio.facets.spec import load_spec
from clio.facets.stage import make_facetizer
from clio.llm.context import LLMContext
from clio.llm.cost import Budget, BudgetExceeded
from clio.pipeline import Components, run
from clio.synth.corpus import SynthConfig, write_corpus
from tests.fakes.planted import planted_values


@pytest.fixture(scope="module")
def scrubbed(tmp_path_factory, scrubber, fast_config):
    """A small workspace whose conversations are already scrubbed (the only thing LLMs may see)."""
    d = tmp_path_factory.mktemp("llm")
    path, labels, _ = write_corpus(d / "s.jsonl", SynthConfig(n=30, seed=5, users=20, pii_share=1.0))
    run([path], d / "w", fast_config, Components(scrubber=scrubber))
    from clio.pipeline import load_conversations
    from clio.workspace import Workspace

    planted = planted_values(labels)
    return list(load_conversations(Workspace(d / "w"))), planted, path, labels


def facetizer(llm_server, tmp_path, **kw):
    cfg = FacetConfig(**{"backend": "anthropic", "base_url": llm_server.url, "timeout": 1.0, "max_retries": 2,
                         "poll_seconds": 0.01, **kw})
    return make_facetizer(cfg, LLMContext.create(cfg.llm_config(), tmp_path / "llm.jsonl", cfg.max_cost))


def no_pii_in_requests(llm_server, planted):
    text = json.dumps(llm_server.bodies)
    return [v for v in planted if v in text]


def test_anthropic_messages_give_validated_facets_and_see_no_pii(llm_server, scrubbed, tmp_path):
    convs, planted, _, _ = scrubbed
    f = facetizer(llm_server, tmp_path)
    rows = f.facets_many(convs)
    assert len(rows) == len(convs) and all(r.source.startswith("llm:anthropic") for r in rows)
    assert all(r.summary.startswith("Help with") for r in rows)
    assert llm_server.paths.count("/v1/messages") == len(convs)
    assert llm_server.bodies[0]["system"][0]["cache_control"] == {"type": "ephemeral"}  # prompt caching
    assert not no_pii_in_requests(llm_server, planted)
    assert f.budget.input_tokens > 0


def test_rerun_is_served_from_cache_with_zero_calls(llm_server, scrubbed, tmp_path):
    convs, _, _, _ = scrubbed
    facetizer(llm_server, tmp_path).facets_many(convs)
    before = len(llm_server.bodies)
    again = facetizer(llm_server, tmp_path)
    again.facets_many(convs)
    assert len(llm_server.bodies) == before and again.stats["cache_hits"] == len(convs)


def test_429_500_and_timeouts_are_retried_by_the_sdk(llm_server, scrubbed, tmp_path):
    convs, _, _, _ = scrubbed
    llm_server.script = ["429", "500", "timeout"]
    rows = facetizer(llm_server, tmp_path).facets_many(convs[:2])
    assert all(r.source.startswith("llm:") for r in rows)


def test_malformed_replies_are_asked_again_then_fall_back_counted(llm_server, scrubbed, tmp_path):
    convs, _, _, _ = scrubbed
    llm_server.script = ["malformed", "ok", "ok", "ok", "invalid", "invalid", "invalid"]
    f = facetizer(llm_server, tmp_path, max_attempts=3)
    rows = f.facets_many(convs[:2])
    assert rows[0].source.startswith("llm:")  # malformed first, fixed on the second ask
    assert "could not be used" in llm_server.bodies[2]["messages"][0]["content"]
    rows = f.facets_many(convs[2:4])  # conv2 ok; conv3 invalid three times
    assert rows[1].source == "offline-fallback" and rows[1].summary  # never dropped
    assert f.stats["fallbacks"] == 0 + 1 and f.stats["retries"] == 1 + 2


def test_message_batches_api_for_large_runs(llm_server, scrubbed, tmp_path):
    convs, planted, _, _ = scrubbed
    f = facetizer(llm_server, tmp_path, batch_threshold=10)
    rows = f.facets_many(convs)
    assert any(p.endswith("/messages/batches") for p in llm_server.paths)
    assert any(p.endswith("/results") for p in llm_server.paths)
    assert sum(p.endswith("/messages") for p in llm_server.paths) == 0
    assert all(r.source.startswith("llm:") for r in rows)
    assert not no_pii_in_requests(llm_server, planted)


def test_openai_compatible_server(llm_server, scrubbed, tmp_path):
    convs, planted, _, _ = scrubbed
    cfg = FacetConfig(backend="openai", base_url=llm_server.url + "/v1", model="local-model", timeout=1.0)
    rows = make_facetizer(cfg, LLMContext.create(cfg.llm_config(), tmp_path / "c.jsonl")).facets_many(convs[:5])
    assert all(r.source == "llm:openai:local-model" for r in rows)
    assert llm_server.bodies[0]["response_format"] == {"type": "json_object"}
    assert not no_pii_in_requests(llm_server, planted)


def test_max_cost_stops_before_spending(llm_server, scrubbed, tmp_path):
    convs, _, _, _ = scrubbed
    f = facetizer(llm_server, tmp_path, max_cost=0.000001, model="claude-sonnet-4-5")
    with pytest.raises(BudgetExceeded):
        f.facets_many(convs)
    assert llm_server.bodies == []


def test_cli_run_with_llm_prints_estimate_and_records_spend(llm_server, scrubbed, tmp_path):
    from click.testing import CliRunner

    from clio.cli import main

    _, planted, path, _ = scrubbed
    cfg = tmp_path / "c.yaml"
    cfg.write_text("embed: {model: hash}\ncluster: {reducer: pca}\nscrub: {n_process: 1}\n"
                   "release: {min_users: 2, min_conversations: 3}\nfacets: {timeout: 1.0, poll_seconds: 0.01}\n")
    res = CliRunner().invoke(main, ["run", str(path), "--workspace", str(tmp_path / "w"), "--config", str(cfg),
                                    "--llm", "anthropic", "--base-url", llm_server.url, "--max-cost", "5"])
    assert res.exit_code == 0, res.output
    assert "estimated" in res.output and "LLM facets done" in res.output
    manifest = json.loads((tmp_path / "w" / "manifest.json").read_text())
    assert manifest["stages"]["facets"]["llm"]["spend"]["input_tokens"] > 0
    assert not [v for v in planted if v in res.output]


def test_a_run_with_offline_fallbacks_asks_only_those_again_next_time(llm_server, scrubbed, tmp_path):
    from clio.config import PipelineConfig

    _, _, path, _ = scrubbed
    cfg = PipelineConfig().replace(embed={"model": "hash"}, cluster={"reducer": "pca"}, scrub={"n_process": 1},
                                   release={"min_users": 2, "min_conversations": 3})
    cfg = cfg.replace(facets={"backend": "anthropic", "base_url": llm_server.url, "timeout": 1.0, "max_attempts": 1,
                              "poll_seconds": 0.01})
    llm_server.script = ["invalid"]  # the first conversation's only answer is unusable: it falls back offline
    run([path], tmp_path / "w", cfg)
    manifest = json.loads((tmp_path / "w" / "manifest.json").read_text())
    assert manifest["stages"]["facets"]["llm"]["fallbacks"] == 1
    run([path], tmp_path / "w", cfg)  # the stage is not fresh: the fallback is asked again, the rest is cached
    manifest = json.loads((tmp_path / "w" / "manifest.json").read_text())
    assert manifest["stages"]["facets"]["llm"]["fallbacks"] == 0
    llm = manifest["stages"]["facets"]["llm"]
    assert llm["cache_hits"] == llm["conversations"] - 1 and llm["requests"] == 1


def test_user_declared_facets_are_validated(tmp_path):
    extra = tmp_path / "f.yaml"
    extra.write_text("facets:\n  - {name: tone, type: enum, question: 'What is the tone?', values: [calm, upset]}\n")
    spec = load_spec(extra)
    assert spec.validate_answer({"summary": "x", "task": "t", "domain": "general", "concern": 1,
                                 "quiz_label": "asking", "tone": "angry"}) == ["tone: must be one of calm, upset"]
    extra.write_text("facets:\n  - {name: summary, type: text, question: duplicate name here}\n")
    with pytest.raises(ValueError, match="duplicate"):
        load_spec(extra)


def test_llm_privacy_rater_parses_ratings_and_treats_garbage_as_unsafe(llm_server):
    from clio.llm import LLMConfig
    from clio.llm.backends import make_backend
    from clio.llm.rater import LLMPrivacyRater
    from privacy.llm_audit import flagged_by_rater

    backend = make_backend(LLMConfig(backend="anthropic", base_url=llm_server.url, timeout=1.0))
    rater = LLMPrivacyRater(LLMContext(backend, None, Budget(model=backend.model)))
    # the fake answers with facet JSON, which holds the digit 1 ("concern": 1) -> rated 1; malformed twice -> 5
    llm_server.script = ["ok", "malformed", "malformed"]
    assert rater.rate(["python loops", "cover letters"]) == [1, 5]
    llm_server.script = ["ok", "malformed", "malformed"]
    assert flagged_by_rater(rater, ["python loops", "cover letters"]) == {"cover letters"}
    llm_server.script = ["malformed"]  # one unusable answer is asked again
    assert rater.rate(["cover letters"]) == [1] and rater.stats["invalid"] == 5 and rater.stats["retries"] == 3


def test_llm_privacy_rater_is_cached_and_charged_to_the_run_budget(llm_server, tmp_path):
    from clio.llm import LLMConfig
    from clio.llm.backends import make_backend
    from clio.llm.cache import LLMCache
    from clio.llm.rater import LLMPrivacyRater

    backend = make_backend(LLMConfig(backend="anthropic", base_url=llm_server.url, timeout=1.0))
    budget = Budget(model="claude-haiku-4-5", max_usd=1.0)
    rater = LLMPrivacyRater(LLMContext(backend, LLMCache(tmp_path / "llm.jsonl"), budget))
    assert rater.rate(["python loops", "python loops", "cover letters"]) == [1, 1, 1]
    sent = len(llm_server.bodies)
    assert sent == 2 and budget.spent_usd > 0
    again = LLMPrivacyRater(LLMContext(backend, LLMCache(tmp_path / "llm.jsonl"), budget))
    assert again.rate(["cover letters", "python loops"]) == [1, 1] and len(llm_server.bodies) == sent
    with pytest.raises(BudgetExceeded):
        LLMPrivacyRater(LLMContext(backend, None, Budget(model="claude-haiku-4-5", max_usd=0.0))).rate(["new text"])
    assert len(llm_server.bodies) == sent


def test_identical_conversations_are_asked_once_even_in_a_batch(llm_server, scrubbed, tmp_path):
    import dataclasses

    convs = scrubbed[0][:3]
    twins = convs + [dataclasses.replace(c, id=c.id + "-again") for c in convs]
    rows = facetizer(llm_server, tmp_path, batch_threshold=2).facets_many(twins)  # the API refuses repeated custom_ids
    sent = [r for b in llm_server.bodies if "requests" in b for r in b["requests"]]
    assert len(sent) == 3 and [r.summary for r in rows[:3]] == [r.summary for r in rows[3:]]
    assert all(r.source.startswith("llm:") for r in rows)


def test_privacy_rater_on_openai_asks_for_plain_text_not_json_mode(llm_server):
    from clio.llm import LLMConfig
    from clio.llm.backends import make_backend
    from clio.llm.rater import LLMPrivacyRater

    backend = make_backend(LLMConfig(backend="openai", base_url=llm_server.url + "/v1", model="m", timeout=1.0))
    # JSON mode is refused (400) when the messages never mention JSON: that would rate everything 5 and drop it
    assert LLMPrivacyRater(LLMContext(backend, None, Budget(model=backend.model))).rate(["python loops"]) == [1]
    assert "response_format" not in llm_server.bodies[-1]
