"""Property: whatever malformed lines a JSONL file mixes with valid records (random bytes, truncated JSON, other
JSON values, wrong types, deep nesting, huge numbers, invalid UTF-8, duplicate ids), read in any way (BOM, CRLF,
gzip), every record read is accepted or quarantined (read = accepted + quarantined) and no valid record is lost."""
from __future__ import annotations

import gzip
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clio.ingest.readers import read_records
from privacy.private import QuarantineEntry
from privacy.raw import RawConversation

EXAMPLES = 300

MALFORMED = st.one_of(
    st.binary(min_size=1, max_size=60).map(lambda b: b.replace(b"\n", b"x").replace(b"\r", b"y")),
    st.just(b'{"id": "t", "messages": [{"role": "user", "content": "cut off'),
    st.sampled_from([b"[1, 2]", b'"a string"', b"42", b"null", b"true", b"{}"]),
    st.sampled_from([b'{"id": "w", "messages": "not a list"}', b'{"id": "w", "user_id": ["a"], "prompt": "x"}',
                     b'{"id": "w", "messages": [{"role": "wizard", "content": "x"}]}',
                     b'{"id": "w", "messages": [{"role": "user", "content": 7}]}',
                     b'{"id": "w", "messages": [{"role": "assistant", "content": "only me"}]}']),
    st.integers(min_value=70, max_value=3000).map(lambda n: b"[" * n + b"]" * n),
    st.sampled_from([b'{"id": "n", "prompt": "x", "v": ' + b"7" * 4400 + b"}",
                     b'{"id": "n", "prompt": "x", "v": -1e400}',
                     b'{"id": "n", "prompt": "x", "v": Infinity}', b'{"id": "s", "prompt": "\\udfff"}']),
    st.binary(min_size=1, max_size=8).map(lambda b: b'{"id": "e", "prompt": "caf\xe9 ' + b.replace(b"\n", b"") + b'"}'),
)


@st.composite
def files(draw):
    n_valid = draw(st.integers(0, 8))
    valid = [json.dumps({"id": f"v{i}", "user_id": f"u{i % 3}",
                         "messages": [{"role": "user", "content": draw(st.text(min_size=1, max_size=30).filter(
                             lambda t: t.strip() and not any(0xD800 <= ord(c) <= 0xDFFF for c in t)))}]},
                        ensure_ascii=draw(st.booleans())).encode() for i in range(n_valid)]
    bad = draw(st.lists(MALFORMED, max_size=8))
    dup = [valid[0]] if valid and draw(st.booleans()) else []  # a repeated id: the second copy is quarantined
    rows = [(True, v) for v in valid] + [(False, b) for b in bad] + [(False, d) for d in dup]
    order = draw(st.permutations(range(len(rows))))
    rows = [rows[i] for i in order]
    if dup:  # the first occurrence of the duplicated record is the valid one
        first = next(i for i, (_, r) in enumerate(rows) if r == valid[0])
        rows = [(i == first if r == valid[0] else ok, r) for i, (ok, r) in enumerate(rows)]
    eol = draw(st.sampled_from([b"\n", b"\r\n"]))
    data = (b"\xef\xbb\xbf" if draw(st.booleans()) else b"") + b"".join(r + eol for _, r in rows)
    return rows, data, draw(st.booleans())


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                      HealthCheck.too_slow])
@given(files())
def test_every_record_is_accepted_or_quarantined_and_no_valid_record_is_lost(tmp_path_factory, case):
    rows, data, compressed = case
    path = tmp_path_factory.mktemp("p") / ("in.jsonl.gz" if compressed else "in.jsonl")
    path.write_bytes(gzip.compress(data) if compressed else data)
    out = list(read_records([path]))
    accepted = [r for r in out if isinstance(r, RawConversation)]
    quarantined = [r for r in out if isinstance(r, QuarantineEntry)]
    read = sum(1 for _, r in rows if r.strip())  # a line of whitespace only is no record
    assert len(accepted) + len(quarantined) == len(out) == read
    valid_ids = {json.loads(r)["id"] for ok, r in rows if ok}
    assert {c.id for c in accepted} == valid_ids
    assert all(q.file == path.name and q.line >= 1 and q.reason for q in quarantined)
