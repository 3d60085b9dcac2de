"""Opening input files safely: compression found by magic bytes, strict decoding, records capped before parsing.

Everything here works on bytes with a hard size cap, so one enormous line (or JSON item, or CSV row) costs at most
`IngestConfig.max_record_bytes` of memory and is skipped at disk speed, never parsed. Parsing turns every surprise
into a `RecordError` reason code (never text): `too_large`, `too_deep`, `bad_json`, `bad_number`, `bad_encoding`.
"""
from __future__ import annotations

import bz2
import codecs
import gzip
import json
import lzma
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from privacy.raw import RecordError

MAGIC = ((b"\x1f\x8b", "gzip"), (b"BZh", "bz2"), (b"\xfd7zXZ\x00", "xz"), (b"\x28\xb5\x2f\xfd", "zstd"))
COMPRESSED_SUFFIXES = {".gz": "gzip", ".gzip": "gzip", ".bz2": "bz2", ".xz": "xz", ".zst": "zstd", ".zstd": "zstd"}
SURROGATE = re.compile("[\ud800-\udfff]")
BOMS = {b"\xef\xbb\xbf": "utf-8", b"\xff\xfe": "utf-16", b"\xfe\xff": "utf-16"}


class InputError(ValueError):
    """A whole input file cannot be read (unknown type, missing decompressor, unknown encoding): names the file."""


@dataclass(frozen=True)
class IngestConfig:
    """How input files are read. Records over `max_record_mb` are quarantined `too_large` unparsed; nesting deeper than
    `max_depth` is `too_deep`; bytes that are not valid `encoding` are `bad_encoding` (never replaced); a run whose
    accepted share of records is below `min_accepted_share` (or that accepts nothing) stops before anything else."""

    max_record_mb: float = 32.0
    max_depth: int = 64
    encoding: str = "utf-8"
    min_accepted_share: float = 0.5

    def __post_init__(self):
        if self.max_record_mb <= 0:
            raise ValueError("ingest.max_record_mb must be positive")
        if self.max_depth < 4:
            raise ValueError("ingest.max_depth must be at least 4 (chat records nest 3-4 levels)")
        if not 0 <= self.min_accepted_share <= 1:
            raise ValueError("ingest.min_accepted_share must be between 0 and 1")
        try:
            codecs.lookup(self.encoding)
        except LookupError:
            raise ValueError(f"unknown encoding {self.encoding!r} (any Python codec name: utf-8, latin-1, "
                             "cp1252, utf-16, ...)") from None

    @property
    def max_record_bytes(self) -> int:
        return int(self.max_record_mb * (1 << 20))


# ---- opening ---------------------------------------------------------------------------------------------

def compression_of(path: Path) -> str | None:
    """gzip, bz2, xz or zstd by the file's first bytes (whatever its name says), else None."""
    with open(path, "rb") as f:
        head = f.read(6)
    return next((name for magic, name in MAGIC if head.startswith(magic)), None)


def open_binary(path: Path) -> IO[bytes]:
    """The file's bytes, decompressed when it is compressed (found by magic bytes)."""
    kind = compression_of(path)
    if kind == "gzip":
        return gzip.open(path, "rb")
    if kind == "bz2":
        return bz2.open(path, "rb")
    if kind == "xz":
        return lzma.open(path, "rb")
    if kind == "zstd":
        try:
            import zstandard
        except ImportError:
            raise InputError(f"{path.name}: zstd-compressed, and the `zstandard` package is not installed "
                             "(pip install zstandard), or decompress it first") from None
        import io

        return io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(open(path, "rb"), closefd=True),
                                 buffer_size=1 << 20)
    return open(path, "rb")


def format_name(path: Path) -> Path:
    """The name without compression suffixes: logs.jsonl.gz -> logs.jsonl."""
    p = Path(path)
    while p.suffix.lower() in COMPRESSED_SUFFIXES:
        p = p.with_suffix("")
    return p


# ---- decoding and parsing ------------------------------------------------------------------------------------

