"""The raw tier: conversations as the input gave them, before scrubbing. Only privacy/ opens them.

A `RawConversation` seals its turns and its user id: reading either from a module outside the `privacy`
package raises `RawTextError`, so no stage, cache, log line or LLM prompt can reach raw text by accident.
`clio.ingest` builds them from input records (routing each record's fields in, never reading the text),
`privacy.scrub` opens them to scrub, and nothing else does. Its repr shows the id and source only.
"""
from __future__ import annotations

import sys
from collections.abc import Iterable

from privacy.private import Turn


class RecordError(ValueError):
    """A record that cannot be used; the message is a reason code, `detail` says more (field names, types, sizes,
    positions), never text from the record."""

    def __init__(self, reason: str, detail: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


class RawTextError(PermissionError):
    """Raw text was asked for outside privacy/."""


def _require_privacy(depth: int = 2) -> None:
    caller = sys._getframe(depth).f_globals.get("__name__", "")
    if caller != "privacy" and not caller.startswith("privacy."):
        raise RawTextError(f"raw text is read only inside privacy/ (asked for by {caller or 'unknown code'})")


class RawConversation:
    """RAW tier: unscrubbed turns straight from the input, sealed (see the module docstring). `id`, `timestamp`
    and `source` (the input file's name) are structural and readable anywhere."""

    __slots__ = ("id", "timestamp", "source", "_turns", "_user_id")

    def __init__(self, id: str, user_id: str | None, timestamp: str | None, turns: Iterable[Turn], source: str):
        for k, v in (("id", id), ("timestamp", timestamp), ("source", source), ("_turns", tuple(turns)),
                     ("_user_id", user_id)):
            object.__setattr__(self, k, v)

    @classmethod
    def of(cls, id: str, user_id: str | None, timestamp: str | None, turns: Iterable[Turn],
           source: str) -> RawConversation:
        """A conversation of the turns that hold text; RecordError ("empty", "no_user_turn") when that leaves
        nothing to analyse. The check runs here, so the parser never has to read the text."""
        kept = tuple(t for t in turns if t.content.strip())
        if not kept:
            raise RecordError("empty")
        if not any(t.role == "user" for t in kept):
            raise RecordError("no_user_turn")
        return cls(id=id, user_id=user_id, timestamp=timestamp, turns=kept, source=source)

    def __setattr__(self, name, value):
        raise AttributeError("RawConversation is immutable")

    def __repr__(self) -> str:
        return f"RawConversation(id={self.id!r}, source={self.source!r}, turns=<{len(self._turns)} sealed>)"

    @property
    def turns(self) -> tuple[Turn, ...]:
        _require_privacy()
        return self._turns

    @property
    def user_id(self) -> str | None:
        _require_privacy()
        return self._user_id


def unsealed_turns(conv: RawConversation) -> tuple[Turn, ...]:
    """The raw turns, for tests of the parser. Product code outside privacy/ never calls this (a layering test
    checks), it scrubs instead."""
    return conv._turns
