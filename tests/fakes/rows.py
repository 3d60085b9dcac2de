"""Private-tier rows for tests of the gate and the hierarchy: one conversation per user key given."""
from __future__ import annotations

from collections.abc import Sequence

from privacy.private import PrivateFacets


def facet_rows(users: Sequence[str | None], **fields) -> list[PrivateFacets]:
    """Facets c0, c1, ... of the given (hashed) users; every other facet a plain English "asking" one."""
    base = {"summary": "s", "language": "en", "turns": 2, "user_turns": 1, "quiz_label": "asking", "quiz_score": 0.1,
            "quiz_turn_share": 0.0, **fields}
    return [PrivateFacets(id=f"c{i}", user=u, **base) for i, u in enumerate(users)]
