"""Facets stage: scrubbed conversations in, facets out, through one `Facetizer` (offline or an LLM)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol

from clio.facets.config import FacetConfig
from clio.facets.extractive import ExtractiveFacetizer
from privacy.dp import Categories
from privacy.private import PrivateConversation, PrivateFacets


class Facetizer(Protocol):
    name: str

    def facets_many(self, convs: Sequence[PrivateConversation]) -> list[PrivateFacets]: ...


def make_facetizer(config: FacetConfig, cache_path=None, quiz_embedder=None) -> Facetizer:
    """The offline facetizer (with the quizzing/asking form model when given a MiniLM `quiz_embedder`), or an
    LLM one (which only ever sees scrubbed conversations)."""
    if config.backend == "none":
        return ExtractiveFacetizer(config, quiz_embedder)
    from pathlib import Path

    from clio.facets.spec import load_spec
    from clio.llm.backends import make_backend
    from clio.llm.cache import LLMCache
    from clio.llm.cost import Budget
    from clio.facets.llm import LLMFacetizer

    backend = make_backend(config.llm_config())
    spec = load_spec(Path(config.extra_file) if config.extra_file else None)
    budget = Budget(model=backend.model, max_usd=config.max_cost, prices=config.prices)
    # the LLM answers quizzing/asking itself: its offline base (and fallback) uses the cues alone
    return LLMFacetizer(backend, spec, LLMCache(cache_path), budget, config.max_attempts, ExtractiveFacetizer(config))


def facet_conversations(convs: Iterable[PrivateConversation], facetizer: Facetizer,
                        chunk: int = 5000) -> Iterator[PrivateFacets]:
    """Stage function: scrubbed conversations -> facets (same order), in chunks so LLM backends can batch."""
    buf: list[PrivateConversation] = []
    for conv in convs:
        buf.append(conv)
        if len(buf) >= chunk:
            yield from facetizer.facets_many(buf)
            buf = []
    if buf:
        yield from facetizer.facets_many(buf)


def dp_categories() -> Categories:
    """The public lists differential privacy's histograms are taken over: the facet set's domains and every
    language code the detector can return (fixed before any data is read)."""
    from clio.facets.language import known_languages
    from clio.facets.spec import load_spec

    domains = next(f.values for f in load_spec().facets if f.name == "domain")
    return Categories(domains=tuple(domains), languages=known_languages())
