"""Clio-style usage analysis of LLM conversation logs: ingest, facets, embed, cluster, name, compare."""
from __future__ import annotations

__version__ = "0.1.0"
