"""Labelled synthetic corpus: varied conversations over known topics with planted fake PII."""
