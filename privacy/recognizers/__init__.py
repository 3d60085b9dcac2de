"""Extra Presidio recognizers for what chat logs carry and Presidio's defaults miss.

Modules by role: `patterns` (regex + context as data: secrets, ids, handles), `address` (address blocks),
`phone` (international phone shapes), `names` (names spaCy misses), `allow` (vetoes code, versions, file
names), `lexicon` and `first_names` (word lists), `common` (casing signal, result helper).
"""
from __future__ import annotations


def chat_recognizers() -> list:
    """Instances of every custom recognizer, for AnalyzerEngine's registry."""
    from privacy.recognizers.address import AddressRecognizer
    from privacy.recognizers.allow import AllowListRecognizer
    from privacy.recognizers.names import NameRecognizer
    from privacy.recognizers.patterns import build_pattern_recognizers
    from privacy.recognizers.phone import ChatPhoneRecognizer

    return [*build_pattern_recognizers(), AddressRecognizer(), ChatPhoneRecognizer(), NameRecognizer(),
            AllowListRecognizer()]
