"""The models a run holds, built once and handed to the stages, each behind a small protocol.

Constructors only store parameters: every model (spaCy, MiniLM, an LLM client) loads on first use, so building
the components of a run that turns out to be fresh costs nothing.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from clio.cluster.naming.ctfidf import CtfidfNamer
from clio.cluster.naming.namer import Namer
from clio.cluster.naming.tagger import PhraseTagger
from clio.config import PipelineConfig
from clio.embed.embedders import Embedder, make_embedder
from clio.facets.stage import Facetizer, make_facetizer
from clio.llm.context import LLMContext
from privacy.llm_audit import PrivacyRater
from privacy.phrases import PhraseSupport
from privacy.scrub import Scrubber


def quiz_embedder(embedder: Embedder) -> Embedder:
    """MiniLM for the quizzing/asking form model: the run's embedder if it is MiniLM (or a test's fake), the
    combined embedder's own MiniLM (loaded once for both), else a MiniLM of its own (loaded on first use)."""
    from clio.embed.embedders import MINILM, USE_MULTILINGUAL, EmbedConfig

    for part in getattr(embedder, "parts", ()):
        if part.name == MINILM:
            return part
    if embedder.name != USE_MULTILINGUAL:
        return embedder
    return make_embedder(EmbedConfig(MINILM))


@dataclass(frozen=True)
class Components:
    """A run's parts; None means "the default the config asks for" (see `complete`)."""

    scrubber: Scrubber | None = None
    embedder: Embedder | None = None
    facetizer: Facetizer | None = None
    llm: LLMContext | None = None  # the run's LLM (backend, cache, budget), when `facets.backend` names one
    rater: PrivacyRater | None = None  # rates released strings; by default the run's LLM, when there is one

    def complete(self, config: PipelineConfig, llm_cache: Path | None = None) -> Components:
        """Every part present: those given, else built from `config` (the LLM's answers cached at `llm_cache`,
        in memory only without one)."""
        embedder = self.embedder or make_embedder(config.embed)
        scrubber = self.scrubber or Scrubber(config.scrub)
        llm = self.llm
        if llm is None and config.facets.backend != "none":  # every answer is scrubbed before it is stored or used
            llm = LLMContext.create(config.facets.llm_config(), llm_cache, config.facets.max_cost,
                                    scan=lambda text: scrubber.scrub_texts([text])[0])
        # offline, the quizzing/asking form model reads MiniLM (it was trained on MiniLM vectors): the run's
        # embedder when that is MiniLM, else its own
        facetizer = self.facetizer or make_facetizer(config.facets, llm,
                                                     quiz_embedder(embedder) if config.facets.quiz_form_model else None)
        rater = self.rater
        if rater is None and llm is not None:  # an LLM is configured: it rates the released strings too
            from clio.llm.rater import LLMPrivacyRater

            rater = LLMPrivacyRater(llm.unbatched())  # ratings are few and short: plain messages, never a batch
        return Components(scrubber, embedder, facetizer, llm, rater)

    def namer(self, config: PipelineConfig, support: PhraseSupport, tagger: PhraseTagger,
              say: Callable[[str], None] = lambda s: None) -> Namer:
        """The namer for a release: with an LLM, Clio's contrastive names (offline names as fallback), sharing the
        run's cache and budget; offline, project-written task labels and c-TF-IDF keywords. Both only use what
        `support` allows."""
        if self.llm is None:
            from clio.cluster.naming.labelled import LabelledNamer
            from clio.cluster.naming.labels import LabelVectors
            first_dim = getattr(self.embedder, "first_dim", None)  # a combined embedder: names read its parts apart
            return LabelledNamer(CtfidfNamer(support.word_ok, support.text_ok, tagger),
                                 LabelVectors(self.embedder.encode, first_dim=first_dim))
        from clio.cluster.naming.llm import make_llm_namer

        return make_llm_namer(self.llm, config.naming, support, tagger, embedder=self.embedder, say=say)
