"""LLM cluster naming (Clio's contrastive method) against the fake Anthropic llm_server: names pass phrase support and
the gate, prompts are contrastive, bad answers fall back to the offline names (counted), answers are cached."""
from __future__ import annotations

import json
import re
from types import SimpleNamespace

import numpy as np
import pytest

from clio.cluster.naming.compose import COMPOSER, compose_description, compose_name
from clio.cluster.naming.ctfidf import CtfidfNamer
from clio.cluster.naming.llm import LLMNamer, nearest_others
from clio.cluster.naming.namer import NamingConfig
from clio.embed.embedders import HashEmbedder
from clio.llm import LLMConfig
from clio.llm.backends import make_backend
from clio.llm.cache import LLMCache
from clio.llm.context import LLMContext
from clio.llm.cost import Budget, BudgetExceeded
from clio.pipeline import Components, load_clusters, load_facets, phrase_support, run
from clio.synth.corpus import SynthConfig, write_corpus
from clio.workspace import Workspace
from privacy.phrases import PhraseSupport
from privacy.private import PrivateFacets
from privacy.release import CandidateCluster, ClusterText, ReleasePolicy, gate
from tests.fakes.llm_server import FakeLLMServer
from tests.fakes.planted import norm, planted_values
from tests.fakes.rows import facet_rows
from tests.fakes.scanners import FlagsWord

RATER_SYSTEM = "Answer with one digit."


def user_text(body: dict) -> str:
    return body["messages"][-1]["content"]


def naming_bodies(bodies: list[dict]) -> list[dict]:
    return [b for b in bodies if "messages" in b and re.search(r"<(group|children)>", user_text(b))]


def block(prompt: str, tag: str) -> list[str]:
    m = re.search(rf"<{tag}>\n(.*?)\n</{tag}>", prompt, re.DOTALL)
    return [x[2:] for x in m.group(1).splitlines() if x.startswith("- ")]


@pytest.fixture(scope="module")
def llm_run(tmp_path_factory, scrubber, fast_config):
    """One `clio run --llm anthropic` (facets and names from the fake llm_server) on a small synthetic corpus."""
    d = tmp_path_factory.mktemp("llm_naming")
    path, labels, _ = write_corpus(d / "s.jsonl", SynthConfig(n=320, seed=3, users=60))
    with pytest.MonkeyPatch.context() as mp, FakeLLMServer() as llm_server:
        mp.setenv("ANTHROPIC_API_KEY", "test-key")
        cfg = fast_config.replace(facets={"backend": "anthropic", "base_url": llm_server.url, "timeout": 1.0,
                                          "poll_seconds": 0.01})
        said: list[str] = []
        summary = run([path], d / "w", cfg, Components(scrubber=scrubber), say=said.append)
        yield SimpleNamespace(ws=d / "w", llm_server=llm_server, cfg=cfg, summary=summary, said=said, path=path,
                              labels=labels, scrubber=scrubber)


def released(ws) -> list[dict]:
    return json.loads((ws / "release" / "clusters.json").read_text())["clusters"]


def test_llm_names_pass_phrase_support_and_the_gate_into_the_release(llm_run):
    naming = llm_run.summary.naming
    assert llm_run.summary.namer_model == "llm:anthropic:claude-haiku-4-5"
    assert naming["llm_named"] > 0 and naming["llm_named"] + naming["fallbacks"] == naming["clusters"]
    assert naming["spend"]["input_tokens"] > 0
    cached = [json.loads(r)["text"] for r in (llm_run.ws / "private" / "cache" / "llm.jsonl").read_text().splitlines()]
    llm_names = {json.loads(t)["name"] for t in cached if '"name"' in t}
    support = phrase_support(load_facets(Workspace(llm_run.ws)), llm_run.cfg.release)
    named = [c for c in released(llm_run.ws) if c["name"] in llm_names]
    assert named, "no LLM name reached the release"
    for c in named:
        # c-TF-IDF keywords stay for the gate and the dashboard
        assert support.free_text_ok(c["name"]) and c["keywords"] and "name" in c["model_written"]
    audit = json.loads((llm_run.ws / "release" / "audit.json").read_text())
    assert audit["passed"]
    assert any(c["name"] == "model_written_support" and c["passed"] for c in audit["checks"])
    manifest = json.loads((llm_run.ws / "manifest.json").read_text())
    assert manifest["stages"]["release"]["naming"]["llm_named"] == naming["llm_named"]
    assert any(s.startswith("LLM naming with") and "estimated" in s for s in llm_run.said)
    assert any(s.startswith("LLM naming done") for s in llm_run.said)


