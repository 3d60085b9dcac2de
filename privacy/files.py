"""Atomic file writes (temp file in the same folder, fsync, rename).

The bottom of the stack: the release door, the audit, the workspace and the suite exporters all write through
these, so no reader ever sees half a file.
"""
from __future__ import annotations

import json
import os
import signal
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


FAILPOINT_ENV = "CLIO_FAILPOINT"


def _failpoint(path: Path) -> int | None:
    """Fault injection for the kill-and-resume tests: CLIO_FAILPOINT="NAME@N[,NAME@N]" makes the process SIGKILL
    itself at the N-th write into the temp file of NAME (N = 0: once the temp file is complete, before the rename).
    Unset (always, outside those tests), this costs one dictionary lookup per file written."""
    spec = os.environ.get(FAILPOINT_ENV)
    if not spec:
        return None
    for item in spec.split(","):
        name, _, n = item.strip().partition("@")
        if name == path.name:
            return int(n or 0)
    return None


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


class _KillAt:
    """A file whose N-th write kills the process (see `_failpoint`)."""

    def __init__(self, f, n: int):
        self._f, self._n, self._count = f, n, 0

    def write(self, data):
        self._count += 1
        if self._count >= self._n:
            self._f.flush()
            _die()
        return self._f.write(data)

    def __getattr__(self, name):
        return getattr(self._f, name)


def atomic_write_with(path: Path, writer: Callable[[Any], None], mode: str = "wb") -> None:
    """Write via temp file in the same folder, fsync, rename: readers never see half a file. The temp file is
    removed on any exception, SIGTERM's included (the CLI turns SIGTERM into SystemExit); after a SIGKILL it stays
    until the next run on the workspace removes it (`clio.workspace.Workspace.remove_stale_temp_files`)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    kill_at = _failpoint(path)
    try:
        with os.fdopen(fd, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as f:
            writer(f if not kill_at else _KillAt(f, kill_at))
            f.flush()
            os.fsync(f.fileno())
        if kill_at == 0:
            _die()
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_with(path, lambda f: f.write(text), mode="w")


def atomic_write_json(path: Path, obj: Any) -> None:
    atomic_write_text(path, json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=False) + "\n")


def atomic_write_jsonl(path: Path, rows) -> None:
    def w(f):
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")

    atomic_write_with(path, w, mode="w")


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
