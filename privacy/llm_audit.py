"""Optional LLM privacy auditor (Clio's 1-5 scale) over released strings; never the only gate.

A `PrivacyRater` rates each string from 1 (nothing private) to 5 (identifies a person). The release gate
drops strings rated at or above `max_rating` after the deterministic checks have run. `clio.llm.rater` implements
the protocol with any LLM backend; without one configured the gate skips this step.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


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
