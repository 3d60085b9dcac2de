"""Ingest stage: stream records from JSONL/JSON/CSV/Parquet and detect each record's chat format.

Yields `RawConversation`s (raw text, in memory only) for `privacy.scrub`, the only consumer of raw text,
and `QuarantineEntry`s (file, line, reason; never text) for records that cannot be used.
"""
from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clio.tables import QuarantineEntry, Turn

ROLE_MAP = {
    "user": "user", "human": "user", "prompter": "user", "customer": "user",
    "assistant": "assistant", "gpt": "assistant", "bot": "assistant", "model": "assistant", "chatgpt": "assistant",
    "bing": "assistant", "claude": "assistant", "ai": "assistant",
    "system": "system", "developer": "system",
    "tool": "tool", "function": "tool", "ipython": "tool", "observation": "tool",
}
ID_KEYS = ("id", "conversation_id", "conversation_hash", "message_tree_id", "question_id", "uuid")
USER_KEYS = ("user_id", "user", "hashed_ip", "author_id")
TIME_KEYS = ("timestamp", "created_at", "time", "date")
SINGLE_KEYS = ("prompt", "instruction", "text", "question", "turns")
FORMATS = ("jsonl", "json", "csv", "parquet")


@dataclass(frozen=True)
class RawConversation:
    """RAW tier: unscrubbed turns straight from the input. Only `privacy.scrub` may read `.turns`."""

    id: str
    user_id: str | None
    timestamp: str | None
    turns: tuple[Turn, ...]
    source: str


class RecordError(ValueError):
    """A record that cannot be used; the message is a reason code, never text from the record."""


