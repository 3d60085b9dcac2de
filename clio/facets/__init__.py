"""Facets stage: scrubbed conversations -> per-conversation facets (summary, language, domain, concern,
quizzing vs asking), offline or from an LLM; the quizzing/asking classifier and its training data live here."""
