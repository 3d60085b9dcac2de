"""`clio run` on real public logs from ../shared/data (skipped when absent): formats and reconciliation."""
from __future__ import annotations

import json

import pandas as pd

from clio.pipeline import Components, run
from tests.fakes.shared import shared_data


def head(path, n):
    with open(path) as f:
        return [json.loads(next(f)) for _ in range(n)]


def test_run_on_wildchat_oasst_and_a_mixed_format_file(tmp_path, scrubber, fast_config):
    wild = head(shared_data("conversations", "wildchat", "wildchat_589.jsonl"), 40)
    tree = head(shared_data("conversations", "oasst", "en_100_tree.jsonl"), 20)
    (tmp_path / "wild.jsonl").write_text("".join(json.dumps(r) + "\n" for r in wild))
    (tmp_path / "tree.json").write_text(json.dumps(tree))  # a JSON array
    mixed = [
        {"id": "sg", "conversations": [{"from": "human", "value": "How do I bake bread?"},
                                       {"from": "gpt", "value": "Knead it."}]},
        {"id": "lm", "conversation": [{"role": "user", "content": "Explain recursion"}]},
        {"id": "in", "instruction": "Summarise this", "input": "text"},
        {"id": "bad"},
    ]
    pd.DataFrame({"id": [m["id"] for m in mixed], "prompt": ["a", "b", "c", None]}).to_parquet(tmp_path / "p.parquet")
    (tmp_path / "mixed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in mixed) + "{broken\n")
    inputs = [tmp_path / n for n in ("wild.jsonl", "tree.json", "mixed.jsonl", "p.parquet")]
    cfg = fast_config.replace(release={"one_user_per_conversation": True})
    s = run(inputs, tmp_path / "w", cfg, Components(scrubber=scrubber))
    assert s.read == 40 + 20 + 5 + 4
    assert s.read == s.accepted + s.quarantined
    # duplicate ids across files are quarantined too: the parquet rows reuse the mixed file's ids
    assert s.quarantine_reasons == {"unknown_format": 2, "bad_json": 1, "duplicate_id": 3}
    q = [json.loads(line) for line in (tmp_path / "w" / "private" / "quarantine.jsonl").read_text().splitlines()]
    assert all({"file", "id", "line", "reason"} <= set(r) <= {"file", "id", "line", "reason", "detail"} for r in q)
    texts = ("bake bread", "Knead", "recursion", "Summarise", "broken")
    assert not [r["detail"] for r in q if r.get("detail") and any(t in r["detail"] for t in texts)]  # never text
