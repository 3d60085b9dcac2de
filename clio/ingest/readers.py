"""Ingest stage: stream records from JSONL/JSON/CSV/Parquet files and detect each record's chat format.

Yields sealed `privacy.raw.RawConversation`s (raw text, in memory only) for `privacy.scrub`, the only code that
opens them, and `QuarantineEntry`s (file, line, reason; never text) for records that cannot be used.
"""
from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from clio.ingest.formats import to_conversation
from privacy.private import QuarantineEntry
from privacy.raw import RawConversation, RecordError

FORMATS = ("jsonl", "json", "csv", "parquet")


# ---- file readers: each yields (line number, parsed record or RecordError) ----

def _read_jsonl(path: Path) -> Iterator[tuple[int, Any]]:
    with open(path, encoding="utf-8", errors="replace") as f:
        for i, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                yield i, json.loads(line)
            except json.JSONDecodeError:
                yield i, RecordError("bad_json")


def _read_json(path: Path, chunk: int = 1 << 20) -> Iterator[tuple[int, Any]]:
    """Stream the items of a top-level JSON array (or one object) without loading the whole file."""
    dec = json.JSONDecoder()
    with open(path, encoding="utf-8", errors="replace") as f:
        buf, pos, line, started = "", 0, 1, False
        eof = False
        while True:
            if not eof and len(buf) - pos < chunk:
                more = f.read(chunk)
                eof = not more
                buf = buf[pos:] + more
                pos = 0
            while pos < len(buf) and buf[pos] in " \t\r\n,":
                line += buf[pos] == "\n"
                pos += 1
            if pos >= len(buf):
                if eof:
                    return
                continue
            if not started:
                started = True
                if buf[pos] == "[":
                    pos += 1
                    continue
                try:  # a single object
                    yield line, json.loads(buf[pos:] + f.read())
                except json.JSONDecodeError:
                    yield line, RecordError("bad_json")
                return
            if buf[pos] == "]":
                return
            try:
                obj, end = dec.raw_decode(buf, pos)
            except json.JSONDecodeError:
                if not eof:
                    more = f.read(chunk)
                    if more:
                        buf += more
                        continue
                yield line, RecordError("bad_json")
                return
            yield line, obj
            line += buf.count("\n", pos, end)
            pos = end


def _maybe_json(v: Any) -> Any:
    if isinstance(v, str) and v[:1] in "[{":
        try:
            return json.loads(v)
        except json.JSONDecodeError:
            return v
    return v


def _read_csv(path: Path) -> Iterator[tuple[int, Any]]:
    csv.field_size_limit(1 << 30)
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        for i, row in enumerate(csv.DictReader(f), 2):
            yield i, {k: _maybe_json(v) for k, v in row.items() if k is not None and v not in (None, "")}


def _read_parquet(path: Path) -> Iterator[tuple[int, Any]]:
    import pyarrow.parquet as pq

    i = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=1024):
        for row in batch.to_pylist():
            i += 1
            yield i, {k: _maybe_json(v) for k, v in row.items() if v is not None}


READERS = {"jsonl": _read_jsonl, "json": _read_json, "csv": _read_csv, "parquet": _read_parquet}


def file_format(path: Path) -> str:
    suffixes = [s.lower() for s in Path(path).suffixes]
    for s in reversed(suffixes):
        s = s.lstrip(".")
        if s in ("jsonl", "ndjson"):
            return "jsonl"
        if s in ("json", "csv", "parquet"):
            return s
    raise ValueError(f"{path}: unknown file type; expected one of .jsonl .json .csv .parquet")


def read_records(paths: Iterable[Path]) -> Iterator[RawConversation | QuarantineEntry]:
    """Stream every input record as a RawConversation or a QuarantineEntry; ids made unique per run."""
    seen: set[str] = set()
    for path in paths:
        path = Path(path)
        reader = READERS[file_format(path)]
        for line, rec in reader(path):
            try:
                if isinstance(rec, RecordError):
                    raise rec
                conv = to_conversation(rec, path.name, line)
                if conv.id in seen:
                    raise RecordError("duplicate_id")
                seen.add(conv.id)
                yield conv
            except RecordError as e:
                yield QuarantineEntry(file=path.name, line=line, reason=str(e))


def count_records(paths: Iterable[Path]) -> int | None:
    """Records to expect, for progress bars: newline counts (JSONL/CSV), Parquet metadata; None for JSON."""
    total = 0
    for path in paths:
        fmt = file_format(Path(path))
        if fmt == "parquet":
            import pyarrow.parquet as pq

            total += pq.ParquetFile(path).metadata.num_rows
        elif fmt in ("jsonl", "csv"):
            with open(path, "rb") as f:
                total += sum(block.count(b"\n") for block in iter(lambda: f.read(1 << 20), b""))
            total -= fmt == "csv"  # header line
        else:
            return None
    return total
