"""Extra Presidio recognizers for what chat logs carry and Presidio's defaults miss."""
from __future__ import annotations


def chat_recognizers() -> list:
    """Instances of every custom recognizer, for AnalyzerEngine's registry."""
    from privacy.recognizers.patterns import build_pattern_recognizers

    return build_pattern_recognizers()