def test_contrastive_prompt_shows_the_cluster_and_its_nearest_other_clusters(llm_run):
    rows = load_facets(Workspace(llm_run.ws))
    cl = load_clusters(Workspace(llm_run.ws))
    k = len(cl.centroids)
    summaries = [{" ".join(rows[i].summary.split()) for i in np.where(cl.labels == c)[0]} for c in range(k)]
    near = nearest_others(cl.centroids, [True] * k, NamingConfig().contrast_clusters)
    base = [b for b in naming_bodies(llm_run.llm_server.bodies) if "<group>" in user_text(b)]
    assert len(base) == k * NamingConfig().n_samples
    for b in base:
        inside, outside = block(user_text(b), "group"), block(user_text(b), "contrastive")
        (c,) = [c for c in range(k) if set(inside) <= summaries[c]]
        assert outside and set(outside) <= set().union(*(summaries[j] for j in near[c]))
        assert set(outside) - summaries[c]
    parents = [b for b in naming_bodies(llm_run.llm_server.bodies) if "<children>" in user_text(b)]
    assert parents and all(block(user_text(b), "children") for b in parents)


def test_no_planted_pii_value_reaches_a_request_body(llm_run):
    planted = planted_values(llm_run.labels)
    assert planted and naming_bodies(llm_run.llm_server.bodies)
    sent = norm(json.dumps(llm_run.llm_server.bodies, ensure_ascii=False))
    assert not [v for v in planted if norm(v) in sent]


def test_a_second_run_sends_no_facet_or_naming_request_and_names_the_same(llm_run):
    before, names = len(llm_run.llm_server.bodies), [c["name"] for c in released(llm_run.ws)]
    said: list[str] = []
    summary = run([llm_run.path], llm_run.ws, llm_run.cfg, Components(scrubber=llm_run.scrubber), say=said.append)
    new = llm_run.llm_server.bodies[before:]
    assert [b for b in new if b.get("system", [{}])[0].get("text") != RATER_SYSTEM] == []  # the rater is uncached
    assert summary.naming["requests"] == 0
    assert summary.naming["cache_hits"] == llm_run.summary.naming["candidates"]
    assert [c["name"] for c in released(llm_run.ws)] == names


GROUPS = [["fix python loop error", "python loop runs forever"],
          ["write cover letter for nurse job", "improve cover letter for teacher job"],
          ["plan a cheap trip to rome", "plan a weekend trip to lisbon"]]


def support_for(groups, users: int = 2) -> PhraseSupport:
    return PhraseSupport(((f"u{u}", s) for g in groups for s in g for u in range(users)), users)


def llm_namer(llm_server, tmp_path, embedder=None, budget=None, **cfg) -> LLMNamer:
    backend = make_backend(LLMConfig(backend="anthropic", base_url=llm_server.url, timeout=1.0, max_retries=0))
    support = support_for(GROUPS)
    llm = LLMContext(backend, LLMCache(tmp_path / "llm.jsonl"), budget or Budget(model=backend.model))
    return LLMNamer(llm, embedder or HashEmbedder(), support.word_ok, support.text_ok, NamingConfig(**cfg))


def test_invalid_and_unsupported_answers_fall_back_to_the_offline_names_and_are_counted(llm_server, tmp_path):
    namer = llm_namer(llm_server, tmp_path, n_samples=2, max_attempts=2)
    # first round, two candidates per group: group 0 gets words no user wrote, group 1 one malformed reply
    # (asked again, then fine), group 2 only invalid JSON (too long a name) in both rounds
    llm_server.naming_script = ["unsupported", "unsupported", "malformed", "ok", "invalid", "invalid",
                            "ok", "invalid", "invalid"]
    centroids = HashEmbedder().encode([" ".join(g) for g in GROUPS])
    texts = namer.name(GROUPS, GROUPS, centroids=centroids)
    offline = CtfidfNamer(*(lambda s: (s.word_ok, s.text_ok))(support_for(GROUPS))).name(GROUPS, GROUPS)
    assert texts[0].name == offline[0].name and texts[2].name == offline[2].name
    assert "name" not in texts[0].free_text and "name" not in texts[2].free_text
    assert texts[1].name in {"Write cover letter for nurse job", "Improve cover letter for teacher job"}
    assert texts[1].free_text == ("name", "description") and texts[1].keywords == offline[1].keywords
    assert "could not be used" in user_text(llm_server.bodies[6])
    st = namer.stats
    assert (st["llm_named"], st["fallbacks"], st["unsupported"]) == (1, 2, 2)
    assert (st["requests"], st["retries"], st["invalid"]) == (9, 3, 5)


