"""Bad input as a demanding user brings it: compressed files, byte-order marks, wrong encodings, deep nesting, huge
numbers and records, odd types, CSV without a text column. Each record is accepted or quarantined with file, line,
reason and detail (never text); nothing is dropped, replaced or guessed silently."""
from __future__ import annotations

import bz2
import gzip
import json
import lzma

import pytest

from clio.ingest.readers import read_records
from clio.ingest.sources import IngestConfig, InputError
from privacy.private import QuarantineEntry
from privacy.raw import RawConversation, unsealed_turns

GOOD = [{"id": f"g{i}", "user_id": f"u{i}", "messages": [{"role": "user", "content": f"question {i} café"}]}
        for i in range(5)]


def lines(rows) -> bytes:
    return b"".join((r if isinstance(r, bytes) else json.dumps(r, ensure_ascii=False).encode()) + b"\n"
                    for r in rows)


def outcome(paths, **config):
    out = list(read_records(paths, IngestConfig(**config)))
    accepted = [r for r in out if isinstance(r, RawConversation)]
    quarantined = [r for r in out if isinstance(r, QuarantineEntry)]
    return accepted, quarantined


@pytest.mark.parametrize("name, pack", [
    ("logs.jsonl.gz", gzip.compress), ("logs.jsonl.bz2", bz2.compress), ("logs.jsonl.xz", lzma.compress),
    ("logs.jsonl.zst", lambda b: __import__("zstandard").ZstdCompressor().compress(b)),
    ("misnamed.jsonl", gzip.compress),  # gzip bytes under a plain name: found by magic bytes
    ("logs.json.gz", lambda b: gzip.compress(json.dumps(GOOD).encode())),
])
def test_compressed_inputs_are_read_whole(tmp_path, name, pack):
    p = tmp_path / name
    p.write_bytes(pack(lines(GOOD)))
    accepted, quarantined = outcome([p])
    assert [c.id for c in accepted] == [r["id"] for r in GOOD] and not quarantined


@pytest.mark.parametrize("name", ["x.jsonl", "x.json", "x.csv"])
def test_a_utf8_byte_order_mark_costs_no_record(tmp_path, name):
    p = tmp_path / name
    if name.endswith(".jsonl"):
        data = lines(GOOD)
    elif name.endswith(".json"):
        data = json.dumps(GOOD).encode()
    else:
        data = ("id,prompt\n" + "".join(f"{r['id']},{r['messages'][0]['content']}\n" for r in GOOD)).encode()
    p.write_bytes(b"\xef\xbb\xbf" + data)
    accepted, quarantined = outcome([p])
    assert [c.id for c in accepted] == [r["id"] for r in GOOD] and not quarantined


def test_invalid_utf8_is_quarantined_never_replaced_and_an_explicit_encoding_decodes_it(tmp_path):
    p = tmp_path / "latin.jsonl"
    latin = '{"id": "l1", "prompt": "caf\u00e9 cr\u00e8me"}'.encode("latin-1")
    p.write_bytes(lines(GOOD[:2]) + latin + b"\n" + lines(GOOD[2:]))
    accepted, quarantined = outcome([p])
    assert len(accepted) == 5 and [(q.line, q.reason) for q in quarantined] == [(3, "bad_encoding")]
    assert "--encoding" in quarantined[0].detail
    assert not any("\ufffd" in t.content for c in accepted for t in unsealed_turns(c))
    accepted, quarantined = outcome([p.with_name("latin.jsonl")], encoding="latin-1")
    texts = {c.id: unsealed_turns(c)[0].content for c in accepted}
    assert texts["l1"] == "caf\u00e9 cr\u00e8me" and not quarantined


def test_ten_thousand_levels_of_nesting_are_quarantined_and_the_rest_survives(tmp_path):
    p = tmp_path / "deep.jsonl"
    p.write_bytes(lines(GOOD[:2]) + b"[" * 10_000 + b"]" * 10_000 + b"\n" + b'{"a":' * 100 + b"1" + b"}" * 100
                  + b"\n" + lines(GOOD[2:]))
    accepted, quarantined = outcome([p])
    assert len(accepted) == 5
    assert [(q.file, q.line, q.reason) for q in quarantined] == [("deep.jsonl", 3, "too_deep"),
                                                                 ("deep.jsonl", 4, "too_deep")]


@pytest.mark.parametrize("bad", [
    b'{"id": "n1", "prompt": "x", "n": ' + b"9" * 5000 + b"}",  # more digits than Python converts
    b'{"id": "n2", "prompt": "x", "n": 1e999}',  # overflows a float
    b'{"id": "n3", "prompt": "x", "n": NaN}',
    b'{"id": "n4", "prompt": "\\ud800 lone surrogate"}',
])
def test_huge_numbers_and_lone_surrogates_are_quarantined_with_their_line(tmp_path, bad):
    p = tmp_path / "n.jsonl"
    p.write_bytes(lines(GOOD[:1]) + bad + b"\n" + lines(GOOD[1:]))
    accepted, quarantined = outcome([p])
    assert len(accepted) == 5 and len(quarantined) == 1 and quarantined[0].line == 2
    assert quarantined[0].reason in ("bad_number", "bad_encoding")


