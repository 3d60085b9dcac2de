"""The LLM boundary: `clio run --llm anthropic|openai` through the real SDKs against local servers, on planted
names in every form a chat writes them (`clio.synth.name_forms`). No planted value reaches a request body or
header, the run's output, its log lines or `private/cache/`; and a name the model itself writes is scrubbed
before anything is stored."""
from __future__ import annotations

import json
import logging
import re

import pytest
from click.testing import CliRunner

from clio.cli import main
from clio.synth.name_forms import name_form_cases, write_cases

pytestmark = pytest.mark.slow
LEAK = "Wenzeslaus Okonkwo-Brandt"  # the name the fake model writes into every summary


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("forms")
    cases = name_form_cases(per_form=3, seed=11)
    path = d / "forms.jsonl"
    write_cases(cases, path)
    return path, [v for c in cases for v in c.planted]


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).lower()


@pytest.mark.parametrize("backend", ["anthropic", "openai"])
def test_no_planted_name_crosses_the_llm_boundary(backend, corpus, llm_server, tmp_path, caplog):
    path, planted = corpus
    llm_server.leak_name = LEAK
    cfg = tmp_path / "c.yaml"
    cfg.write_text("embed: {model: hash}\ncluster: {reducer: pca}\nscrub: {n_process: 1}\n"
                   "release: {min_users: 2, min_conversations: 3}\nfacets: {timeout: 1.0, poll_seconds: 0.01}\n")
    ws = tmp_path / "w"
    caplog.set_level(logging.DEBUG)
    args = ["run", str(path), "--workspace", str(ws), "--config", str(cfg), "--llm", backend,
            "--base-url", llm_server.url + ("/v1" if backend == "openai" else ""), "--max-cost", "5"]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    assert llm_server.bodies, "the run sent nothing to the model"

    sent = _norm(json.dumps(llm_server.bodies, ensure_ascii=False) + json.dumps(llm_server.headers))
    said = _norm(res.output + "\n".join(r.getMessage() for r in caplog.records))
    cache = _norm("".join(p.read_text(encoding="utf-8", errors="replace")
                       for p in (ws / "private" / "cache").rglob("*") if p.is_file()))
    stored = _norm("".join(p.read_text(encoding="utf-8") for p in (ws / "private").glob("*.jsonl")))
    for where, text in (("request", sent), ("output or log", said), ("private/cache", cache)):
        leaked = [v for v in planted if _norm(v) in text]
        assert not leaked, f"planted names in {where}: {leaked[:5]}"
    # the model's own name is scrubbed before it is cached or becomes a facet
    assert _norm(LEAK) not in cache and _norm(LEAK) not in stored
    assert "<person_" in cache
