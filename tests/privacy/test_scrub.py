from __future__ import annotations

from collections import Counter

import pytest

from privacy.raw import RawConversation
from privacy.private import Turn
from privacy.scrub import ScrubStats, normalise, scrub_conversations

CASES = [
    ("Hi, my name is Maria Garcia and I need help.", ["Maria Garcia"]),
    ("Email me at kwame.okafor22@mail.test please", ["kwame.okafor22@mail.test"]),
    ("Call (212) 555-0147 tomorrow", ["555-0147"]),
    ("I live at 4118 Lakeview Drive, Riverside.", ["4118 Lakeview Drive"]),
    ("My card number is 4224 8244 7577 1049.", ["4224 8244 7577 1049"]),
    ("My social security number is 496-53-7896.", ["496-53-7896"]),
    ("My hospital record is MRN 6240148.", ["6240148"]),
    ("key sk-proj-abcdefghijklmnopqrstuvwx123 leaked", ["sk-proj-abcdefghijklmnopqrstuvwx123"]),
    ("obfuscated: kwame\u200b.okafor@example.com", ["okafor@example.com"]),
]


@pytest.mark.parametrize("text,values", CASES)
def test_when_text_has_pii_then_value_is_replaced(scrubber, text, values):
    (out,) = scrubber.scrub_texts([text])
    for v in values:
        assert v not in out
    assert "<" in out


def test_scrubbing_is_idempotent(scrubber):
    once = scrubber.scrub_texts([t for t, _ in CASES])
    twice = scrubber.scrub_texts(once)
    assert once == twice


def test_placeholders_are_numbered_consistently_within_a_conversation(scrubber):
    conv = RawConversation(id="c", user_id="alice", timestamp=None, source="x", turns=(
        Turn("user", "I'm Maria Garcia. My colleague is James Johnson."),
        Turn("assistant", "Hello Maria Garcia"),
        Turn("user", "James Johnson says hi")))
    stats = ScrubStats()
    (out,) = list(scrub_conversations([conv], scrubber, b"k" * 32, stats))
    t = [x.content for x in out.turns]
    assert "<PERSON_1>" in t[0] and "<PERSON_2>" in t[0]
    assert "<PERSON_1>" in t[1] and "<PERSON_2>" in t[2]
    assert out.user.startswith("u_") and "alice" not in out.user
    assert stats.removed["PERSON"] == 4 and stats.conversations == 1


def test_when_pii_split_across_turns_each_part_is_scrubbed(scrubber):
    conv = RawConversation(id="c", user_id=None, timestamp=None, source="x", turns=(
        Turn("user", "My email is maria.garcia@example.com"), Turn("user", "and phone (312) 555-0188")))
    (out,) = list(scrub_conversations([conv], scrubber, b"k" * 32, ScrubStats()))
    joined = " ".join(t.content for t in out.turns)
    assert "maria.garcia" not in joined and "555-0188" not in joined


def test_long_text_is_chunked_without_crashing(scrubber):
    from privacy.scrub import ScrubConfig, Scrubber

    small = Scrubber(ScrubConfig(n_process=1, max_chars=500))
    small._analyzer = scrubber.analyzer  # reuse the loaded engine
    text = ("filler words here. " * 60) + "Contact maria.garcia@example.com now. " + ("more filler. " * 60)
    (out,) = small.scrub_texts([text])
    assert "maria.garcia@example.com" not in out


def test_normalise_removes_zero_width_and_applies_nfkc():
    assert normalise("a\u200bb\ufeffc\uff21") == "abcA"


def test_find_returns_types_only(scrubber):
    found = scrubber.find(["Maria Garcia wrote this", "Python debugging help"], 0.2)
    assert "PERSON" in found[0] and found[1] == []
    assert all(isinstance(t, str) and t.isupper() for f in found for t in f)


def test_counts_by_type_accumulate(scrubber):
    removed = Counter()
    scrubber.anonymize("x", [], {}, removed)
    assert not removed


def test_no_raw_text_stays_in_the_recognizers_memo_caches_after_a_stream(scrubber):
    from privacy.recognizers.common import _TEXT_CACHES

    list(scrubber.analyze_stream(["my name is john smith and i live at 12 oak street"]))
    assert _TEXT_CACHES and all(c.cache_info().currsize == 0 for c in _TEXT_CACHES)
