"""Phrase support: which words and word pairs occur in conversations of at least k distinct users.

Released names, keywords and exemplars may only use supported words and adjacent word pairs, so a rare
string that slipped past scrubbing (a name, an address fragment, a project code) cannot reach the release,
and neither can a rare combination of common words ("maria" and "garcia" are common, "maria garcia" is not).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

TOKEN = re.compile(r"<[A-Z_0-9]+>|[^\W_]+(?:['+#.-][^\W_]+)*", re.UNICODE)


def tokens(text: str) -> list[str]:
    return [t.lower() for t in TOKEN.findall(text)]


def terms(text: str) -> set[str]:
    """Words and adjacent word pairs of a text."""
    toks = tokens(text)
    return set(toks) | {f"{a} {b}" for a, b in zip(toks, toks[1:])}


# function words: a pair with one of these ("with python", "for beginners") cannot single anyone out
FUNCTION_WORDS = frozenset("""a an the and or but of to in on at for with from by about as into over under than
that this these those is are was were be been being it its their there which who whom what when where how why
while not no do does did can could should would will may might must so such some any all each both your
you they them we our his her he she i me my""".split())


class PhraseSupport:
    """Distinct-user counts per word and word pair (lowercased), from (user key, text) pairs. `public` phrases
    (lowercase; written by the project, such as its task labels) need no user support: they are no one's text."""

    def __init__(self, pairs: Iterable[tuple[str, str]], k: int, public: frozenset[str] = frozenset()):
        self.k, self.public = k, public
        seen: set[int] = set()
        counts: Counter = Counter()
        for user, text in pairs:
            for t in terms(text):
                h = hash((user, t))
                if h not in seen:
                    seen.add(h)
                    counts[t] += 1
        self.counts = counts

    def _ok(self, text: str) -> bool:
        if text.lower() in self.public:
            return True
        toks = tokens(text)
        if not toks or any(t.startswith("<") for t in toks):
            return False
        return all(self.counts.get(t, 0) >= self.k for t in terms(text))

    def word_ok(self, term: str) -> bool:
        """A keyword (one word or a phrase) every word and word pair of which k users wrote."""
        return self._ok(term)

    def text_ok(self, text: str) -> bool:
        return self._ok(text)

    def free_text_ok(self, text: str) -> bool:
        """For sentences a model wrote (LLM names, descriptions): every content word, and every adjacent pair of
        content words, written by k users. Function words and pairs with one are exempt: they identify no one."""
        toks = tokens(text)
        if not toks or any(t.startswith("<") for t in toks):
            return False
        words = [t for t in toks if t not in FUNCTION_WORDS]
        pairs = [f"{a} {b}" for a, b in zip(toks, toks[1:]) if a not in FUNCTION_WORDS and b not in FUNCTION_WORDS]
        return all(self.counts.get(t, 0) >= self.k for t in [*words, *pairs])

    def unsupported(self, text: str) -> list[str]:
        """Words and pairs of `text` fewer than k users wrote (for the audit's counts; kept private)."""
        if text.lower() in self.public:
            return []
        return sorted(t for t in terms(text) if self.counts.get(t, 0) < self.k)
