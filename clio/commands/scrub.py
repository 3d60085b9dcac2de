"""`clio scrub`: read an input file's records (any shape) and hand them to `privacy.scrub_file` unread."""
from __future__ import annotations

from pathlib import Path

from clio.ingest.readers import READERS, file_format
from privacy.scrub_file import scrub_records


def scrub_file(src: Path, out: Path, scrubber=None) -> tuple[int, int]:
    """Scrubbed records into `out` (same ids, same shape), unparseable ones listed in `out`.quarantine.jsonl;
    returns (written, quarantined)."""
    return scrub_records(READERS[file_format(src)](Path(src)), Path(src).name, Path(out), scrubber)
