"""The release of the real conversations in ../shared (WildChat 589 + OASST 900 prompts, one user per conversation),
built once and reused by bench/suite_eval.py and bench/coverage_eval.py. Data is read in place, never copied.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
REAL = [DATA / "conversations/wildchat/wildchat_589.jsonl", DATA / "conversations/oasst/oasst_en_prompts_900.jsonl"]
BENCHMARKS = {
    "mmlu": DATA / "benchmarks/mmlu/mmlu_test.jsonl",
    "gsm8k": DATA / "benchmarks/gsm8k/test_first660.jsonl",
    "humaneval": DATA / "benchmarks/humaneval/HumanEval.jsonl",
    "truthfulqa": DATA / "benchmarks/truthfulqa/TruthfulQA.jsonl",
    "ifeval": DATA / "benchmarks/ifeval/input_data.jsonl",
    "medqa": DATA / "benchmarks/medqa_usmle/phrases_no_exclude_test.jsonl",
    "hellaswag": DATA / "benchmarks/hellaswag/hellaswag_val_first2000.jsonl",
    "mt_bench": DATA / "conversations/mt_bench/mt_bench_question.jsonl",
    "alpaca_eval": DATA / "conversations/alpaca_eval/alpaca_eval_805.jsonl",
}


def require_data() -> None:
    missing = [p for p in REAL + list(BENCHMARKS.values()) if not p.exists()]
    if missing:
        print(f'{{"skipped": "../shared/data not present ({missing[0]})"}}')
        sys.exit(0)


def clio(*args: str) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "clio"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "CLIO_PROGRESS": "0"}
    proc = subprocess.run([str(exe), *args], capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise RuntimeError(f"clio {' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    return proc


ENCODER = "all-MiniLM-L6-v2"  # the workspace encoder the README's suite and coverage figures were measured with


def real_workspace(ws: Path, inputs: list[Path] = REAL) -> Path:
    """`clio run` on the inputs into ws with MiniLM as the encoder (resumable: a second call reuses every stage)."""
    ws.mkdir(parents=True, exist_ok=True)
    config = ws.parent / f"{ws.name}.config.yaml"
    config.write_text(f"embed: {{model: {ENCODER}}}\n", encoding="utf-8")
    clio("run", *map(str, inputs), "--workspace", str(ws), "--config", str(config), "--one-user-per-conversation")
    return ws
