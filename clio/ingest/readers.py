"""Ingest stage: stream records from JSONL/JSON/CSV/Parquet files and detect each record's chat format.

Yields sealed `privacy.raw.RawConversation`s (raw text, in memory only) for `privacy.scrub`, the only code that
opens them, and `QuarantineEntry`s (file, line, reason, detail; never text) for records that cannot be used. Files
may be gzip, bz2, xz or zstd compressed (found by their first bytes); a UTF-8 byte-order mark is ignored; a record
over `IngestConfig.max_record_mb` is skipped unparsed (`too_large`), so memory stays bounded whatever the input.
"""
from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from clio.ingest.formats import TEXT_KEYS, to_conversation
from clio.ingest.sources import (
    CappedTextLines,
    IngestConfig,
    InputError,
    TooLarge,
    bom_encoding,
    capped_lines,
    compression_of,
    decode,
    format_name,
    open_binary,
    parse_json,
)
from privacy.private import QuarantineEntry
from privacy.raw import RawConversation, RecordError

FORMATS = ("jsonl", "json", "csv", "parquet")
DEFAULT = IngestConfig()


# ---- file readers: each yields (line number, parsed record or RecordError) ----

def _read_jsonl(path: Path, config: IngestConfig = DEFAULT) -> Iterator[tuple[int, Any]]:
    with open_binary(path) as f:
        for i, line in enumerate(capped_lines(f, config.max_record_bytes), 1):
            if isinstance(line, RecordError):
                yield i, line
                continue
            if not line.strip():  # ASCII whitespace only: no record (str.strip would also eat \x1c-\x1f)
                continue
            try:
                text = decode(line, config.encoding, i == 1)
                if text.strip():
                    yield i, parse_json(text, config.max_depth)
            except RecordError as e:
                yield i, e


SCAN = re.compile(r'["\\\[\]{},\n]')


def _read_json(path: Path, config: IngestConfig = DEFAULT, chunk: int = 1 << 20) -> Iterator[tuple[int, Any]]:
    """Stream the items of a top-level JSON array (or one object) without loading the whole file: a scanner finds
    each item's end (strings and escapes respected), so an item over the cap is skipped without being held."""
    cap, depth_limit = config.max_record_bytes, config.max_depth
    dec = codecs.getincrementaldecoder(config.encoding)(errors="surrogateescape")  # invalid bytes: bad_encoding
    with open_binary(path) as f:
        def chunks() -> Iterator[str]:
            first = True
            while True:
                data = f.read(chunk)
                text = dec.decode(data, final=not data)
                if first and text.startswith("\ufeff"):
                    text = text[1:]
                first = False
                if text:
                    yield text
                if not data:
                    return

        stream = chunks()
        line, text = 1, ""
        for text in stream:  # the first non-blank character says array or single object
            stripped = text.lstrip()
            line += text[: len(text) - len(stripped)].count("\n")
            text = stripped
            if text:
                break
        if not text:
            return
        if text[0] != "[":  # one object: the whole file is the record
            parts, size = [text], len(text)
            for more in stream:
                size += len(more)
                if size > cap:
                    yield line, TooLarge(size, cap, "a JSON document")
                    return
                parts.append(more)
            try:
                yield line, parse_json("".join(parts), depth_limit)
            except RecordError as e:
                yield line, e
            return
        yield from _json_items(_chain_first(text[1:], stream), line, cap, depth_limit)


