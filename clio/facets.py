"""Facets stage: per scrubbed conversation, a one-line request summary and a few categorical facets.

`ExtractiveFacetizer` (the offline default) picks the request sentence from the first user turn,
skipping greetings and sentences that carried PII (placeholders), and labels quizzing/asking with
`clio.classify`. LLM backends implement the same `Facetizer` protocol.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from clio.classify import classify_turns
from clio.tables import PrivateConversation, PrivateFacets
from privacy.scrub import PLACEHOLDER


class Facetizer(Protocol):
    name: str

    def facets(self, conv: PrivateConversation) -> PrivateFacets: ...


@dataclass(frozen=True)
class FacetConfig:
    backend: str = "none"
    max_summary_chars: int = 220


CODE_BLOCK = re.compile(r"```.*?(?:```|$)", re.DOTALL)
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
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

_STOP = {
    "en": {"the", "and", "is", "to", "of", "a", "in", "it", "that", "for", "you", "my", "what", "how", "can", "i"},
    "fr": {"le", "la", "les", "est", "et", "des", "une", "pour", "dans", "que", "qui", "pas", "je", "vous"},
    "es": {"el", "la", "los", "es", "y", "de", "que", "una", "para", "por", "con", "no", "como", "mi"},
    "de": {"der", "die", "das", "ist", "und", "nicht", "ein", "eine", "ich", "sie", "mit", "für", "wie", "zu"},
    "pt": {"o", "os", "é", "e", "não", "uma", "para", "com", "que", "do", "da", "em", "você", "meu"},
    "it": {"il", "lo", "gli", "è", "e", "di", "che", "una", "per", "non", "con", "sono", "come", "mio"},
}
_SCRIPTS = (("ru", "\u0400", "\u04ff"), ("zh", "\u4e00", "\u9fff"), ("ja", "\u3040", "\u30ff"),
            ("ko", "\uac00", "\ud7af"), ("ar", "\u0600", "\u06ff"), ("hi", "\u0900", "\u097f"),
            ("el", "\u0370", "\u03ff"), ("he", "\u0590", "\u05ff"), ("th", "\u0e00", "\u0e7f"))


def detect_language(text: str) -> str:
    """Small offline guess: dominant non-Latin script, else the Latin language with most stopwords."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "und"
    for code, lo, hi in _SCRIPTS:
        if sum(lo <= c <= hi for c in letters) > 0.3 * len(letters):
            if code == "zh" and any("\u3040" <= c <= "\u30ff" for c in letters):
                return "ja"
            return code
    words = re.findall(r"[^\W\d_]+", text.lower())
    if not words:
        return "und"
    hits = {lang: sum(w in stop for w in words) for lang, stop in _STOP.items()}
    best = max(hits, key=hits.get)
    return best if hits[best] > 0 else "en"


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

    def __init__(self, config: FacetConfig = FacetConfig()):
        self.config = config

    def facets(self, conv: PrivateConversation) -> PrivateFacets:
        users = conv.user_texts()
        qa = classify_turns(users)
        joined = "\n".join(users)
        return PrivateFacets(
            id=conv.id, user=conv.user, summary=request_summary(users, self.config.max_summary_chars),
            language=detect_language(joined[:2000]), turns=len(conv.turns), user_turns=len(users),
            quiz_label=qa.label, quiz_score=qa.score, quiz_turn_share=qa.turn_share_quizzing, cues=qa.cues,
            domain=_domain(joined[:4000]), concern=_concern(joined),
        )


def make_facetizer(config: FacetConfig) -> Facetizer:
    if config.backend == "none":
        return ExtractiveFacetizer(config)
    raise ValueError(f"LLM backend {config.backend!r} is not available yet; use --llm none")


def facet_conversations(convs: Iterable[PrivateConversation], facetizer: Facetizer) -> Iterator[PrivateFacets]:
    """Stage function: scrubbed conversations -> facets (same order)."""
    for conv in convs:
        yield facetizer.facets(conv)
