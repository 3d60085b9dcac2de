"""`clio suite`: a usage-weighted eval suite for a domain, built from the release only."""
from __future__ import annotations

from pathlib import Path

from clio.embed.embedders import EmbedConfig, make_embedder
from clio.workspace import Workspace


def make_suite(domain: str, workspace: Path, out: Path, fmt: str = "jsonl", n_items: int = 200,
               seed: int = 0, embedder=None) -> tuple[list[Path], int]:
    from domains.registry import get_taxonomy
    from domains.suite import build_suite, load_release_clusters, write_suite

    ws = Workspace(workspace)
    rel = ws.release_path("clusters.json")
    if not rel.exists():
        raise FileNotFoundError(f"{workspace}: no release yet; run `clio run` first")
    taxonomy = get_taxonomy(domain)
    model = (ws.stage_entry("embed") or {}).get("model", EmbedConfig().model)
    embedder = embedder or make_embedder(EmbedConfig(model=model))
    items = build_suite(taxonomy, load_release_clusters(rel), embedder, n_items=n_items, seed=seed)
    paths = write_suite(items, Path(out), fmt, taxonomy=taxonomy, build={"seed": seed, "embedder": embedder.name,
                                                                           "release": "release/clusters.json"})
    return paths, len(items)
