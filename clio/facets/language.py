"""Language id of a text: py3langid offline, else a script and stopword guess. A facet, and the gate for
English-only models (the bundled MiniLM)."""
from __future__ import annotations

import re
from functools import lru_cache

_STOP = {
    "en": {"the", "and", "is", "to", "of", "a", "in", "it", "that", "for", "you", "my", "what", "how", "can", "i"},
    "fr": {"le", "la", "les", "est", "et", "des", "une", "pour", "dans", "que", "qui", "pas", "je", "vous"},
    "es": {"el", "la", "los", "es", "y", "de", "que", "una", "para", "por", "con", "no", "como", "mi"},
    "de": {"der", "die", "das", "ist", "und", "nicht", "ein", "eine", "ich", "sie", "mit", "für", "wie", "zu"},
    "pt": {"o", "os", "é", "e", "não", "uma", "para", "com", "que", "do", "da", "em", "você", "meu"},
    "it": {"il", "lo", "gli", "è", "e", "di", "che", "una", "per", "non", "con", "sono", "come", "mio"},
}
_SCRIPTS = (("ru", "\u0400", "\u04ff"), ("zh", "\u4e00", "\u9fff"), ("ja", "\u3040", "\u30ff"),
            ("ko", "\uac00", "\ud7af"), ("ar", "\u0600", "\u06ff"), ("hi", "\u0900", "\u097f"),
            ("el", "\u0370", "\u03ff"), ("he", "\u0590", "\u05ff"), ("th", "\u0e00", "\u0e7f"))


def detect_language(text: str) -> str:
    """Language id (py3langid, offline); a script and stopword guess if that package is missing."""
    if not text.strip():
        return "und"
    try:
        import py3langid
    except ImportError:
        return _guess_language(text)
    words = re.findall(r"[^\W\d_]+", text)
    if len(words) < 4:  # too short for a statistical guess
        return _guess_language(text)
    return py3langid.classify(text)[0]


def _guess_language(text: str) -> str:
    """Dominant non-Latin script, else the Latin language with most stopwords."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "und"
    for code, lo, hi in _SCRIPTS:
        if sum(lo <= c <= hi for c in letters) > 0.3 * len(letters):
            if code == "zh" and any("\u3040" <= c <= "\u30ff" for c in letters):
                return "ja"
            return code
    words = re.findall(r"[^\W\d_]+", text.lower())
    if not words:
        return "und"
    hits = {lang: sum(w in stop for w in words) for lang, stop in _STOP.items()}
    best = max(hits, key=hits.get)
    return best if hits[best] > 0 else "en"


@lru_cache(maxsize=1)
def known_languages() -> tuple[str, ...]:
    """Every code `detect_language` can return: a public list (differential privacy needs the set of
    categories fixed before it looks at data)."""
    codes = {"und", *_STOP, *(code for code, _, _ in _SCRIPTS)}
    try:
        from py3langid import langid

        codes |= set(langid._get_identifier().nb_classes)
    except ImportError:
        pass
    return tuple(sorted(codes))
