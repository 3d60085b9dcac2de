"""Progress bars on a terminal (rows done, rate, time left); silent in CI logs and pipes."""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager


def _enabled() -> bool:
    if os.environ.get("CLIO_PROGRESS") == "1":
        return True
    if os.environ.get("CI") or os.environ.get("CLIO_PROGRESS") == "0":
        return False
    return sys.stderr.isatty()


class _Null:
    def update(self, n: int = 1) -> None:
        pass


@contextmanager
def progress(total: int | None, desc: str):
    """A tqdm bar on stderr when interactive, otherwise a no-op with the same `update` method."""
    if not _enabled():
        yield _Null()
        return
    from tqdm import tqdm

    with tqdm(total=total, desc=desc, unit="row", file=sys.stderr, dynamic_ncols=True, leave=False) as bar:
        yield bar
