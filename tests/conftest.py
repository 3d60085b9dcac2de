"""Shared fixtures: one real Presidio scrubber per session (small spaCy model, single process)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
os.environ.setdefault("CLIO_PROGRESS", "0")

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(scope="session")
def scrubber():
    from privacy.scrub import ScrubConfig, Scrubber

    return Scrubber(ScrubConfig(n_process=1))


@pytest.fixture(scope="session")
def fast_config():
    """Offline fast pipeline: hash embedder, PCA reducer, small release thresholds."""
    from clio.config import PipelineConfig

    return PipelineConfig().replace(embed={"model": "hash"}, cluster={"reducer": "pca"},
                                    scrub={"n_process": 1}, release={"min_users": 5, "min_conversations": 10})


def shared_data(*parts: str) -> Path:
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"../shared/data not present ({p})")
    return p
