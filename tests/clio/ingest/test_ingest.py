from __future__ import annotations

import json

import pytest

from clio.ingest.readers import read_records
from privacy.private import QuarantineEntry
from privacy.raw import RawConversation, unsealed_turns

FORMATS = [
    ({"id": "a", "messages": [{"role": "user", "content": "hi there"}, {"role": "assistant", "content": "hello"}]},
     [("user", "hi there"), ("assistant", "hello")]),
    ({"id": "b", "messages": [{"role": "user", "content": [{"type": "text", "text": "block text"}]}]},
     [("user", "block text")]),
    ({"id": "c", "conversations": [{"from": "system", "value": "be nice"}, {"from": "human", "value": "q"},
                                   {"from": "gpt", "value": "a"}]},
     [("system", "be nice"), ("user", "q"), ("assistant", "a")]),
    ({"conversation_hash": "d", "conversation": [{"role": "user", "content": "lmsys q"}]}, [("user", "lmsys q")]),
    ({"message_tree_id": "e", "prompt": {"role": "prompter", "text": "root", "replies": [
        {"role": "assistant", "text": "worse", "rank": 1}, {"role": "assistant", "text": "best", "rank": 0,
                                                           "replies": [{"role": "prompter", "text": "more"}]}]}},
     [("user", "root"), ("assistant", "best"), ("user", "more")]),
    ({"id": "f", "instruction": "Do it", "input": "with this"}, [("user", "Do it\n\nwith this")]),
    ({"id": "g", "prompt": "plain prompt"}, [("user", "plain prompt")]),
    ({"id": "h", "text": "plain text"}, [("user", "plain text")]),
    ({"id": "i", "messages": [{"role": "developer", "content": "x"}, {"role": "user", "content": "y"},
                              {"role": "tool", "content": "z"}]}, [("system", "x"), ("user", "y"), ("tool", "z")]),
]


def write_jsonl(path, rows):
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))
    return path


@pytest.mark.parametrize("record,turns", FORMATS)
def test_when_record_in_known_format_then_turns_normalised(tmp_path, record, turns):
    (conv,) = list(read_records([write_jsonl(tmp_path / "x.jsonl", [record])]))
    assert isinstance(conv, RawConversation)
    assert [(t.role, t.content) for t in unsealed_turns(conv)] == turns


BAD = [
    ("{not json", "bad_json"),
    (json.dumps({"id": "1", "messages": [{"role": "assistant", "content": "only me"}]}), "no_user_turn"),
    (json.dumps({"id": "2", "messages": "not a list"}), "wrong_types"),
    (json.dumps({"id": "3", "messages": [{"role": "user", "content": "   "}]}), "empty"),
    (json.dumps({"id": "4", "weird": 1}), "unknown_format"),
    (json.dumps([1, 2]), "not_an_object"),
    (json.dumps({"id": "5", "messages": [{"role": "wizard", "content": "x"}]}), "unknown_role"),
]


@pytest.mark.parametrize("line,reason", BAD)
def test_when_record_unusable_then_quarantined_with_reason_and_no_text(tmp_path, line, reason):
    (q,) = list(read_records([write_jsonl(tmp_path / "x.jsonl", [line])]))
    assert isinstance(q, QuarantineEntry)
    assert (q.file, q.line, q.reason) == ("x.jsonl", 1, reason)


def test_when_ids_repeat_then_second_is_quarantined(tmp_path):
    rows = [{"id": "same", "prompt": "a"}, {"id": "same", "prompt": "b"}]
    out = list(read_records([write_jsonl(tmp_path / "x.jsonl", rows)]))
    assert isinstance(out[0], RawConversation) and out[1].reason == "duplicate_id"


def test_json_array_is_streamed_item_by_item_with_line_numbers(tmp_path):
    p = tmp_path / "x.json"
    p.write_text('[\n{"id": "a", "prompt": "one"},\n{"id": "b", "prompt": "two"}\n]')
    from clio.ingest import readers

    out = list(readers._read_json(p, chunk=8))  # tiny chunks: objects span reads
    assert [r["id"] for _, r in out] == ["a", "b"]
    assert [line for line, _ in out] == [2, 3]


def test_csv_and_parquet_records_are_read(tmp_path):
    import pandas as pd

    rows = [{"id": "a", "prompt": "csv one"}, {"id": "b", "messages": json.dumps([{"role": "user", "content": "m"}])}]
    pd.DataFrame(rows).to_csv(tmp_path / "x.csv", index=False)
    pd.DataFrame(rows).to_parquet(tmp_path / "x.parquet")
    for name in ("x.csv", "x.parquet"):
        out = list(read_records([tmp_path / name]))
        assert [type(r).__name__ for r in out] == ["RawConversation", "RawConversation"], name
        assert unsealed_turns(out[1])[0].content == "m"


def test_counts_reconcile_on_a_mixed_file(tmp_path):
    rows = [r for r, _ in FORMATS] + [line for line, _ in BAD]
    out = list(read_records([write_jsonl(tmp_path / "mix.jsonl", rows)]))
    accepted = sum(isinstance(r, RawConversation) for r in out)
    quarantined = sum(isinstance(r, QuarantineEntry) for r in out)
    assert (accepted, quarantined) == (len(FORMATS), len(BAD))
    assert accepted + quarantined == len(rows)


def test_real_logs_parse_without_quarantine():
    from tests.fakes.shared import shared_data

    for path in (shared_data("conversations", "wildchat", "wildchat_589.jsonl"),
                 shared_data("conversations", "oasst", "en_100_tree.jsonl")):
        out = list(read_records([path]))
        assert all(isinstance(r, RawConversation) for r in out), path
