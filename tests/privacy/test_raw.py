"""The raw tier is sealed: only privacy/ reads a RawConversation's turns or user id."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from privacy.private import Turn
from privacy.raw import RawConversation, RawTextError, RecordError, unsealed_turns
from privacy.scrub_file import scrub_user_turns

ROOT = Path(__file__).resolve().parents[2]


def conv(*turns: tuple[str, str]) -> RawConversation:
    return RawConversation.of(id="c1", user_id="alice@example.com", timestamp=None, source="in.jsonl",
                              turns=[Turn(r, t) for r, t in turns])


def test_when_read_outside_privacy_then_turns_and_user_id_refuse():
    c = conv(("user", "My name is Maria Garcia"))
    with pytest.raises(RawTextError, match="only inside privacy"):
        c.turns  # noqa: B018
    with pytest.raises(RawTextError):
        c.user_id  # noqa: B018
    assert c.id == "c1" and c.source == "in.jsonl"  # structure stays readable


def test_repr_and_attributes_hold_no_raw_text():
    c = conv(("user", "My name is Maria Garcia"))
    assert "Maria" not in repr(c) and "alice" not in repr(c)
    with pytest.raises(AttributeError):
        c.id = "other"


def test_privacy_opens_them_to_scrub(scrubber):
    out = list(scrub_user_turns([conv(("user", "Call me at 212-555-0188 please"), ("assistant", "ok"))], scrubber))
    assert out[0][0] == "c1" and "555" not in out[0][1][0] and len(out[0][1]) == 1


@pytest.mark.parametrize("turns, reason", [((("user", "  "), ("assistant", "")), "empty"),
                                           ((("assistant", "hello"),), "no_user_turn")])
def test_turns_without_text_are_dropped_and_unusable_records_named(turns, reason):
    with pytest.raises(RecordError, match=reason):
        conv(*turns)
    assert [t.role for t in unsealed_turns(conv(("user", "hi"), ("assistant", " ")))] == ["user"]


def test_no_product_code_outside_privacy_opens_a_raw_conversation():
    """`unsealed_turns` and the sealed attributes are for privacy/ and tests, never for clio, domains, dashboard."""
    bad = []
    for pkg in ("clio", "domains", "dashboard"):
        for path in (ROOT / pkg).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                name = getattr(node, "attr", None) or getattr(node, "id", None) or getattr(node, "name", None)
                if name in ("unsealed_turns", "_turns", "_user_id"):
                    bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not bad, bad
