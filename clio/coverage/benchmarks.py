"""Read benchmark and public prompt files (JSONL/JSON/CSV/Parquet) as items: the text a user would send, and the
answer key where the file has one.

Recognised shapes (detected from the rows, or `--field` names the text column):

    MMLU          question, A..D, answer (letter)              -> choices, target letter
    MedQA         question, options {A: ..}, answer_idx        -> choices, target letter
    HellaSwag     ctx, endings [..], label (index)             -> choices, target letter
    GSM8K         question, answer ("... #### 18")             -> target "18", reference the worked answer
    TruthfulQA    Question, Best Answer                         -> reference
    HumanEval     prompt, canonical_solution                    -> reference
    AlpacaEval    instruction, output                           -> reference (the file's baseline answer)
    IFEval        prompt                                        -> no answer (instructions are checked by rules)
    MT-bench      turns [..] (first turn), reference            -> reference when given
    Arena/chats   conversation_a / conversation / messages / conversations [{role, content}] -> the first user turn
    any           prompt / instruction / text / question / input / problem / query / goal

Benchmark items are public, not personal data; items a suite uses still pass the release's PII re-scan.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clio.ingest.readers import READERS, file_format

TEXT_FIELDS = ("question", "Question", "prompt", "instruction", "input", "problem", "ctx", "text", "goal", "query",
               "turns")
CHAT_FIELDS = ("conversation_a", "conversation", "messages", "conversations")
OPTION_KEYS = (("A", "B", "C", "D"), ("a", "b", "c", "d"))
REFERENCE_FIELDS = ("canonical_solution", "Best Answer", "best_answer", "reference", "reference_answer", "output",
                    "solution", "response", "completion")
USER_ROLES = ("user", "human", "prompter")
READER_VERSION = "bench-items-2"  # part of the vector cache key: a change in how items are read re-embeds them


@dataclass(frozen=True)
class BenchItem:
    """One item as a user would send it, with the file's answer key (letter `target` with `choices`, a short
    `target`, or a longer `reference`) and where it is (`provenance`: file and row)."""

    text: str
    provenance: str
    reference: str | None = None
    target: str | None = None
    choices: tuple[str, ...] = ()


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _first_user_turn(turns: Any) -> str | None:
    if not isinstance(turns, list):
        return None
    for t in turns:
        if isinstance(t, dict):
            role = str(t.get("role", t.get("from", ""))).lower()
            content = t.get("content", t.get("value", t.get("text")))
            if role in USER_ROLES and isinstance(content, str) and content.strip():
                return content
    return None


def _field_text(row: dict, field: str) -> str | None:
    v = row.get(field)
    if field in CHAT_FIELDS:
        return _first_user_turn(v)
    if isinstance(v, list):  # MT-bench `turns`: the opening turn is the request
        v = next((x for x in v if isinstance(x, str) and x.strip()), None)
    return v if isinstance(v, str) and v.strip() else None


def row_field(row: dict) -> str | None:
    """The first field of `TEXT_FIELDS` then `CHAT_FIELDS` that holds text in this row."""
    return next((f for f in TEXT_FIELDS + CHAT_FIELDS if _field_text(row, f) is not None), None)


def detect_field(rows: list[dict], path: Path | str = "") -> str | None:
    """The text field shared by at least 90% of rows; None when rows differ but at least 90% have one of the known
    fields (each row then uses its own); a clear error naming the fields found otherwise."""
    for f in TEXT_FIELDS + CHAT_FIELDS:
        if rows and sum(_field_text(r, f) is not None for r in rows) >= 0.9 * len(rows):
            return f
    if rows and sum(row_field(r) is not None for r in rows) >= 0.9 * len(rows):
        return None
    found = sorted({k for r in rows[:200] for k in r})
    where = f"{path}: " if path else ""
    raise ValueError(f"{where}could not find the item text; fields found: {', '.join(found) or 'none'}; looked for "
                     f"{', '.join(TEXT_FIELDS + CHAT_FIELDS)}. Name the text field with --field")


def _choices(row: dict) -> tuple[tuple[str, ...], str | None]:
    """(options, letter of the correct one) when the row is multiple choice."""
    opts = row.get("options")
    if isinstance(opts, dict) and opts:
        letters = sorted(opts)
        choices = tuple(str(opts[k]) for k in letters)
        ans = row.get("answer_idx") or row.get("answer")
        if isinstance(ans, str) and ans.strip() in letters:
            return choices, "ABCDEFGHIJ"[letters.index(ans.strip())]
        return choices, None
    if isinstance(row.get("endings"), list) and row["endings"]:
        label = row.get("label")
        try:
            idx = int(label)
        except (TypeError, ValueError):
            idx = -1
        choices = tuple(str(e) for e in row["endings"])
        return choices, chr(65 + idx) if 0 <= idx < len(choices) else None
    if isinstance(opts, list) and opts:
        ans = row.get("answer")
        letter = ans.strip().upper() if isinstance(ans, str) and len(ans.strip()) == 1 else None
        return tuple(str(o) for o in opts), letter
    for keys in OPTION_KEYS:
        if all(k in row for k in keys):
            ans = row.get("answer")
            letter = ans.strip().upper() if isinstance(ans, str) and ans.strip().upper() in "ABCD" and ans.strip() \
                else None
            return tuple(str(row[k]) for k in keys), letter
    return (), None


def _answer(row: dict) -> tuple[str | None, str | None]:
    """(short target, reference) from a free-text answer field: GSM8K's '#### 18' gives the target 18."""
    ans = row.get("answer")
    if isinstance(ans, str) and "####" in ans:
        return ans.rsplit("####", 1)[1].strip().replace(",", ""), ans.strip()
    for f in REFERENCE_FIELDS:
        v = row.get(f)
        if isinstance(v, str) and v.strip():
            return None, v.strip()
    if isinstance(ans, str) and ans.strip() and len(ans.split()) <= 6:
        return ans.strip(), None
    return None, (ans.strip() if isinstance(ans, str) and ans.strip() else None)


def row_item(row: dict, field: str | None, provenance: str) -> BenchItem | None:
    """The item as a user would paste it (question plus lettered options when the row has them), with its key."""
    field = field or row_field(row)
    text = _field_text(row, field) if field else None
    if text is None:
        return None
    text = text.strip()
    choices, letter = _choices(row)
    if choices:
        text += "\n" + "\n".join(f"{chr(65 + i)}) {c}" for i, c in enumerate(choices))
        return BenchItem(text, provenance, target=letter, choices=choices if letter else ())
    target, reference = _answer(row)
    return BenchItem(text, provenance, reference=reference, target=target)


def read_bench_items(path: Path, field: str | None = None) -> list[BenchItem]:
    """Every usable row of a benchmark or public prompt file as a `BenchItem` (rows without text are skipped)."""
    path = Path(path)
    rows = [r for _, r in READERS[file_format(path)](path) if isinstance(r, dict)]
    if not rows:
        raise ValueError(f"{path}: no readable items (expected JSON objects, one per line or in a list, or CSV rows)")
    if field is not None and not any(_field_text(r, field) is not None for r in rows):
        found = sorted({k for r in rows[:200] for k in r})
        raise ValueError(f"{path}: no row has text in field {field!r}; fields found: {', '.join(found)}")
    field = field or detect_field(rows, path)
    out = [row_item(r, field, f"{path.name}#{i}") for i, r in enumerate(rows)]
    return [it for it in out if it is not None]


def read_items(path: Path, field: str | None = None) -> list[str]:
    """The item texts of a benchmark file."""
    return [it.text for it in read_bench_items(path, field)]
