"""The scrubber's spaCy engine: NER off code, tags and lemmas only when read, same findings as the full pipeline."""
from __future__ import annotations

import pytest

from privacy.nlp import LazyArtifacts, blank_code, tokens_near
from privacy.scrub import Scrubber, ScrubConfig

TEXTS = [
    "Hi, I'm Daniel Wainwright and I live in Boston. Call me at 617-555-0143.",
    "Here is the config:\n```python\nDB_PASSWORD = 'hunter2'\nPHONE = '+1 415 555 0199'  # support line\n```\n"
    "Ask Maria Gonzalez, Tom Becker and Aiko Tanaka about it.",
    "my name is tarquin oyelaran, email tarquin@example.org",
    "How do I sort a list of tuples by the second item in Python? I tried sorted() but it sorts by the first.",
]


def test_blank_code_keeps_offsets_and_line_breaks():
    text = "see:\n```\nx = 1;\ny = f(x);\n```\nthen Paris"
    out = blank_code(text)
    assert len(out) == len(text) and out.count("\n") == text.count("\n")
    assert "x = 1" not in out and out.endswith("then Paris")


@pytest.mark.slow
def test_tokens_near_a_window_tags_as_the_whole_text_does(scrubber):
    engine = scrubber.analyzer.nlp_engine
    text = " ".join(TEXTS * 6)
    lo, hi = len(text) // 2 - 150, len(text) // 2 + 150
    window = tokens_near(LazyArtifacts(engine, text, [], [], "en"), text, lo, hi)
    whole = LazyArtifacts(engine, text, [], [], "en")
    _ = whole.tokens
    from_whole = tokens_near(whole, text, lo, hi)
    assert [(t.text, at, t.pos_) for t, at in window] == [(t.text, at, t.pos_) for t, at in from_whole]
    assert window and all(at < hi and at + len(t) > lo for t, at in window)


@pytest.mark.slow
def test_when_prose_mode_then_same_findings_as_full_pipeline(scrubber):
    full = Scrubber(ScrubConfig(n_process=1, nlp_mode="full"))
    fast = Scrubber(ScrubConfig(n_process=1, nlp_mode="prose"))

    def spans(s):
        return [sorted((r.start, r.end, r.entity_type) for r in res) for res in s.analyze_stream(TEXTS)]

    assert spans(fast) == spans(full)
    assert fast.analyzer.nlp_engine.tagged_texts < len(TEXTS)  # tags were computed only where read
