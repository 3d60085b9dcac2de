"""`clio coverage`: benchmark items compared with the released clusters, published as release/coverage.json."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from clio.coverage.benchmarks import read_items
from privacy.public import PublicCoverage


def run_coverage(workspace: Path, benchmarks: Mapping[str, Path], text_field: str | None = None,
                 embedder=None, scrubber=None) -> PublicCoverage:
    """Read each benchmark file's items, then `clio.pipeline.publish_coverage` (`embedder`/`scrubber`: a caller's
    loaded ones, so models load once per process)."""
    from clio.pipeline import publish_coverage

    items = {name: read_items(path, text_field) for name, path in benchmarks.items()}
    return publish_coverage(workspace, items, embedder=embedder, scrubber=scrubber)
