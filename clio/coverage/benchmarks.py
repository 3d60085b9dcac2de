"""Read benchmark items (JSONL/JSON/CSV/Parquet) and find the field that holds the question text."""
from __future__ import annotations

from pathlib import Path

from clio.ingest.readers import READERS, file_format

TEXT_FIELDS = ("question", "prompt", "input", "instruction", "problem", "text", "goal", "ctx", "query", "Question")
OPTION_KEYS = (("A", "B", "C", "D"), ("a", "b", "c", "d"))


def detect_field(rows: list[dict]) -> str:
    for f in TEXT_FIELDS:
        if rows and sum(isinstance(r.get(f), str) and r[f].strip() != "" for r in rows) >= 0.9 * len(rows):
            return f
    raise ValueError(f"could not find the item text field; looked for {', '.join(TEXT_FIELDS)}. "
                     "Name it with --field")


def item_text(row: dict, field: str) -> str:
    """The item as a user would paste it: question plus lettered options when the row has them."""
    text = str(row.get(field, "")).strip()
    opts = row.get("options")
    if isinstance(opts, dict):
        text += "\n" + "\n".join(f"{k}) {v}" for k, v in opts.items())
    elif isinstance(opts, list):
        text += "\n" + "\n".join(f"{chr(65 + i)}) {v}" for i, v in enumerate(opts))
    else:
        for keys in OPTION_KEYS:
            if all(k in row for k in keys):
                text += "\n" + "\n".join(f"{k.upper()}) {row[k]}" for k in keys)
                break
    return text


def read_items(path: Path, field: str | None = None) -> list[str]:
    rows = [r for _, r in READERS[file_format(path)](Path(path)) if isinstance(r, dict)]
    if not rows:
        raise ValueError(f"{path}: no readable items")
    field = field or detect_field(rows)
    return [item_text(r, field) for r in rows if str(r.get(field, "")).strip()]
