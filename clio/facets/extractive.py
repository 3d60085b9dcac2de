"""Offline facets: per scrubbed conversation, a one-line request summary and a few categorical facets.

`ExtractiveFacetizer` (the offline default) picks the request sentence from the first user turn,
skipping greetings and sentences that carried PII (placeholders), and labels quizzing/asking with
`clio.facets.quizask.classify`. LLM backends implement the same `Facetizer` protocol (`clio.facets.stage`).
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from clio.facets.config import FacetConfig
from clio.facets.language import detect_language
from clio.facets.quizask.classify import classify_many, quiz_version
from privacy.private import PrivateConversation, PrivateFacets
from privacy.scrub import PLACEHOLDER

CODE_BLOCK = re.compile(r"```.*?(?:```|$)", re.DOTALL)
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
LONG_NUMBER = re.compile(r"\d[\d\s-]{4,}\d")
# placeholders an upstream dataset already put in (LMSYS writes NAME_1): placeholders, not words
UPSTREAM = re.compile(r"\b(?:NAME|EMAIL|PHONE|ADDRESS|URL|USERNAME|PASSWORD|ORGANIZATION|LOCATION|IP)_\d+\b")
# a turn that only asks to go on is a follow-up, not the request ("continue", "more", "продолжи")
FOLLOW_UP = re.compile(r"^\W*(?:please\s+)?(?:continue|go on|keep going|more|next|ok(?:ay)?|yes|no|thanks?(?: you)?|"
                       r"again|try again|продолжи(?:те)?|дальше|ещ[её]|继续)\W*$", re.IGNORECASE)
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
    sentences = [UPSTREAM.sub("someone", s) for s in sentences]  # already anonymised upstream: a neutral word
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
    """The request sentences of the first user turn that has one (a bare "hi" or "continue" does not), without
    PII or upstream placeholders."""
    for turn in user_turns:
        if FOLLOW_UP.match(turn) and len(user_turns) > 1:
            continue
        out = _turn_summary(turn, max_chars)
        if out:
            return out
    return "(empty request)"


class ExtractiveFacetizer:
    """Offline facets from scrubbed text only: no model, no network."""

    name = "extractive"

    def __init__(self, config: FacetConfig | None = None, quiz_embedder=None):
        self.config = config or FacetConfig()
        self.quiz_embedder = quiz_embedder  # MiniLM: the quizzing/asking form model joins the cues
        self.version = quiz_version(quiz_embedder)

    def estimate(self, convs: Sequence[PrivateConversation]) -> None:
        """Nothing to estimate: no model is paid for."""
        return None

    def report(self) -> dict:
        return {}

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