class AxisEmbedder:
    """Fake embedder: a text lies on the axis of the marker word it holds, so a test decides which name is nearest."""

    name = "axis"
    MARKERS = ("alpha", "beta", "gamma")

    def encode(self, texts):
        out = np.full((len(texts), 3), 0.01, dtype=np.float32)
        for i, t in enumerate(texts):
            for a, w in enumerate(self.MARKERS):
                if w in t.lower():
                    out[i, a] = 1.0
        return out / np.linalg.norm(out, axis=1, keepdims=True)


@pytest.mark.parametrize("axis", [1, 2])
def test_the_candidate_nearest_the_centroid_is_kept(llm_server, tmp_path, axis):
    group = ["alpha sorting question", "beta sorting question", "gamma sorting question"]
    support = support_for([group])
    backend = make_backend(LLMConfig(backend="anthropic", base_url=llm_server.url, timeout=1.0))
    namer = LLMNamer(LLMContext(backend, LLMCache(tmp_path / "c.jsonl"), Budget(model=backend.model)), AxisEmbedder(),
                     support.word_ok, support.text_ok)
    centroid = np.eye(3, dtype=np.float32)[[axis]]
    (text,) = namer.name([group], [group], centroids=centroid)
    assert len(llm_server.bodies) == 3  # candidate i names example i: alpha, beta, gamma
    assert text.name == f"{AxisEmbedder.MARKERS[axis].capitalize()} sorting question"


def test_naming_spend_counts_toward_the_budget(llm_server, tmp_path):
    budget = Budget(model="claude-sonnet-4-5", max_usd=0.000001)
    namer = llm_namer(llm_server, tmp_path, budget=budget)
    with pytest.raises(BudgetExceeded):
        namer.name(GROUPS, GROUPS, centroids=HashEmbedder().encode([" ".join(g) for g in GROUPS]))
    assert llm_server.bodies == []


def test_gate_replaces_a_flagged_llm_name_with_the_name_composed_from_keywords():
    rows = facet_rows([f"u{i}" for i in range(30)])
    kws = ("python loops", "errors")

    def release(name, description):
        t = ClusterText(name=name, description=description, keywords=kws, exemplars=(),
                        free_text=("name", "description"))
        res = gate(rows, [CandidateCluster("b0", 0, None, tuple(range(30)), t)], ReleasePolicy(),
                   FlagsWord("garcia"), COMPOSER)
        return res.released[0], res.strings_dropped["pii_rescan"]

    kept, dropped = release("Fix errors in Python loops", "Requests to fix errors in python loops.")
    assert (kept.name, kept.description, dropped) == ("Fix errors in Python loops",
                                                         "Requests to fix errors in python loops.", 0)
    assert kept.model_written == ("name", "description")
    flagged, dropped = release("Help Garcia fix Python loops", "Garcia asks about python loops.")
    assert flagged.name == compose_name(kws) and flagged.description == compose_description(kws)
    assert dropped == 2 and "garcia" not in json.dumps(flagged.to_json()).lower()
    assert "model_written" not in flagged.to_json()


def test_a_model_written_string_dropped_by_the_final_scan_is_no_longer_marked_model_written():
    class FlagsOnSecondLook:  # e.g. the LLM rater: the final pass over composed strings flags what the first kept
        calls = 0

        def find(self, texts, threshold):
            self.calls += 1
            return [["PERSON"] if self.calls > 1 and "garcia" in t.lower() else [] for t in texts]

    rows = facet_rows([f"u{i}" for i in range(30)])
    t = ClusterText(name="Fix errors in Python loops", description="Garcia asks about python loops.",
                    keywords=("python loops", "errors"), exemplars=(), free_text=("name", "description"))
    (e,) = gate(rows, [CandidateCluster("b0", 0, None, tuple(range(30)), t)], ReleasePolicy(),
                FlagsOnSecondLook(), COMPOSER).released
    assert e.description == "" and e.model_written == ("name",)


def test_llm_summaries_in_english_cluster_together_whatever_the_conversation_language():
    from clio.cluster.stage import summary_languages
    from clio.config import PipelineConfig

    def row(i, summary, lang):
        return PrivateFacets(id=str(i), user=None, summary=summary, language=lang, turns=2, user_turns=1,
                             quiz_label="asking", quiz_score=0.1, quiz_turn_share=0.0)

    rows = [row(0, "Write a cover letter for a nursing job", "ru"),
            row(1, "Explain how compound interest grows over time", "de"),
            row(2, "Помогите написать сопроводительное письмо для работы", "ru")]  # an offline fallback
    assert summary_languages(rows, PipelineConfig()) == ["ru", "de", "ru"]
    llm = PipelineConfig().replace(facets={"backend": "anthropic"})
    assert summary_languages(rows, llm) == ["en", "en", "ru"]
