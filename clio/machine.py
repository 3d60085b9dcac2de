"""What this machine gives the process: kept out of the stage packages, which touch no OS state."""
from __future__ import annotations

import os


def usable_cpus() -> int:
    """CPUs this process may run on: its affinity (not the host's count), capped by OMP_NUM_THREADS when set (Ray
    sets it to a worker's CPU share, so two workers on two cores do not run two threads each)."""
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        n = os.cpu_count() or 1
    omp = os.environ.get("OMP_NUM_THREADS", "")
    return max(1, min(n, int(omp)) if omp.isdigit() and int(omp) > 0 else n)
