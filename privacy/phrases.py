"""Phrase support: which words occur in conversations of at least k distinct users.

Released names, keywords and exemplars may only use supported words, so a rare string that slipped
past scrubbing (a name, an address fragment, a project code) cannot reach the release.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

TOKEN = re.compile(r"<[A-Z_0-9]+>|[^\W_]+(?:['+#.-][^\W_]+)*", re.UNICODE)


def tokens(text: str) -> list[str]:
    return [t.lower() for t in TOKEN.findall(text)]


class PhraseSupport:
    """Distinct-user counts per word (lowercased), from (user key, text) pairs."""

    def __init__(self, pairs: Iterable[tuple[str, str]], k: int):
        self.k = k
        users: dict[str, set[str]] = defaultdict(set)
        for user, text in pairs:
            for t in set(tokens(text)):
                users[t].add(user)
        self.counts = {t: len(u) for t, u in users.items()}

    def word_ok(self, word: str) -> bool:
        return all(self.counts.get(t, 0) >= self.k for t in tokens(word)) and bool(tokens(word))

    def text_ok(self, text: str) -> bool:
        toks = tokens(text)
        return bool(toks) and all(not t.startswith("<") and self.counts.get(t, 0) >= self.k for t in toks)

    def unsupported(self, text: str) -> list[str]:
        """Count of unsupported tokens per text is what audits report; tokens stay private."""
        return [t for t in tokens(text) if self.counts.get(t, 0) < self.k]
