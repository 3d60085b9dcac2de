"""Helpers shared by the custom recognizers: casing signal and result construction."""
from __future__ import annotations

from functools import lru_cache


_TEXT_CACHES: list = []


def per_text_cache(fn, maxsize: int = 16):
    """Memoise `fn` on the text several recognizers ask about in a row. These caches hold raw text in memory,
    so `Scrubber.analyze_stream` empties them (`forget_texts`) once its stream is done."""
    cached = lru_cache(maxsize=maxsize)(fn)
    _TEXT_CACHES.append(cached)
    return cached


def forget_texts() -> None:
    for c in _TEXT_CACHES:
        c.cache_clear()


@per_text_cache
def caseless(text: str) -> bool:
    """True when casing carries no signal: words mostly ALL CAPS, or sentences mostly start in lower case
    and (almost) no word inside a sentence is capitalised ("i met john in paris").

    Scripts without case (Arabic, CJK) are not caseless: no Title-case rule can fire there anyway.
    """
    import regex

    text = text[:20_000]
    words = [w for w in regex.findall(r"\p{L}[\p{L}'’-]*", text) if w.lower() != w.upper()]
    if len(words) < 3:
        return not any(c.isupper() for w in words for c in w)
    if sum(len(w) > 1 and w.isupper() for w in words) >= 0.6 * len(words):
        return True
    starts = [w for w in regex.findall(r"(?:^|[.!?][\"'”’)]*\s+|\n\W*)(\p{L}[\p{L}'’]*)", text)
              if w.lower() != w.upper() and w not in ("I", "I'm", "I’m")]
    lower = sum(w[0].islower() for w in starts)
    upper = len(starts) - lower
    inner = sum(w[0].isupper() and w not in ("I", "I'm", "I’m") for w in words) - upper
    return lower > upper and inner < 0.05 * len(words)


def result(recognizer, entity: str, start: int, end: int, score: float, rule: str | None = None):
    """A RecognizerResult tagged with the recognizer's name and id (Presidio's context step needs the id) and,
    when given, the rule that found it (for explanations and the bench; never the text)."""
    from presidio_analyzer import RecognizerResult

    meta = {"recognizer_name": recognizer.name, "recognizer_identifier": recognizer.id}
    if rule:
        meta["rule"] = rule
    return RecognizerResult(entity, start, end, score, recognition_metadata=meta)
