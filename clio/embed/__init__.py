"""Embed stage: summaries -> unit vectors (sentence-transformers MiniLM offline by default), cached by content hash."""
