"""`clio coverage`: embed benchmark items, compare them with released clusters, publish release/coverage.json."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from clio.coverage.benchmarks import read_items
from clio.coverage.table import coverage_table
from clio.embed.embedders import EmbedConfig, Embedder, make_embedder
from clio.facets.quizask.classify import turn_score


def run_coverage(workspace: Path, benchmarks: dict[str, Path], text_field: str | None = None,
                 embedder: Embedder | None = None, scrubber=None) -> dict:
    """Embed benchmark items, compare with released clusters, publish release/coverage.json and re-audit the
    release (`embedder`/`scrubber`: a caller's loaded ones, so models load once per process)."""
    from clio.pipeline import config_from_manifest, load_clusters, reaudit
    from clio.workspace import Workspace
    from privacy.release import publish_coverage
    from privacy.scrub import Scrubber

    ws = Workspace(workspace)
    rel = ws.release_path("clusters.json")
    if not rel.exists():
        raise FileNotFoundError(f"{workspace}: no release yet; run `clio run` first")
    released = [c for c in json.loads(rel.read_text())["clusters"] if c["level"] == 0]
    cl = load_clusters(ws)
    idx = [int(c["id"][1:]) for c in released]
    model = (ws.stage_entry("embed") or {}).get("model", EmbedConfig().model)
    embedder = embedder or make_embedder(EmbedConfig(model=model))
    vectors, quiz = {}, {}
    for name, path in benchmarks.items():
        items = read_items(path, text_field)
        vectors[name] = embedder.encode(items)
        quiz[name] = float(np.mean([turn_score(t)[0] >= 0.5 for t in items]))
    doc = coverage_table({c["id"]: c["conversations"] for c in released}, cl["centroids"][idx] if idx else
                         np.zeros((0, 1)), [c["id"] for c in released], {c["id"]: c["name"] for c in released},
                         vectors, quiz)
    publish_coverage(ws.release, doc)
    cfg = config_from_manifest(ws)
    reaudit(ws, cfg, scrubber or Scrubber(cfg.scrub))
    return doc
