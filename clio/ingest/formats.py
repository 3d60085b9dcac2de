"""Chat formats: turn one parsed input record into a `RawConversation`, whatever its shape.

OpenAI/Anthropic `messages`, ShareGPT `conversations`, LMSYS/WildChat `conversation`, OASST trees, and a single
`prompt`/`instruction`/`text` field are detected per record by its structure; the text is routed into a sealed
`privacy.raw.RawConversation` unread. Unusable records raise `RecordError` with a reason code, never text.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from privacy.private import Turn
from privacy.raw import RawConversation, RecordError

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
# the fields a conversation can be read from (a CSV or Parquet file needs one of them as a column)
TEXT_KEYS = ("messages", "conversations", "conversation", "prompt", "instruction", "text", "question", "turns")


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
            raise RecordError("wrong_types", f"a message is {type(m).__name__}, expected an object")
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
    raise RecordError("unknown_format", f"no field of {', '.join(TEXT_KEYS)}")


def _first(rec: dict, keys: Iterable[str], nested: bool = True) -> str | None:
    """The first of `keys` holding a string or integer. A present key of another type (a list, an object, a float, a
    boolean) is `wrong_types`, never skipped: a user id that is a list must not silently become the shared unknown
    user."""
    for k in keys:
        v = rec.get(k)
        if v is None or (isinstance(v, str) and not v.strip()):
            continue
        if isinstance(v, bool) or not isinstance(v, (str, int)):
            raise RecordError("wrong_types", f"field {k!r} is {type(v).__name__}, expected a string or an integer")
        return str(v)
    meta = rec.get("metadata")
    if nested and isinstance(meta, dict):
        return _first(meta, keys, nested=False)
    return None


def _timestamp(rec: dict) -> str | None:
    """A timestamp as given (string, or epoch seconds as a number); anything else is left out (it decides nothing)."""
    for k in TIME_KEYS:
        v = rec.get(k)
        if isinstance(v, (str, int, float)) and not isinstance(v, bool) and str(v).strip():
            return str(v)
    return None


def to_conversation(rec: Any, source: str, line: int) -> RawConversation:
    """One record as a sealed `RawConversation`: its turns routed in as they are (empty turns are dropped by
    `RawConversation.of`, which never lets this module read them back)."""
    if not isinstance(rec, dict):
        raise RecordError("not_an_object", f"a JSON {type(rec).__name__}, expected an object")
    _, turns = detect_turns(rec)
    cid = _first(rec, ID_KEYS) or f"{source}:{line}"
    return RawConversation.of(id=cid, user_id=_first(rec, USER_KEYS), timestamp=_timestamp(rec),
                              turns=turns, source=source)
