"""The LLM suite writer (`clio suite --llm anthropic|openai`) through the real SDKs against the local fake server:
it is shown released text only, and its answers pass the run's scan (the scrubber, `LLMContext.scan`, as every
other LLM answer) before they are parsed, cached or become suite items; the items then go through the suite's own
checks and keep their provenance and grading material."""
from __future__ import annotations

import json

import pytest

from clio.embed.embedders import HashEmbedder
from clio.llm import LLMConfig
from clio.llm.context import LLMContext
from clio.llm.suite_writer import LLMItemWriter
from domains.registry import get_taxonomy
from domains.suite import build_suite
from privacy.public import PublicClusters
from tests.domains.conftest import FAKE_RELEASE

pytestmark = pytest.mark.slow  # the real scrubber
LEAK = "Wenzeslaus Okonkwo-Brandt"  # the name the fake model writes into every item


@pytest.mark.parametrize("backend", ["anthropic", "openai"])
def test_llm_items_are_scrubbed_before_they_are_parsed_cached_or_used(backend, llm_server, scrubber, tmp_path):
    llm_server.leak_name = LEAK
    url = llm_server.url + ("/v1" if backend == "openai" else "")
    ctx = LLMContext.create(LLMConfig(backend=backend, base_url=url, timeout=5.0), tmp_path / "llm.jsonl", 5.0,
                            scan=lambda text: scrubber.scrub_texts([text])[0])
    writer = LLMItemWriter(ctx)
    clusters = list(PublicClusters.from_json(FAKE_RELEASE).clusters)
    build = build_suite(get_taxonomy("medical"), clusters, HashEmbedder(dim=4096), n_items=20, writer=writer,
                        has_pii=lambda texts: [bool(f) for f in scrubber.find(list(texts), 0.5)])

    assert llm_server.bodies, "nothing was sent to the model"
    released = {s for c in FAKE_RELEASE["clusters"] for s in [c["name"], c["description"], *c["exemplars"]]}
    sent = json.dumps(llm_server.bodies, ensure_ascii=False)
    assert any(s in sent for s in released)  # the writer is shown the release ...
    assert "Python debugging help" not in sent  # ... of the clusters the domain gate admitted only
    cache = (tmp_path / "llm.jsonl").read_text(encoding="utf-8")
    assert LEAK not in cache and "Okonkwo" not in cache and "<PERSON_" in cache
    llm = [it for it in build.items if it.source == "llm"]
    assert llm, build.dropped
    for it in build.items:
        assert "Okonkwo" not in it.input and it.rubric
    for it in llm:
        assert it.provenance.startswith(f"llm:{backend}:") and it.provenance.endswith(f":{it.cluster_id}")
        assert it.grading in ("choice", "rubric")
    assert len({it.input for it in build.items}) == len(build.items)
    assert writer.report()["requests"] >= 1