@pytest.mark.parametrize("value", [["a", "b"], {"name": "x"}, 1.5, True])
def test_a_user_id_of_another_type_is_quarantined_not_taken_as_the_shared_unknown_user(tmp_path, value):
    p = tmp_path / "u.jsonl"
    p.write_bytes(lines([{"id": "x1", "user_id": value, "prompt": "hello"}]))
    accepted, quarantined = outcome([p])
    assert not accepted and quarantined[0].reason == "wrong_types" and "user_id" in quarantined[0].detail


def test_a_csv_without_a_text_column_names_the_columns_it_found_and_looked_for(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("id,body,author\n1,hello there,ann\n2,more,bob\n")
    accepted, quarantined = outcome([p])
    assert not accepted and {q.reason for q in quarantined} == {"no_text_column"} and len(quarantined) == 2
    assert "columns found: id, body, author" in quarantined[0].detail and "prompt" in quarantined[0].detail


def test_a_parquet_without_a_text_column_says_so(tmp_path):
    import pandas as pd

    pd.DataFrame([{"id": "a", "body": "x"}]).to_parquet(tmp_path / "t.parquet")
    _, quarantined = outcome([tmp_path / "t.parquet"])
    assert quarantined[0].reason == "no_text_column" and "body" in quarantined[0].detail


def test_a_line_over_the_cap_is_skipped_unparsed_and_the_next_records_survive(tmp_path):
    p = tmp_path / "big.jsonl"
    p.write_bytes(lines(GOOD[:2]) + b'{"id": "big", "prompt": "' + b"y" * 3_000_000 + b'"}\n' + lines(GOOD[2:]))
    accepted, quarantined = outcome([p], max_record_mb=1)
    assert len(accepted) == 5 and [(q.line, q.reason) for q in quarantined] == [(3, "too_large")]
    assert "3,000,0" in quarantined[0].detail


def test_a_json_array_item_over_the_cap_is_skipped_and_items_after_it_are_read(tmp_path):
    items = [*GOOD[:2], {"id": "big", "prompt": "y" * 2_000_000, "nested": [{"a": "]}\\\"[{"}]}, *GOOD[2:]]
    p = tmp_path / "a.json"
    p.write_text("[\n" + ",\n".join(json.dumps(i) for i in items) + "\n]")
    accepted, quarantined = outcome([p], max_record_mb=1)
    assert [c.id for c in accepted] == [r["id"] for r in GOOD]
    assert [(q.line, q.reason) for q in quarantined] == [(4, "too_large")]


def test_a_truncated_json_array_keeps_its_complete_items(tmp_path):
    p = tmp_path / "t.json"
    p.write_text("[" + ",".join(json.dumps(i) for i in GOOD) + ', {"id": "cut", "prom')
    accepted, quarantined = outcome([p])
    assert len(accepted) == 5 and [q.reason for q in quarantined] == ["bad_json"]


def test_a_csv_row_over_the_cap_costs_that_row_only(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text("id,prompt\na,first\nb," + "z" * 2_000_000 + "\nc,third\n")
    accepted, quarantined = outcome([p], max_record_mb=1)
    assert [c.id for c in accepted] == ["a", "c"] and [(q.line, q.reason) for q in quarantined] == [(3, "too_large")]


def test_unknown_file_types_and_utf16_are_named_before_any_work(tmp_path):
    txt = tmp_path / "notes.txt"
    txt.write_text("hello")
    with pytest.raises(InputError, match="notes.txt: unknown file type"):
        list(read_records([txt]))
    u16 = tmp_path / "u.jsonl"
    u16.write_bytes(lines(GOOD).decode().encode("utf-16"))
    with pytest.raises(InputError, match="--encoding utf-16"):
        list(read_records([u16]))


def test_crlf_line_endings_are_read(tmp_path):
    p = tmp_path / "crlf.jsonl"
    p.write_bytes(lines(GOOD).replace(b"\n", b"\r\n"))
    accepted, quarantined = outcome([p])
    assert len(accepted) == 5 and not quarantined


@pytest.mark.slow
def test_a_100_mb_line_is_quarantined_without_being_held_whole(tmp_path):
    """The bounded path: at most the cap of the line is read at once (readline builds it in pieces: twice the cap at
    the peak), the rest skipped in 1 MB reads, nothing decoded or parsed. Python's own allocation peak says so; the
    process tree's figure with the default 32 MB cap is in bench/large_input.py."""
    import tracemalloc

    p = tmp_path / "huge.jsonl"
    with open(p, "wb") as f:
        f.write(lines(GOOD[:1]))
        f.write(b'{"id": "huge", "prompt": "')
        block = b"y" * (1 << 20)
        for _ in range(100):
            f.write(block)
        f.write(b'"}\n')
        f.write(lines(GOOD[1:]))
    tracemalloc.start()
    try:
        accepted, quarantined = outcome([p], max_record_mb=8)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(accepted) == 5 and [(q.line, q.reason) for q in quarantined] == [(2, "too_large")]
    assert peak < 3 * (8 << 20), f"{peak / (1 << 20):.0f} MB held at once"  # the line is 100 MB


def test_a_headerless_csv_names_no_text_of_its_first_row(tmp_path):
    p = tmp_path / "h.csv"
    p.write_text("1,Maria Garcia asked about her MRI results at 4118 Lakeview Drive,ann\n2,more,bob\n")
    _, quarantined = outcome([p])
    detail = quarantined[0].detail
    assert quarantined[0].reason == "no_text_column" and "Maria" not in detail and "Lakeview" not in detail
    assert "columns found: <not a name: 1 characters; is the first row data?>, <not a name: 63 characters" in detail
