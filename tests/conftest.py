"""Shared fixtures: one real Presidio scrubber per session (small spaCy model, single process), the fast offline
config, and the fake LLM server. Every random draw in the tests is seeded, hypothesis's included."""
from __future__ import annotations

import os

import pytest
from hypothesis import settings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
os.environ.setdefault("CLIO_PROGRESS", "0")

settings.register_profile("seeded", derandomize=True)  # the same examples on every run, so a failure reproduces
settings.load_profile("seeded")


@pytest.fixture(scope="session")
def scrubber():
    from privacy.scrub import Scrubber, ScrubConfig

    return Scrubber(ScrubConfig(n_process=1))


@pytest.fixture(scope="session")
def fast_config():
    """Offline fast pipeline: hash embedder, PCA reducer, small release thresholds."""
    from clio.config import PipelineConfig

    return PipelineConfig().replace(embed={"model": "hash"}, cluster={"reducer": "pca"},
                                    scrub={"n_process": 1}, release={"min_users": 5, "min_conversations": 10})


@pytest.fixture
def llm_server(monkeypatch):
    """A local server speaking the Anthropic and OpenAI APIs (the real SDK clients talk to it), with test keys."""
    from tests.fakes.llm_server import FakeLLMServer

    monkeypatch.setenv("ANTHROPIC_API_KEY", "test-key")
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    with FakeLLMServer() as s:
        yield s
