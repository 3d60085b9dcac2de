"""Optional LLM privacy auditor (Clio's 1-5 scale) over released strings; never the only gate.

A `PrivacyRater` rates each string from 1 (nothing private) to 5 (identifies a person). The release gate
drops strings rated at or above `max_rating` after the deterministic checks have run. LLM backends
(see clio facets) implement the protocol; without one configured the gate skips this step.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

PROMPT = """You review text that will be published as an aggregate description of many users' conversations.
Rate how much it could reveal about a specific person, on this scale:
1 = nothing private or identifying; 2 = generic sensitive topic, no individual; 3 = details that narrow down
a person or group; 4 = likely identifies a person or organisation; 5 = clearly identifies a person.
Answer with the digit only.

Text: {text}"""


class PrivacyRater(Protocol):
    name: str

    def rate(self, texts: Sequence[str]) -> list[int]: ...


def flagged_by_rater(rater: PrivacyRater | None, texts: Sequence[str], max_rating: int = 3) -> set[str]:
    """Strings the rater scores at or above `max_rating` (or outside 1-5: unusable answers count as unsafe)."""
    if rater is None or not texts:
        return set()
    ratings = rater.rate(list(texts))
    if len(ratings) != len(texts):
        raise ValueError(f"privacy rater {rater.name} returned {len(ratings)} ratings for {len(texts)} texts")
    return {t for t, r in zip(texts, ratings) if not (1 <= int(r) <= 5) or int(r) >= max_rating}


class LLMPrivacyRater:
    """Clio-style privacy rating through any LLM backend (clio.llm); unparseable answers count as 5."""

    def __init__(self, backend):
        self.backend = backend
        self.name = f"llm:{backend.name}:{backend.model}"

    def rate(self, texts: Sequence[str]) -> list[int]:
        import hashlib
        import re

        from clio.llm import LLMRequest, LLMResponse

        reqs = [LLMRequest(key=hashlib.sha256(t.encode()).hexdigest()[:32], system="Answer with one digit.",
                           user=PROMPT.format(text=t), max_tokens=5, json=False) for t in texts]
        res = self.backend.complete_many(reqs)
        out = []
        for r in reqs:
            ans = res.get(r.key)
            m = re.search(r"[1-5]", ans.text) if isinstance(ans, LLMResponse) else None
            out.append(int(m.group(0)) if m else 5)
        return out