def _chain_first(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def _json_items(texts: Iterator[str], line: int, cap: int, depth_limit: int) -> Iterator[tuple[int, Any]]:
    depth, in_str, skip_first = 0, False, False
    parts: list[str] = []
    size, too_large, item_line = 0, False, line

    def finish(raw: str | None):
        lead = raw[: len(raw) - len(raw.lstrip())] if raw is not None else ""
        at = item_line + lead.count("\n")
        if too_large:
            return at, TooLarge(size, cap, "JSON item")
        if raw is None or not raw.strip():
            return None
        try:
            return at, parse_json(raw, depth_limit)
        except RecordError as e:
            return at, e

    for text in texts:
        start = 0
        skip_to = 1 if skip_first else 0
        skip_first = False
        for m in SCAN.finditer(text):
            i, c = m.start(), m.group()
            if i < skip_to:
                continue
            if c == "\n":
                line += 1
                continue
            if in_str:
                if c == "\\":
                    skip_to = i + 2
                    skip_first = i + 1 == len(text)
                elif c == '"':
                    in_str = False
                continue
            if c == '"':
                in_str = True
            elif c in "[{":
                depth += 1
            elif c in "]}" and depth > 0:
                depth -= 1
            elif depth == 0 and c in ",]":  # the end of an item (and, for "]", of the array)
                if not too_large:
                    parts.append(text[start:i])
                    size = sum(len(p) for p in parts)
                    if size > cap:
                        item_line, parts, too_large = _first_line(item_line, parts), [], True
                else:
                    size += i - start
                out = finish("".join(parts) if not too_large else None)
                if out is not None:
                    yield out
                parts, size, too_large, item_line, start = [], 0, False, line, i + 1
                if c == "]":
                    return
        if not too_large:
            parts.append(text[start:])
            size = sum(len(p) for p in parts)
            if size > cap:
                item_line, parts, too_large = _first_line(item_line, parts), [], True
        else:
            size += len(text) - start
    raw = "".join(parts) if not too_large else None
    if too_large or (raw and raw.strip()):  # the file ended inside the array
        yield item_line, (TooLarge(size, cap, "JSON item") if too_large else RecordError(
            "bad_json", "the file ends inside the top-level array (truncated?)"))


def _first_line(line: int, parts: list[str]) -> int:
    """The line an item starts on: `line` (where its text begins) plus the newlines before its first character."""
    for p in parts:
        stripped = p.lstrip()
        line += p[: len(p) - len(stripped)].count("\n")
        if stripped:
            break
    return line


def _maybe_json(v: Any, depth_limit: int) -> Any:
    """A cell that holds JSON (a messages list in a CSV column) as data; a cell that only looks like it stays text."""
    if isinstance(v, str) and v[:1] in "[{":
        try:
            return parse_json(v, depth_limit)
        except RecordError as e:
            if e.reason == "bad_json":
                return v
            raise
    return v


COLUMN_NAME = re.compile(r"[A-Za-z_][\w .-]{0,39}")


def _column_label(name: str) -> str:
    """A column name as shown in messages: an identifier-like name as it is; anything else (a first row of data taken
    for a header) only by its length, so no text of the file reaches a message or a log."""
    return name if COLUMN_NAME.fullmatch(name) else f"<not a name: {len(name)} characters; is the first row data?>"


def _missing_text_column(path: Path, columns: list[str]) -> RecordError | None:
    if any(c in TEXT_KEYS for c in columns):
        return None
    found = ", ".join(_column_label(c) for c in columns[:30]) + (
        f" and {len(columns) - 30} more" if len(columns) > 30 else "")
    return RecordError("no_text_column", f"{path.name} has no column a conversation can be read from; columns "
                                         f"found: {found or 'none'}; looked for: {', '.join(TEXT_KEYS)}")


def _read_csv(path: Path, config: IngestConfig = DEFAULT) -> Iterator[tuple[int, Any]]:
    cap = config.max_record_bytes
    csv.field_size_limit(cap)
    with open_binary(path) as f:
        lines = CappedTextLines(f, cap, config.encoding)
        reader = csv.reader(lines)
        try:
            header = next(reader)
        except StopIteration:
            return
        except (RecordError, csv.Error) as e:
            raise InputError(f"{path.name}: the CSV header cannot be read ({getattr(e, 'reason', 'bad_csv')}: "
                             f"{getattr(e, 'detail', None) or e})") from None
        missing = _missing_text_column(path, header)
        while True:
            at = lines.number + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except RecordError as e:
                yield at, e
                continue
            except csv.Error as e:  # "field larger than field limit", "line contains NUL": no text in these
                yield at, RecordError("too_large" if "field limit" in str(e) else "bad_csv", str(e))
                continue
            if not row:
                continue
            if missing is not None:
                yield at, missing
                continue
            try:
                yield at, {k: _maybe_json(v, config.max_depth) for k, v in zip(header, row) if v != ""}
            except RecordError as e:
                yield at, e


def _read_parquet(path: Path, config: IngestConfig = DEFAULT) -> Iterator[tuple[int, Any]]:
    """Rows in batches of 1,024 (a row group's strings are held while its batch is read: the size cap applies per
    row after reading)."""
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as e:  # pyarrow's errors name the problem, not the data
        raise InputError(f"{path.name}: not a readable Parquet file ({type(e).__name__}: {e})") from None
    missing = _missing_text_column(path, pf.schema_arrow.names)
    i = 0
    for batch in pf.iter_batches(batch_size=1024):
        for row in batch.to_pylist():
            i += 1
            if missing is not None:
                yield i, missing
                continue
            size = sum(len(v) for v in row.values() if isinstance(v, (str, bytes)))
            if size > config.max_record_bytes:
                yield i, TooLarge(size, config.max_record_bytes, "row")
                continue
            try:
                yield i, {k: _maybe_json(v, config.max_depth) for k, v in row.items() if v is not None}
            except RecordError as e:
                yield i, e


READERS = {"jsonl": _read_jsonl, "json": _read_json, "csv": _read_csv, "parquet": _read_parquet}


def file_format(path: Path) -> str:
    """jsonl, json, csv or parquet, from the name without compression suffixes (logs.jsonl.gz is jsonl)."""
    for s in reversed([s.lower() for s in format_name(path).suffixes]):
        s = s.lstrip(".")
        if s in ("jsonl", "ndjson"):
            return "jsonl"
        if s in ("json", "csv", "parquet"):
            return s
    raise InputError(f"{Path(path).name}: unknown file type; expected .jsonl .ndjson .json .csv or .parquet, "
                     "optionally compressed (.gz .bz2 .xz .zst)")


def check_inputs(paths: Iterable[Path], config: IngestConfig = DEFAULT) -> None:
    """Fail before any work on a file no reader can open: unknown type, a byte-order mark of another encoding than the
    one asked for, or a compressed Parquet file."""
    for path in paths:
        path = Path(path)
        fmt = file_format(path)
        if fmt == "parquet" and compression_of(path):
            raise InputError(f"{path.name}: a compressed Parquet file; Parquet compresses inside, decompress it first")
        bom = bom_encoding(path) if fmt != "parquet" else None
        if bom == "utf-16" and not config.encoding.lower().replace("_", "-").startswith("utf-16"):
            raise InputError(f"{path.name}: starts with a UTF-16 byte-order mark; re-run with --encoding utf-16")


def read_parsed(path: Path, config: IngestConfig = DEFAULT) -> Iterator[tuple[int, Any]]:
    """(line, parsed record or RecordError) for every record of one file."""
    return READERS[file_format(path)](Path(path), config)


def read_records(paths: Iterable[Path], config: IngestConfig = DEFAULT) -> Iterator[RawConversation | QuarantineEntry]:
    """Stream every input record as a RawConversation or a QuarantineEntry; ids made unique per run."""
    paths = [Path(p) for p in paths]
    check_inputs(paths, config)
    seen: set[str] = set()
    for path in paths:
        for line, rec in read_parsed(path, config):
            try:
                if isinstance(rec, RecordError):
                    raise rec
                conv = to_conversation(rec, path.name, line)
                if conv.id in seen:
                    raise RecordError("duplicate_id")
                seen.add(conv.id)
                yield conv
            except RecordError as e:
                yield QuarantineEntry(file=path.name, line=line, reason=e.reason, detail=e.detail)


def count_records(paths: Iterable[Path]) -> int | None:
    """Records to expect, for progress bars: newline counts (JSONL/CSV), Parquet metadata; None for JSON and
    compressed files."""
    total = 0
    for path in paths:
        fmt = file_format(Path(path))
        if fmt == "parquet":
            import pyarrow.parquet as pq

            total += pq.ParquetFile(path).metadata.num_rows
        elif fmt in ("jsonl", "csv") and not compression_of(Path(path)):
            with open(path, "rb") as f:
                total += sum(block.count(b"\n") for block in iter(lambda: f.read(1 << 20), b""))
            total -= fmt == "csv"  # header line
        else:
            return None
    return total
