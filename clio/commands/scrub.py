"""`clio scrub`: read an input file's records (any shape) and hand them to `privacy.scrub_file` unread."""
from __future__ import annotations

from pathlib import Path

from clio.ingest.readers import check_inputs, read_parsed
from clio.ingest.sources import IngestConfig
from privacy.scrub_file import scrub_records


def scrub_file(src: Path, out: Path, scrubber=None, config: IngestConfig | None = None) -> tuple[int, int]:
    """Scrubbed records into `out` (same ids, same shape), unparseable ones listed in `out`.quarantine.jsonl;
    returns (written, quarantined)."""
    config = config or IngestConfig()
    check_inputs([Path(src)], config)
    return scrub_records(read_parsed(Path(src), config), Path(src).name, Path(out), scrubber)
