"""Is this part of a text English? The name rules read English prose only ("im Kampf vereint" is German, "Una
vez que ..." Spanish), so they ask here first."""
from __future__ import annotations

from functools import cache

import regex

from privacy.recognizers import name_lists as nl

def english_at(text: str, pos: int, window: int = 300) -> bool:
    """The text around `pos` is English (spaCy's English model only makes sense of English): mostly Latin
    letters, no more function words of other European languages than English ones ("scrivi il titolo della
    favola sopra" is Italian however short), and when there are enough words, a fifth of them English
    function words."""
    from spacy.lang.en.stop_words import STOP_WORDS

    around = text[max(0, pos - window) : pos + window]
    letters = _LETTER.findall(around)
    if letters and sum(c.isascii() for c in letters) < 0.8 * len(letters):
        return False
    words = _LATIN_WORD.findall(around.lower())
    english = sum(w in STOP_WORDS for w in words)
    if sum(w in foreign_function_words() for w in words) > english:
        return False
    return len(words) < 8 or english >= 0.2 * len(words)


# English chat and citations use these too ("et al.", "haha")
_NOT_FOREIGN = frozenset(("et", "etc", "inc", "haha", "ah", "eh", "ach", "ff", "ok", "vs", "al"))


@cache
def foreign_function_words() -> frozenset[str]:
    """Function words of Spanish, Italian, French, German, Dutch and Portuguese (spaCy's stop lists) that are not
    English ones nor everyday English words: "il", "della", "una", "een", "und", "está".

    Each list is read from its own file: importing `spacy.lang.fr.stop_words` would first run `spacy.lang.fr`,
    whose tokenizer exceptions take 9 s of regex compiling in every process that asks (a forked scrub worker
    included)."""
    import importlib.util
    from pathlib import Path

    import spacy.lang
    from spacy.lang.en.stop_words import STOP_WORDS

    words: set[str] = set()
    for lang in ("es", "it", "fr", "de", "nl", "pt"):
        spec = importlib.util.spec_from_file_location(f"_clio_stop_words_{lang}",
                                                      Path(spacy.lang.__file__).parent / lang / "stop_words.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        words |= module.STOP_WORDS
    return frozenset(w for w in words - STOP_WORDS - _NOT_FOREIGN if not nl.is_core_word(w))


_LETTER = regex.compile(r"\p{L}")
_LATIN_WORD = regex.compile(r"\b[\p{L}']+\b")
