"""Engines run the stage functions: `local` in this process (the default), `ray` on a Ray cluster (`ray_engine`).

An engine gives `clio/pipeline.py` three things, each the same stage function the local path calls, so the outputs
are the same whichever engine ran them: `scrub` (ingest + `privacy.scrub.scrub_conversations`), `facets`
(`facet_batch` over the local engine's chunks) and `embedder` (an embedder whose `encode` spreads `embed_batch` over
workers in the local engine's batches). Clustering, naming and the release stay on one node.
"""
from __future__ import annotations


def make_engine(name: str, **options):
    """None for the local engine (the pipeline's own in-process path), else the named engine."""
    if name in (None, "", "local"):
        return None
    if name == "ray":
        try:
            import ray  # noqa: F401
        except ImportError:
            raise ValueError("--engine ray needs Ray: pip install 'clio-usage[ray]'") from None
        from clio.engines.ray_engine import RayEngine

        return RayEngine(**options)
    raise ValueError(f"unknown engine {name!r}: local or ray")