def _text(content: Any) -> str:
    """Message content as text: a string, or Anthropic/OpenAI content blocks joined."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for block in content:
            if isinstance(block, str):
                parts.append(block)
            elif isinstance(block, dict) and isinstance(block.get("text"), str):
                parts.append(block["text"])
            elif isinstance(block, dict) and block.get("type") in ("image", "image_url", "tool_use", "tool_result"):
                continue
            else:
                raise RecordError("wrong_types")
        return "\n".join(parts)
    if content is None:
        return ""
    raise RecordError("wrong_types")


def _role(value: Any) -> str:
    if not isinstance(value, str):
        raise RecordError("wrong_types")
    role = ROLE_MAP.get(value.strip().lower())
    if role is None:
        raise RecordError("unknown_role")
    return role


def _turns_from(items: Any, role_key: str, text_key: str) -> list[Turn]:
    if not isinstance(items, list):
        raise RecordError("wrong_types")
    turns = []
    for m in items:
        if not isinstance(m, dict):
            raise RecordError("wrong_types")
        turns.append(Turn(_role(m.get(role_key)), _text(m.get(text_key))))
    return turns


def _oasst_thread(node: dict) -> list[Turn]:
    """Follow an OASST message tree along the best-ranked reply at each level."""
    turns = []
    while isinstance(node, dict):
        turns.append(Turn(_role(node.get("role")), _text(node.get("text"))))
        replies = [r for r in node.get("replies") or [] if isinstance(r, dict)]
        if not replies:
            break
        node = min(replies, key=lambda r: (r.get("rank") is None, r.get("rank") or 0))
    return turns


def detect_turns(rec: dict) -> tuple[str, list[Turn]]:
    """Return (format name, turns) for one parsed record, or raise RecordError."""
    if "messages" in rec:
        return "messages", _turns_from(rec["messages"], "role", "content")
    if "conversations" in rec:
        items = rec["conversations"]
        if isinstance(items, list) and items and isinstance(items[0], dict) and "from" in items[0]:
            return "sharegpt", _turns_from(items, "from", "value")
        return "sharegpt", _turns_from(items, "role", "content")
    if "conversation" in rec:
        return "lmsys", _turns_from(rec["conversation"], "role", "content")
    if isinstance(rec.get("prompt"), dict) and "replies" in rec["prompt"]:
        return "oasst", _oasst_thread(rec["prompt"])
    if isinstance(rec.get("instruction"), str):
        extra = rec.get("input")
        text = rec["instruction"] + (("\n\n" + extra) if isinstance(extra, str) and extra.strip() else "")
        return "instruction", [Turn("user", text)]
    if isinstance(rec.get("turns"), list):  # MT-bench style: a list of user turns
        return "turns", [Turn("user", _text(t)) for t in rec["turns"]]
    for key in ("prompt", "text", "question"):
        if key in rec:
            return key, [Turn("user", _text(rec[key]))]
    raise RecordError("unknown_format")


def _first(rec: dict, keys: Iterable[str]) -> str | None:
    for k in keys:
        v = rec.get(k)
        if isinstance(v, (str, int)) and not isinstance(v, bool) and str(v).strip():
            return str(v)
    meta = rec.get("metadata")
    if isinstance(meta, dict):
        return _first(meta, keys)
    return None


def to_conversation(rec: Any, source: str, line: int) -> RawConversation:
    if not isinstance(rec, dict):
        raise RecordError("not_an_object")
    _, turns = detect_turns(rec)
    turns = [t for t in turns if t.content.strip()]
    if not turns:
        raise RecordError("empty")
    if not any(t.role == "user" for t in turns):
        raise RecordError("no_user_turn")
    cid = _first(rec, ID_KEYS) or f"{source}:{line}"
    return RawConversation(id=cid, user_id=_first(rec, USER_KEYS), timestamp=_first(rec, TIME_KEYS),
                           turns=tuple(turns), source=source)


# ---- file readers: each yields (line number, parsed record or RecordError) ----

def _read_jsonl(path: Path) -> Iterator[tuple[int, Any]]:
    with open(path, encoding="utf-8", errors="replace") as f:
        for i, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                yield i, json.loads(line)
            except json.JSONDecodeError:
                yield i, RecordError("bad_json")


def _read_json(path: Path, chunk: int = 1 << 20) -> Iterator[tuple[int, Any]]:
    """Stream the items of a top-level JSON array (or one object) without loading the whole file."""
    dec = json.JSONDecoder()
    with open(path, encoding="utf-8", errors="replace") as f:
        buf, pos, line, started = "", 0, 1, False
        eof = False
        while True:
            if not eof and len(buf) - pos < chunk:
                more = f.read(chunk)
                eof = not more
                buf = buf[pos:] + more
                pos = 0
            while pos < len(buf) and buf[pos] in " \t\r\n,":
                line += buf[pos] == "\n"
                pos += 1
            if pos >= len(buf):
                if eof:
                    return
                continue
            if not started:
                started = True
                if buf[pos] == "[":
                    pos += 1
                    continue
                try:  # a single object
                    yield line, json.loads(buf[pos:] + f.read())
                except json.JSONDecodeError:
                    yield line, RecordError("bad_json")
                return
            if buf[pos] == "]":
                return
            try:
                obj, end = dec.raw_decode(buf, pos)
            except json.JSONDecodeError:
                if not eof:
                    more = f.read(chunk)
                    if more:
                        buf += more
                        continue
                yield line, RecordError("bad_json")
                return
            yield line, obj
            line += buf.count("\n", pos, end)
            pos = end


def _maybe_json(v: Any) -> Any:
    if isinstance(v, str) and v[:1] in "[{":
        try:
            return json.loads(v)
        except json.JSONDecodeError:
            return v
    return v


def _read_csv(path: Path) -> Iterator[tuple[int, Any]]:
    csv.field_size_limit(1 << 30)
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        for i, row in enumerate(csv.DictReader(f), 2):
            yield i, {k: _maybe_json(v) for k, v in row.items() if k is not None and v not in (None, "")}


def _read_parquet(path: Path) -> Iterator[tuple[int, Any]]:
    import pyarrow.parquet as pq

    i = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=1024):
        for row in batch.to_pylist():
            i += 1
            yield i, {k: _maybe_json(v) for k, v in row.items() if v is not None}


READERS = {"jsonl": _read_jsonl, "json": _read_json, "csv": _read_csv, "parquet": _read_parquet}


def file_format(path: Path) -> str:
    suffixes = [s.lower() for s in Path(path).suffixes]
    for s in reversed(suffixes):
        s = s.lstrip(".")
        if s in ("jsonl", "ndjson"):
            return "jsonl"
        if s in ("json", "csv", "parquet"):
            return s
    raise ValueError(f"{path}: unknown file type; expected one of .jsonl .json .csv .parquet")


def read_records(paths: Iterable[Path]) -> Iterator[RawConversation | QuarantineEntry]:
    """Stream every input record as a RawConversation or a QuarantineEntry; ids made unique per run."""
    seen: set[str] = set()
    for path in paths:
        path = Path(path)
        reader = READERS[file_format(path)]
        for line, rec in reader(path):
            try:
                if isinstance(rec, RecordError):
                    raise rec
                conv = to_conversation(rec, path.name, line)
                if conv.id in seen:
                    raise RecordError("duplicate_id")
                seen.add(conv.id)
                yield conv
            except RecordError as e:
                yield QuarantineEntry(file=path.name, line=line, reason=str(e))


def count_records(paths: Iterable[Path]) -> int | None:
    """Records to expect, for progress bars: newline counts (JSONL/CSV), Parquet metadata; None for JSON."""
    total = 0
    for path in paths:
        fmt = file_format(Path(path))
        if fmt == "parquet":
            import pyarrow.parquet as pq

            total += pq.ParquetFile(path).metadata.num_rows
        elif fmt in ("jsonl", "csv"):
            with open(path, "rb") as f:
                total += sum(block.count(b"\n") for block in iter(lambda: f.read(1 << 20), b""))
            total -= fmt == "csv"  # header line
        else:
            return None
    return total
