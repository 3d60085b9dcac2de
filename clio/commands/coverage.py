"""`clio coverage`: benchmark items compared with the released usage, published as release/coverage.json."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from privacy.public import PublicCoverage


def run_coverage(workspace: Path, benchmarks: Mapping[str, Path], text_field: str | None = None,
                 embedder=None, scrubber=None) -> PublicCoverage:
    """`clio.pipeline.publish_coverage` over benchmark files (`embedder`/`scrubber`: a caller's loaded ones, so models
    load once per process). Item vectors are cached by file content in the workspace."""
    from clio.pipeline import publish_coverage

    return publish_coverage(workspace, {name: Path(p) for name, p in benchmarks.items()}, text_field,
                            embedder=embedder, scrubber=scrubber)
