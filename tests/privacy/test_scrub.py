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


def test_a_long_text_replaced_in_segments_reads_exactly_as_replaced_whole(scrubber, monkeypatch):
    """Segments are cut only between findings and never across bare spaces (where Presidio merges same-type
    neighbours), so placeholders, their numbering and the counts are those of one whole-text replacement."""
    import copy
    import random

    from presidio_analyzer import RecognizerResult

    import privacy.scrub as scrub

    rng = random.Random(7)
    words = ["alpha", "beta", "gamma", "delta", "  ", " ", "\n", "x", "Ana Lima", "ana lima", "a@b.co"]
    text = "".join(rng.choice(words) + rng.choice(["", " ", ", "]) for _ in range(6000))
    results = []
    pos = 0
    while pos < len(text) - 20:
        start = pos + rng.randint(0, 25)
        end = start + rng.randint(1, 12)
        kind = rng.choice(["PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER"])
        results.append(RecognizerResult(kind, start, min(end, len(text)), rng.choice([0.5, 0.9])))
        if rng.random() < 0.3:  # an overlapping finding of another type, or touching one of the same type
            results.append(RecognizerResult(rng.choice(["PERSON", "LOCATION"]), start + 1, end + 3, 0.6))
        if rng.random() < 0.3:
            gap = end + rng.choice([0, 1, 2])
            results.append(RecognizerResult(kind, gap, gap + 4, 0.8))
        pos = end
    assert len(text) > 25_000 and len(results) > 1000
    whole_removed, parts_removed = Counter(), Counter()
    whole = scrubber._anonymize(text, copy.deepcopy(results), {}, whole_removed)
    monkeypatch.setattr(scrub, "ANONYMIZE_SEGMENT", 300)  # hundreds of segments
    parts = scrubber.anonymize(text, copy.deepcopy(results), {}, parts_removed)
    assert parts == whole and parts_removed == whole_removed
