"""Facets stage: scrubbed conversations in, facets out, through one `Facetizer` (offline or an LLM)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Protocol

from clio.facets.config import FacetConfig
from clio.facets.extractive import ExtractiveFacetizer
from privacy.dp import Categories
from privacy.private import PrivateConversation, PrivateFacets

if TYPE_CHECKING:
    from clio.llm.context import LLMContext


class Facetizer(Protocol):
    """Scrubbed conversations in, facets out. `version` names what labels quizzing/asking (part of the stage's cache
    key; "" when the LLM does); `estimate` gives an LLM's tokens and price before anything is sent (None offline);
    `report` holds aggregate counts for the manifest ({} offline)."""

    name: str
    version: str

    def facets_many(self, convs: Sequence[PrivateConversation]) -> list[PrivateFacets]: ...

    def estimate(self, convs: Sequence[PrivateConversation]) -> dict | None: ...

    def report(self) -> dict: ...


def make_facetizer(config: FacetConfig, llm: LLMContext | None = None, quiz_embedder=None) -> Facetizer:
    """The offline facetizer (with the quizzing/asking form model when given a MiniLM `quiz_embedder`), or, when
    `config.backend` names an LLM, one asking it through `llm` (it only ever sees scrubbed conversations)."""
    if config.backend == "none":
        return ExtractiveFacetizer(config, quiz_embedder)
    from pathlib import Path

    from clio.facets.llm import LLMFacetizer
    from clio.facets.spec import load_spec

    if llm is None:
        raise ValueError(f"facets.backend {config.backend!r} needs an LLMContext")
    spec = load_spec(Path(config.extra_file) if config.extra_file else None)
    # the LLM answers quizzing/asking itself: its offline base (and fallback) uses the cues alone
    return LLMFacetizer(llm, spec, config.max_attempts, ExtractiveFacetizer(config))


def facet_batch(batch: Sequence[PrivateConversation], facetizer: Facetizer) -> list[PrivateFacets]:
    """Stage function: a batch of scrubbed conversations -> their facets, in the same order."""
    return facetizer.facets_many(batch)


def facet_conversations(convs: Iterable[PrivateConversation], facetizer: Facetizer,
                        chunk: int = 5000) -> Iterator[PrivateFacets]:
    """The facets stage as a stream (what the local engine runs): `facet_batch` over chunks, so LLM backends can
    batch."""
    buf: list[PrivateConversation] = []
    for conv in convs:
        buf.append(conv)
        if len(buf) >= chunk:
            yield from facet_batch(buf, facetizer)
            buf = []
    if buf:
        yield from facet_batch(buf, facetizer)


def dp_categories() -> Categories:
    """The public lists differential privacy's histograms are taken over: the facet set's domains and every
    language code the detector can return (fixed before any data is read)."""
    from clio.facets.language import known_languages
    from clio.facets.spec import load_spec

    domains = next(f.values for f in load_spec().facets if f.name == "domain")
    return Categories(domains=tuple(domains), languages=known_languages())
