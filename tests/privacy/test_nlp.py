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


@pytest.mark.slow
def test_tokens_near_cuts_at_whitespace_and_widens_past_a_long_token(scrubber):
    engine = scrubber.analyzer.nlp_engine
    text = ("Intro text goes here. " * 200 + "See https://example.com/" + "a-b-" * 60
            + " where Maria Gonzalez and Tom Becker met Aiko Tanaka. " + "Then they left. " * 200)
    lo = text.index("Maria")
    hi = lo + 40
    before = engine.tagged_chars
    window = tokens_near(LazyArtifacts(engine, text, [], [], "en"), text, lo, hi)
    assert engine.tagged_chars - before < len(text)  # a window, not the whole text
    whole = LazyArtifacts(engine, text, [], [], "en")
    _ = whole.tokens
    assert [(t.text, at, t.pos_) for t, at in window] == [(t.text, at, t.pos_) for t, at in tokens_near(
        whole, text, lo, hi)]


def test_snapped_windows_start_and_end_at_whitespace_chunks():
    from privacy.nlp import snapped

    text = "alpha beta https://x.org/a-b-c-d gamma  delta"
    a, b = snapped(text, text.index("x.org"), text.index("c-d"))
    assert text[a:b] == "https://x.org/a-b-c-d"
    assert snapped(text, 0, len(text)) == (0, len(text))
    a, b = snapped(text, text.index("  delta") + 1, len(text) - 1)  # inside a run of spaces, inside a word
    assert text[a:b] == "gamma  delta"  # widened to the chunk before: a window only grows


@pytest.mark.slow
def test_windowed_context_step_scores_as_presidio_does():
    """Phone numbers deep in a long text, with and without a context word near them and with one only far back
    behind a long run of stop words: the windowed step gives each the score Presidio's whole-text step gives,
    tagging windows only unless a walk reaches a window's edge."""
    from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer

    filler = "This is some text about the weather and the garden. " * 30
    near = (filler + "Please call my phone 212-555-0175 tomorrow. " + filler + "The number 415 555 0199 was odd. "
            + filler)
    far = near + "phone " + "of the, and the; " * 60 + "(646) 555-0133. " + filler
    # a long URL between the context word and the number: a window cut inside it would tokenise it differently
    url = filler + "phone https://example.com/" + "a-b-" * 60 + "x 212-555-0175" + " ok." * 100 + filler
    # "Call:555-0100" makes "call" (a stop word) a context word of the whole text, far from the second number
    colon = "Call:555-0100 main. " + filler + "Please call 212-555-0175." + filler
    windowed = Scrubber(ScrubConfig(n_process=1))
    plain = Scrubber(ScrubConfig(n_process=1))
    plain.analyzer.context_aware_enhancer = LemmaContextAwareEnhancer()

    def found(s, text):
        engine = s.analyzer.nlp_engine
        before = engine.tagged_chars
        artifacts = next(engine.process_batch([text], language="en"))[1]
        res = s.analyzer.analyze(text=text, language="en", nlp_artifacts=artifacts)
        return sorted((r.start, r.end, r.entity_type, round(r.score, 6)) for r in res), engine.tagged_chars - before

    for text, phones in ((near, 2), (far, 3), (url, 1), (colon, 2)):
        got, tagged = found(windowed, text)
        assert got == found(plain, text)[0]
        assert len([r for r in got if r[2] == "PHONE_NUMBER"]) == phones
        if text is near:
            assert tagged < len(text) / 2  # windows around the two numbers, not the whole text


@pytest.mark.slow
def test_name_lists_found_in_windows_as_in_the_whole_text(scrubber):
    """The list rule tags only near list separators; what it finds equals what tagging the whole text finds,
    including two lists joined by a long stretch of whitespace (a run of names continues across whitespace)."""
    from privacy.recognizers.names import NameRecognizer

    filler = "We talked about the weather and the garden for a while. " * 12
    texts = [filler + "Ask Maria Gonzalez, Tom Becker and Aiko Tanaka about it. " + filler,
             filler + "Alice Moreau, Bob Lindqvist and Carol" + " " * 300
             + "Dave Okafor, Eve Tran and Frank Ruiz came. " + filler]
    rec = NameRecognizer()
    engine = scrubber.analyzer.nlp_engine
    for text in texts:
        lazy = next(engine.process_batch([text], language="en"))[1]
        whole = next(engine.process_batch([text], language="en"))[1]
        _ = whole.tokens
        got = sorted((r.start, r.end, r.entity_type) for r in rec.analyze(text, ["PERSON"], lazy))
        assert got == sorted((r.start, r.end, r.entity_type) for r in rec.analyze(text, ["PERSON"], whole))
        assert got
