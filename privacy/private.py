"""The private tier's rows: scrubbed conversations, their facets, and quarantined records' positions.

Private* rows live under WORKSPACE/private/ only. They are produced from scrubbed text (`privacy.scrub` makes
`PrivateConversation`s from `privacy.raw.RawConversation`s), read by clio's stages and aggregated by the release
gate, which is why their types live here, below clio.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Turn:
    role: str
    content: str


@dataclass(frozen=True)
class PrivateConversation:
    """A scrubbed conversation: PII replaced by placeholders, user id replaced by a keyed hash."""

    id: str
    user: str | None  # HMAC of the user id; None when the log had none
    turns: tuple[Turn, ...]
    source: str = ""  # input file name (no path), for reconciliation
    timestamp: str | None = None

    def user_texts(self) -> list[str]:
        return [t.content for t in self.turns if t.role == "user"]

    def to_row(self) -> dict:
        return {"id": self.id, "user": self.user, "source": self.source, "timestamp": self.timestamp,
                "turns": [{"role": t.role, "content": t.content} for t in self.turns]}

    @classmethod
    def from_row(cls, r: dict) -> PrivateConversation:
        return cls(id=r["id"], user=r.get("user"), source=r.get("source", ""), timestamp=r.get("timestamp"),
                   turns=tuple(Turn(t["role"], t["content"]) for t in r["turns"]))


@dataclass(frozen=True)
class PrivateFacets:
    """Per-conversation facets derived from scrubbed text only."""

    id: str
    user: str | None
    summary: str  # one-line request summary, extractive, placeholders kept
    language: str
    turns: int
    user_turns: int
    quiz_label: str  # "quizzing" | "asking"
    quiz_score: float  # P(quizzing) in [0, 1]
    quiz_turn_share: float  # share of user turns that look like quizzing
    cues: tuple[str, ...] = field(default_factory=tuple)
    domain: str = "general"
    concern: int = 1
    task: str = ""
    extra: dict = field(default_factory=dict)  # user-declared facets (LLM backends only)
    source: str = "extractive"  # which backend produced the facets

    def to_row(self) -> dict:
        d = dict(self.__dict__)
        d["cues"] = list(self.cues)
        return d

    @classmethod
    def from_row(cls, r: dict) -> PrivateFacets:
        r = dict(r)
        r["cues"] = tuple(r.get("cues", ()))
        return cls(**r)


@dataclass(frozen=True)
class QuarantineEntry:
    """A record that could not be used: where it was and why. Never the text."""

    file: str
    line: int
    reason: str
    id: str | None = None
    detail: str | None = None  # field names, types, sizes; never text from the record
