"""Running the CLI in a child process and measuring it: peak resident memory of its whole process tree (the
scrub workers included), sampled every `interval` seconds; an optional RSS limit kills the tree when exceeded."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Finished:
    returncode: int
    stdout: str
    stderr: str
    peak_rss_mb: float
    seconds: float
    killed_over_limit: bool = False


ROOT = Path(__file__).resolve().parents[2]


def clio_command() -> list[str]:
    return [str(Path(sys.executable).parent / "clio")]


def child_env(extra: dict | None = None) -> dict[str, str]:
    """The environment for a `clio` child: this checkout first on the path (the venv's editable install may point at
    another worktree), no progress bars, CI mode."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, "CI": "1", "CLIO_PROGRESS": "0", **(extra or {})}


def tree_rss(proc) -> int:
    import psutil

    total = 0
    try:
        for p in [proc, *proc.children(recursive=True)]:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
    except psutil.Error:
        pass
    return total


def run_measured(args: list[str], timeout: float, rss_limit_mb: float | None = None, interval: float = 0.2,
                 env: dict | None = None, cwd: Path | None = None) -> Finished:
    """Run `args`, sampling the tree's RSS; past `timeout` seconds (or over `rss_limit_mb`) the tree is killed and
    the result says so (returncode -9)."""
    import psutil

    start = time.monotonic()
    full_env = child_env(env)
    child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=full_env,
                             cwd=cwd, start_new_session=True)
    ps = psutil.Process(child.pid)
    peak, over = 0, False
    import threading

    out: dict[str, str] = {}
    reader = threading.Thread(target=lambda: out.update(zip(("stdout", "stderr"), child.communicate())), daemon=True)
    reader.start()
    while child.poll() is None:
        peak = max(peak, tree_rss(ps))
        elapsed = time.monotonic() - start
        if elapsed > timeout or (rss_limit_mb is not None and peak > rss_limit_mb * (1 << 20)):
            over = rss_limit_mb is not None and peak > rss_limit_mb * (1 << 20)
            os.killpg(child.pid, 9)
            break
        time.sleep(interval)
    reader.join(30)
    return Finished(child.wait(), out.get("stdout", ""), out.get("stderr", ""), round(peak / (1 << 20), 1),
                    round(time.monotonic() - start, 1), over)
