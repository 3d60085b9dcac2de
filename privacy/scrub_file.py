"""Scrubbing whole input files for the commands that work on them: `clio scrub` (records kept in their shape) and
`clio classify` (user turns, scrubbed before anything reads them).

`scrub_records`: every free-text string leaf of a record is scrubbed (one placeholder numbering per record);
structural fields (ids, roles, timestamps) are kept; user ids are replaced by keyed hashes with a one-off secret.
"""
from __future__ import annotations

import json
import secrets
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from privacy.files import atomic_write_with
from privacy.ids import hash_user
from privacy.raw import RawConversation, RecordError
from privacy.scrub import Scrubber, scrub_groups

KEEP = {"id", "role", "from", "type", "conversation_id", "conversation_hash", "message_id", "message_tree_id",
        "parent_id", "timestamp", "created_at", "model", "lang", "language", "source", "question_id", "rank"}
USER_KEYS = {"user_id", "user", "hashed_ip", "author_id"}


def _leaves(obj: Any, path: tuple = ()):
    """(path, text) for every free-text string leaf."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in KEEP or k in USER_KEYS:
                continue
            yield from _leaves(v, path + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _leaves(v, path + (i,))
    elif isinstance(obj, str):
        yield path, obj


def _set(obj: Any, path: tuple, value: str) -> None:
    for p in path[:-1]:
        obj = obj[p]
    obj[path[-1]] = value


def scrub_records(records: Iterable[tuple[int, Any]], source: str, out: Path,
                  scrubber: Scrubber | None = None) -> tuple[int, int]:
    """Write scrubbed records to `out` (JSONL) and unparseable ones to `out`.quarantine.jsonl (no text).
    `records` are (line, parsed record or RecordError) pairs of the input file named `source`."""
    scrubber = scrubber or Scrubber()
    secret = secrets.token_bytes(32)
    quarantine: list[dict] = []
    removed: Counter = Counter()

    def groups():
        for line, rec in records:
            if isinstance(rec, RecordError) or not isinstance(rec, dict):
                quarantine.append({"file": source, "line": line,
                                   "reason": rec.reason if isinstance(rec, RecordError) else "not_an_object",
                                   "detail": rec.detail if isinstance(rec, RecordError) else None})
                continue
            for k in USER_KEYS & rec.keys():
                if isinstance(rec[k], (str, int)):
                    rec[k] = hash_user(secret, str(rec[k]))
            leaves = list(_leaves(rec))
            yield (rec, [p for p, _ in leaves]), [t for _, t in leaves]

    n = 0

    def write(f):
        nonlocal n
        for (rec, paths), texts in scrub_groups(groups(), scrubber, removed):
            for p, t in zip(paths, texts):
                _set(rec, p, t)
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1

    atomic_write_with(Path(out), write, mode="w")
    qpath = Path(str(out) + ".quarantine.jsonl")
    atomic_write_with(qpath, lambda f: [f.write(json.dumps(q) + "\n") for q in quarantine], mode="w")
    return n, len(quarantine)


def scrub_user_turns(convs: Iterable[RawConversation], scrubber: Scrubber) -> Iterator[tuple[str, list[str]]]:
    """(id, scrubbed user turns) per conversation, in input order: what `clio classify` may read."""
    groups = ((conv.id, [t.content for t in conv.turns if t.role == "user"]) for conv in convs)
    return scrub_groups(groups, scrubber, Counter())
