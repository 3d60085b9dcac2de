"""Inputs that used to take a run down: one huge message (synthetic chat prose, then a pasted base64 attachment, with
an email planted at each end) and one huge line, among ordinary synthetic conversations."""
from __future__ import annotations

import base64
import json
import random
from pathlib import Path

PLANTED_START = "ada.planted.start@example.org"
PLANTED_END = "zelda.quill.planted@example.org"
HUGE_ID = "huge-message"


def write_input(folder: Path, message_mb: float = 10, prose_mb: float = 0.05, line_mb: float = 100,
                records: int = 60) -> tuple[Path, int | None]:
    """A JSONL of `records` synthetic conversations with, in the middle, one message of `message_mb` (`prose_mb` of
    chat prose, then base64 lines) and, if `line_mb`, one record line of that size. Returns the file and the line
    number of the huge line."""
    from clio.synth.corpus import SynthConfig, write_corpus

    corpus, _, _ = write_corpus(folder / "base.jsonl", SynthConfig(n=max(records, 20), seed=11, users=40))
    lines = corpus.read_text().splitlines()[:records]
    prose = "\n\n".join(m["content"] for line in lines for m in json.loads(line)["messages"])
    size, head_size = int(message_mb * (1 << 20)), int(prose_mb * (1 << 20))
    filler = (prose * (head_size // max(1, len(prose)) + 1))[:head_size]
    head = f"Write to me at {PLANTED_START} about this.\n\n{filler}"
    blob_size = max(0, size - len(head) - len(PLANTED_END) - 40)
    raw = base64.b64encode(random.Random(5).randbytes(blob_size * 3 // 4 + 3)).decode()[:blob_size]
    blob = "\n".join(raw[i : i + 76] for i in range(0, len(raw), 77))  # 76 characters and a newline per line
    text = f"{head}\n\nThe file:\n{blob}\n\nreply to {PLANTED_END}"
    huge = {"id": HUGE_ID, "user_id": "u-huge", "messages": [{"role": "user", "content": text}]}
    path = folder / "large.jsonl"
    line_no = None
    with open(path, "w") as f:
        for line in lines[: records // 2]:
            f.write(line + "\n")
        f.write(json.dumps(huge) + "\n")
        if line_mb:
            line_no = records // 2 + 2
            f.write('{"id": "huge-line", "messages": [{"role": "user", "content": "')
            block = "y" * (1 << 20)
            for _ in range(int(line_mb)):
                f.write(block)
            f.write('"}]}\n')
        for line in lines[records // 2:]:
            f.write(line + "\n")
    return path, line_no


def huge_message_scrubbed(private: Path) -> bool | None:
    """Whether the huge message was written scrubbed from start to end: neither planted email left, and its text
    ends with a placeholder. None when it is not in conversations.jsonl."""
    conv = Path(private) / "conversations.jsonl"
    if not conv.exists():
        return None
    with open(conv) as f:
        huge = next((json.loads(x) for x in f if x.startswith(f'{{"id": "{HUGE_ID}"')), None)
    if huge is None:
        return None
    content = huge["turns"][0]["content"]
    return PLANTED_START not in content and PLANTED_END not in content and content.endswith(">")
