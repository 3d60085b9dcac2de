"""Clio's 1-5 privacy rating of released strings by an LLM: `privacy.llm_audit.PrivacyRater` over any backend."""
from __future__ import annotations

import re
from collections.abc import Sequence

from clio.llm import LLMRequest
from clio.llm.ask import ask_valid
from clio.llm.cache import request_key
from clio.llm.context import LLMContext

PROMPT = """You review text that will be published as an aggregate description of many users' conversations.
Rate how much it could reveal about a specific person, on this scale:
1 = nothing private or identifying; 2 = generic sensitive topic, no individual; 3 = details that narrow down
a person or group; 4 = likely identifies a person or organisation; 5 = clearly identifies a person.
Answer with the digit only.

Text: {text}"""
PROMPT_VERSION = "privacy-rating-v1"
SYSTEM = "Answer with one digit."


class LLMPrivacyRater:
    """Clio-style privacy rating through the run's LLM (`llm`: its backend, cache and budget); answers without a
    digit 1-5 are asked again once, then count as 5. Ratings are cached like facets (a re-run asks nothing) and
    charged to the run's budget (`--max-cost` covers them)."""

    def __init__(self, llm: LLMContext):
        self.backend, self.cache, self.budget = llm.backend, llm.cache, llm.budget
        self.name = f"llm:{self.backend.name}:{self.backend.model}"
        self.stats: dict = {}

    def rate(self, texts: Sequence[str]) -> list[int]:
        reqs = [LLMRequest(key=request_key(self.backend.model, PROMPT_VERSION, SYSTEM, PROMPT.format(text=t)),
                           system=SYSTEM, user=PROMPT.format(text=t), max_tokens=5, json=False) for t in texts]

        def parse(text: str):
            m = re.search(r"[1-5]", text)
            return (int(m.group(0)), []) if m else (None, ["no digit from 1 to 5"])

        ratings = ask_valid(self.backend, reqs, parse, cache=self.cache,
                            budget=self.budget, max_attempts=2, stats=self.stats, desc="llm privacy rating",
                            encode=str)
        self.stats["unusable"] = self.stats.get("unusable", 0) + sum(r is None for r in ratings)
        return [5 if r is None else r for r in ratings]
