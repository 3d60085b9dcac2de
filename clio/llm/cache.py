"""Response cache keyed by hash(model, prompt version, scrubbed input): a re-run makes zero calls.

Lives under WORKSPACE/private/cache/ (LLM outputs describe scrubbed conversations: private tier).
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path


def request_key(model: str, prompt_version: str, system: str, user: str) -> str:
    return hashlib.sha256("\x00".join((model, prompt_version, system, user)).encode()).hexdigest()[:32]


class LLMCache:
    def __init__(self, path: Path | None):
        self.path = Path(path) if path else None
        self._data: dict[str, str] = {}
        if self.path and self.path.exists():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    row = json.loads(line)
                    self._data[row["key"]] = row["text"]

    def get(self, key: str) -> str | None:
        return self._data.get(key)

    def put(self, key: str, text: str) -> None:
        self._data[key] = text
        if self.path:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a", encoding="utf-8") as f:  # append-only: an interrupted run keeps its work
                f.write(json.dumps({"key": key, "text": text}, ensure_ascii=False) + "\n")

    def __len__(self) -> int:
        return len(self._data)