def decode(data: bytes, encoding: str, first: bool) -> str:
    """Strict decoding; a byte-order mark at the start of a file is dropped; invalid bytes raise bad_encoding."""
    if first and encoding.replace("_", "-").lower() in ("utf-8", "utf8") and data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise RecordError("bad_encoding", f"bytes that are not valid {encoding}; name the file's encoding with "
                                          "--encoding") from None


def _reject_constant(name: str) -> Any:
    raise RecordError("bad_number", f"{name} is not a JSON number")


def _float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise RecordError("bad_number", f"a number of {len(text)} characters overflows a float")
    return value


def parse_json(text: str, max_depth: int) -> Any:
    """json.loads with every surprise as a RecordError: bad_json, bad_number (NaN, Infinity, overflow, integers of
    thousands of digits), too_deep (the parser's recursion, or deeper than `max_depth`), bad_encoding (lone
    surrogates, from invalid bytes or \\ud800-style escapes, which could never be written back as UTF-8)."""
    try:
        obj = json.loads(text, parse_constant=_reject_constant, parse_float=_float)
    except RecordError:
        raise
    except RecursionError:
        raise RecordError("too_deep", "nested deeper than the parser's recursion limit") from None
    except json.JSONDecodeError as e:
        raise RecordError("bad_json", f"{e.msg} at column {e.colno}") from None
    except ValueError:  # int("1" * 5000): Python's limit on integer digits
        raise RecordError("bad_number", "an integer with more digits than Python converts (4300)") from None
    check_tree(obj, max_depth)
    return obj


def check_tree(obj: Any, max_depth: int) -> None:
    """Depth and strings of a parsed record, without recursion: too_deep, bad_encoding."""
    stack = [(obj, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, str):
            if SURROGATE.search(node):
                raise RecordError("bad_encoding", "a lone surrogate (invalid bytes or a \\ud800-style escape)")
            continue
        if not isinstance(node, (dict, list)):
            continue
        if depth > max_depth:
            raise RecordError("too_deep", f"nested more than {max_depth} levels (ingest.max_depth)")
        if isinstance(node, dict):
            for k, v in node.items():
                if SURROGATE.search(k):
                    raise RecordError("bad_encoding", "a lone surrogate in a key")
                stack.append((v, depth + 1))
        else:
            stack.extend((v, depth + 1) for v in node)


# ---- capped reading ------------------------------------------------------------------------------------------

class TooLarge(RecordError):
    def __init__(self, size: int, cap: int, what: str = "line"):
        super().__init__("too_large", f"{what} of {size:,} bytes or more is over the {cap:,}-byte cap "
                                      "(ingest.max_record_mb); skipped unparsed")


def capped_lines(f: IO[bytes], cap: int, block: int = 1 << 20) -> Iterator[bytes | TooLarge]:
    """Physical lines of at most `cap` bytes; a longer one is skipped in `block`-sized reads (never held whole) and
    yielded as `TooLarge`."""
    while True:
        line = f.readline(cap + 1)
        if not line:
            return
        if len(line) <= cap or line.endswith(b"\n"):
            yield line
            continue
        size = len(line)
        while True:
            rest = f.readline(block)
            size += len(rest)
            if not rest or rest.endswith(b"\n"):
                break
        yield TooLarge(size, cap)


class CappedTextLines:
    """Decoded physical lines for csv.reader, one per `next`; a line over the cap or that does not decode raises its
    RecordError out of the csv reader, which starts afresh with the next line (so one bad row costs one row)."""

    def __init__(self, f: IO[bytes], cap: int, encoding: str):
        self.lines = capped_lines(f, cap)
        self.encoding = encoding
        self.first = True
        self.number = 0  # physical line just read

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        self.number += 1
        first, self.first = self.first, False
        if isinstance(line, RecordError):
            raise line
        return decode(line, self.encoding, first)


def bom_encoding(path: Path) -> str | None:
    """The encoding a byte-order mark at the start of the (decompressed) file announces, if any."""
    with open_binary(path) as f:
        head = f.read(3)
    return next((enc for bom, enc in BOMS.items() if head.startswith(bom)), None)
