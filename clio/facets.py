"""Facets stage: per scrubbed conversation, a one-line request summary and a few categorical facets.

`ExtractiveFacetizer` (the offline default) picks the request sentence from the first user turn,
skipping greetings and sentences that carried PII (placeholders), and labels quizzing/asking with
`clio.classify`. LLM backends implement the same `Facetizer` protocol.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from clio.classify import classify_many, quiz_version
from clio.language import detect_language
from clio.tables import PrivateConversation, PrivateFacets
from privacy.scrub import PLACEHOLDER


class Facetizer(Protocol):
    name: str

    def facets_many(self, convs: Sequence[PrivateConversation]) -> list[PrivateFacets]: ...


@dataclass(frozen=True)
class FacetConfig:
    backend: str = "none"  # none (offline extractive) | anthropic | openai
    max_summary_chars: int = 220
    model: str = ""  # LLM model; default per backend
    base_url: str | None = None  # OpenAI-compatible server (vLLM, Ollama) or an Anthropic proxy
    api_key_env: str = ""
    max_cost: float | None = None  # USD; stop before spending more
    batch_threshold: int = 200  # Anthropic Message Batches API at or above this many requests
    poll_seconds: float = 10.0
    timeout: float = 60.0
    max_retries: int = 3
    max_attempts: int = 3  # asks per conversation for a valid answer before the offline fallback
    quiz_form_model: bool = True  # offline: add the MiniLM form model to the quizzing/asking cues
    extra_file: str | None = None  # YAML with more facets (name, question, type, values/range)
    prices: dict = field(default_factory=dict)  # model -> [USD per 1M input, per 1M output]

    def llm_config(self, **overrides):
        """The LLM client settings these facet settings imply (one place for facets and the privacy rater)."""
        from clio.llm import LLMConfig

        return LLMConfig(**{"backend": self.backend, "model": self.model, "base_url": self.base_url,
                            "api_key_env": self.api_key_env, "timeout": self.timeout, "max_retries": self.max_retries,
                            "batch_threshold": self.batch_threshold, "poll_seconds": self.poll_seconds,
                            "prices": self.prices, **overrides})


CODE_BLOCK = re.compile(r"```.*?(?:```|$)", re.DOTALL)
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
LONG_NUMBER = re.compile(r"\d[\d\s-]{4,}\d")
GREETING = re.compile(r"^\s*(?:hi|hello|hey|dear|thanks|thank you|good (?:morning|evening))\b[\s,!.]*", re.IGNORECASE)

DOMAIN_WORDS: dict[str, tuple[str, ...]] = {
    "medical": ("doctor", "symptom", "medication", "drug", "dose", "pain", "fever", "patient", "clinical", "disease",
                "side effect", "prescri", "diagnos", "health", "nurse", "hospital", "pharmac", "cough", "rash"),
    "coding": ("python", "code", "sql", "function", "error", "bug", "javascript", "script", "api", "debug",
               "compile", "query", "class ", "java", "c++", "program"),
    "writing": ("write", "poem", "letter", "essay", "story", "rewrite", "draft", "paragraph", "lyrics", "haiku"),
    "education": ("homework", "exam", "explain", "history", "math", "learn", "equation", "student", "study",
                  "vocabulary", "grammar", "quiz", "trivia", "derivative"),
    "business": ("marketing", "business", "excel", "spreadsheet", "sales", "customer", "slogan", "startup", "pivot"),
    "finance": ("budget", "money", "debt", "salary", "saving", "invest", "loan", "credit card", "tax"),
    "legal": ("landlord", "law", "legal", "contract", "tenant", "lease", "court", "rights"),
    "travel": ("trip", "travel", "itinerary", "hotel", "flight", "visit", "vacation"),
    "lifestyle": ("recipe", "cook", "dinner", "bake", "ingredient", "workout", "exercise", "gym", "fitness"),
}
CONCERN_WORDS = {5: ("kill myself", "suicide", "bomb", "make a weapon"), 3: ("hack into", "steal", "overdose"),
                 2: ("fight", "drugs", "weapon")}

def _domain(text: str) -> str:
    low = text.lower()
    scores = {d: sum(low.count(w) for w in words) for d, words in DOMAIN_WORDS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] > 0 else "general"


def _concern(text: str) -> int:
    low = text.lower()
    for level in sorted(CONCERN_WORDS, reverse=True):
        if any(w in low for w in CONCERN_WORDS[level]):
            return level
    return 1


def _turn_summary(turn: str, max_chars: int) -> str:
    text = CODE_BLOCK.sub(" ", turn)
    if not re.search(r"[^\W\d_]{3,}", text):  # nothing but code: summarise the code's opening instead
        text = turn.replace("```", " ")
    sentences = [GREETING.sub("", s).strip() for s in SENTENCE.split(text)]
    sentences = [s for s in sentences if len(s) > 3]
    clean = [s for s in sentences if not PLACEHOLDER.search(s)]
    chosen = clean or [PLACEHOLDER.sub("", s) for s in sentences]
    out = ""
    for s in chosen:
        if out and len(out) + len(s) + 1 > max_chars:
            break
        out = f"{out} {s}".strip()
    out = re.sub(r"\s+", " ", out)
    out = LONG_NUMBER.sub("#", out)  # numbers that could identify (ids, accounts) never reach a summary
    return out[:max_chars].strip() if re.search(r"[^\W\d_]{2,}", out) else ""


def request_summary(user_turns: list[str], max_chars: int = 220) -> str:
    """The request sentences of the first user turn that has one (a bare "hi" does not), without PII."""
    for turn in user_turns:
        out = _turn_summary(turn, max_chars)
        if out:
            return out
    return "(empty request)"


class ExtractiveFacetizer:
    """Offline facets from scrubbed text only: no model, no network."""

    name = "extractive"

    def __init__(self, config: FacetConfig = FacetConfig(), quiz_embedder=None):
        self.config = config
        self.quiz_embedder = quiz_embedder  # MiniLM: the quizzing/asking form model joins the cues
        self.version = quiz_version(quiz_embedder)

    def facets_many(self, convs: Sequence[PrivateConversation]) -> list[PrivateFacets]:
        users = [c.user_texts() for c in convs]
        labels = classify_many(users, self.quiz_embedder)
        return [self._facets(c, u, qa) for c, u, qa in zip(convs, users, labels)]

    def _facets(self, conv: PrivateConversation, users: list[str], qa) -> PrivateFacets:
        joined = "\n".join(users)
        return PrivateFacets(
            id=conv.id, user=conv.user, summary=request_summary(users, self.config.max_summary_chars),
            language=detect_language(joined[:2000]), turns=len(conv.turns), user_turns=len(users),
            quiz_label=qa.label, quiz_score=qa.score, quiz_turn_share=qa.turn_share_quizzing, cues=qa.cues,
            domain=_domain(joined[:4000]), concern=_concern(joined),
        )


def make_facetizer(config: FacetConfig, cache_path=None, quiz_embedder=None) -> Facetizer:
    """The offline facetizer (with the quizzing/asking form model when given a MiniLM `quiz_embedder`), or an
    LLM one (which only ever sees scrubbed conversations)."""
    if config.backend == "none":
        return ExtractiveFacetizer(config, quiz_embedder)
    from pathlib import Path

    from clio.facet_spec import load_spec
    from clio.llm import make_backend
    from clio.llm.cache import LLMCache
    from clio.llm.cost import Budget
    from clio.llm_facets import LLMFacetizer

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
