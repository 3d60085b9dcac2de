"""The fake PII values a synthetic corpus planted (`clio synth` labels), and how leak checks compare text."""
from __future__ import annotations

import json
from pathlib import Path


def planted_values(labels: Path) -> set[str]:
    """Every planted PII value listed in a FILE.labels.jsonl."""
    return {p["value"] for line in Path(labels).read_text().splitlines() if line.strip()
            for p in json.loads(line)["pii"]}


def norm(text: str) -> str:
    """Case and whitespace do not hide a value: "Maria  Garcia" matches "maria garcia"."""
    return "".join(text.split()).lower()
