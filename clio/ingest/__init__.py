"""Ingest stage: input files (JSONL, JSON, CSV, Parquet) and chat formats -> sealed raw conversations."""
