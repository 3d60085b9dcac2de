"""Presidio's context step (words just before a pattern hit raise its score), tagging only windows of long texts.

Why: the step reads the lemmas around each hit, and Presidio computes them for the whole text: a phone-like
number in a 20,000-character assistant turn had the tagger read all 20,000 characters. That was 15% of the scrub
time on 400 real WildChat chats. Here a long text not yet tagged gets tags only in windows of `WINDOW` characters
around its hits, and the walk Presidio makes (its context words before the hit, one after) runs on the window's
lemmas. Windows are cut at whitespace, so their tokens are the whole text's; the tagger reads 4 tokens either
side, so tags more than `EDGE` tokens inside a window are the whole text's too; a walk that would reach nearer a
cut edge falls back to a wider window, then to tagging the whole text, as before. Presidio's keyword list also
holds the ':'-separated parts of every token with a colon anywhere in the text ("Call:555-0100" makes "call" a
context word for the whole text), so those are collected from the whole text by the tokenizer alone (cheap).
"""
from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts

from privacy.nlp import EDGE, LazyArtifacts, snapped, text_windows

WINDOW = 150  # characters tagged either side of a hit
WIDER = 1000  # ... and around a hit whose walk reached a window's cut edge
_COLON_CHUNK = re.compile(r"\S*:\S*")


def colon_keywords(engine, text: str, language: str) -> set[str]:
    """The keywords Presidio's `set_keywords` makes of the tokens with a colon in `text` (their ':'-parts; a
    colon token's lemma is taken as its text), found by tokenising only the whitespace chunks holding a colon."""
    tokenizer = engine.nlp[language].tokenizer
    words = [t.text for m in _COLON_CHUNK.finditer(text) for t in tokenizer(m.group()) if ":" in t.text]
    return set(NlpArtifacts.set_keywords(engine, words, language)) if words else set()


class _Window:
    """One stretch `text[lo:hi]` of a text, tagged on first use; `extra` are keywords from the rest of the text."""

    def __init__(self, artifacts: LazyArtifacts, text: str, lo: int, hi: int, extra: set[str]):
        self.artifacts, self.text, self.lo, self.hi, self.extra = artifacts, text, lo, hi, extra
        self._tagged = None

    def _tags(self):
        if self._tagged is None:
            engine, language = self.artifacts.nlp_engine, self.artifacts.language
            doc = engine.tag(self.text[self.lo : self.hi], language)
            lemmas = [t.lemma_ for t in doc]
            keywords = set(NlpArtifacts.set_keywords(engine, lemmas, language)) | self.extra
            self._tagged = ([self.lo + t.idx for t in doc], [len(t) for t in doc], lemmas, keywords)
        return self._tagged

    def surrounding(self, start: int, before: int, after: int) -> list[str] | None:
        """Presidio's context words for a hit at `start`, or None when the walk reaches a cut edge."""
        starts, lengths, lemmas, keywords = self._tags()
        index = next((i for i, (s, n) in enumerate(zip(starts, lengths)) if s == start or start < s + n), None)
        if index is None:
            return None
        back, lowest = _walk(index, before, lemmas, keywords, -1)
        ahead, highest = _walk(index, after, lemmas, keywords, 1)
        if (self.lo > 0 and lowest < EDGE) or (self.hi < len(self.text) and highest >= len(lemmas) - EDGE):
            return None
        return list(set(back + ahead))


def _walk(index: int, n_words: int, lemmas: list[str], keywords: set[str], step: int) -> tuple[list[str], int]:
    """Presidio's `_add_n_words` (n keyword lemmas from `index`, the hit's own counted as one more), and the
    furthest token index it read."""
    i, words, remaining, furthest = index, [], n_words + 1, index
    while 0 <= i < len(lemmas) and remaining > 0:
        furthest = i
        lemma = lemmas[i].lower()
        if lemma in keywords:
            words.append(lemma)
            remaining -= 1
        i += step
    if not 0 <= i < len(lemmas) and remaining > 0:
        furthest = -1 if step < 0 else len(lemmas)  # ran off the window: its edge was reached
    return words, furthest


class WindowedContext(LemmaContextAwareEnhancer):
    """Presidio's lemma context enhancer with the tagging windowed (see the module docstring)."""

    def __init__(self):
        super().__init__()
        self._windows: list[_Window] = []

    def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):
        self._windows = self._plan(text, raw_results, nlp_artifacts, recognizers)
        try:
            return super().enhance_using_context(text, raw_results, nlp_artifacts, recognizers, context)
        finally:
            self._windows = []

    @staticmethod
    def _plan(text, raw_results, nlp_artifacts, recognizers) -> list[_Window]:
        """Windows around the hits that will need context, unless one window would be the whole text."""
        if not isinstance(nlp_artifacts, LazyArtifacts) or nlp_artifacts.tagged():
            return []
        with_context = {r.name for r in recognizers if r.context}
        key = RecognizerResult.RECOGNIZER_NAME_KEY
        spans = [(r.start, r.end) for r in raw_results if (r.recognition_metadata or {}).get(key) in with_context]
        windows = text_windows(spans, WINDOW, len(text), text)
        if not windows or windows == [(0, len(text))]:
            return []
        extra = colon_keywords(nlp_artifacts.nlp_engine, text, nlp_artifacts.language)
        return [_Window(nlp_artifacts, text, lo, hi, extra) for lo, hi in windows]

    def _extract_surrounding_words(self, nlp_artifacts, word: str, start: int) -> list[str]:
        window = next((w for w in self._windows if w.lo <= start < w.hi), None)
        if window is None or nlp_artifacts.tagged():  # no window, or the whole text is tagged already
            return super()._extract_surrounding_words(nlp_artifacts, word, start)
        words = window.surrounding(start, self.context_prefix_count, self.context_suffix_count)
        if words is None:  # the walk reached a cut edge: once more in a wider window, then the whole text
            text = window.text
            lo, hi = snapped(text, max(0, start - WIDER), min(len(text), start + len(word) + WIDER))
            if (lo, hi) != (0, len(text)):
                wider = _Window(nlp_artifacts, text, lo, hi, window.extra)
                self._windows.insert(0, wider)  # found first by the next hits it covers: tagged once
                words = wider.surrounding(start, self.context_prefix_count, self.context_suffix_count)
        if words is None:
            return super()._extract_surrounding_words(nlp_artifacts, word, start)
        return words
