"""Benchmark and public prompt files as items, each shape with its answer key (table-driven), and a clear error
naming the fields found when no text field fits."""
from __future__ import annotations

import json

import pytest

from clio.coverage.benchmarks import read_bench_items

CASES = [  # (name, row, text starts with, target, choices, reference starts with)
    ("mmlu", {"question": "2+2?", "A": "3", "B": "4", "C": "5", "D": "6", "answer": "B"},
     "2+2?\nA) 3\nB) 4", "B", ("3", "4", "5", "6"), None),
    ("medqa", {"question": "Drug for X?", "options": {"A": "a", "B": "b", "C": "c"}, "answer_idx": "C"},
     "Drug for X?\nA) a", "C", ("a", "b", "c"), None),
    ("hellaswag", {"ctx": "A man opens a jar and", "endings": ["eats", "sings", "runs", "naps"], "label": "2"},
     "A man opens a jar and\nA) eats", "C", ("eats", "sings", "runs", "naps"), None),
    ("gsm8k", {"question": "Apples left?", "answer": "She has 3 + 15 = 18.\n#### 18"},
     "Apples left?", "18", (), "She has 3 + 15"),
    ("truthfulqa", {"Question": "Why is the sky blue?", "Best Answer": "Rayleigh scattering."},
     "Why is the sky blue?", None, (), "Rayleigh scattering."),
    ("humaneval", {"task_id": "HumanEval/0", "prompt": "def add(a, b):\n", "canonical_solution": "    return a + b"},
     "def add(a, b):", None, (), "return a + b"),
    ("alpaca_eval", {"instruction": "Name three fruits.", "output": "Apple, pear, plum.", "generator": "gpt4"},
     "Name three fruits.", None, (), "Apple, pear, plum."),
    ("ifeval", {"key": 1, "prompt": "Write a haiku without commas.", "instruction_id_list": ["punctuation"]},
     "Write a haiku without commas.", None, (), None),
    ("mt_bench", {"question_id": 81, "category": "writing", "turns": ["Plan a trip to Hawaii.", "Rewrite it."]},
     "Plan a trip to Hawaii.", None, (), None),
    ("arena", {"question_id": "q1", "conversation_a": [{"role": "user", "content": "Explain DNS."},
                                                        {"role": "assistant", "content": "DNS maps names."}]},
     "Explain DNS.", None, (), None),
    ("sharegpt", {"id": "x", "conversations": [{"from": "human", "value": "Fix my SQL."},
                                               {"from": "gpt", "value": "Sure."}]},
     "Fix my SQL.", None, (), None),
]


@pytest.mark.parametrize("name,row,text,target,choices,reference", CASES, ids=[c[0] for c in CASES])
def test_each_benchmark_shape_reads_with_its_answer_key(tmp_path, name, row, text, target, choices, reference):
    path = tmp_path / f"{name}.jsonl"
    path.write_text(json.dumps(row) + "\n" + json.dumps(row) + "\n", encoding="utf-8")
    items = read_bench_items(path)
    assert len(items) == 2 and items[1].provenance == f"{name}.jsonl#1"
    it = items[0]
    assert it.text.startswith(text), it.text
    assert it.target == target and it.choices == choices
    if reference is None:
        assert it.reference is None, it.reference
    else:
        assert it.reference and it.reference.startswith(reference), it.reference


def test_when_no_text_field_fits_then_the_error_names_the_fields_found(tmp_path):
    path = tmp_path / "odd.jsonl"
    path.write_text(json.dumps({"q_id": 1, "body_html": "<p>x</p>", "score": 3}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="fields found: body_html, q_id, score.*--field"):
        read_bench_items(path)
    assert read_bench_items(path, "body_html")[0].text == "<p>x</p>"
    with pytest.raises(ValueError, match="no row has text in field 'nope'; fields found: body_html, q_id, score"):
        read_bench_items(path, "nope")
