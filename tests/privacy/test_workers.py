"""The scrubber's process pool: results in task order, and a worker that dies or fails ends the map at once with a
clear error and no process left behind, never a hang (the out-of-memory killer ending a spaCy worker used to leave
the parent waiting on a pipe forever)."""
from __future__ import annotations

import contextlib
import os
import signal

import pytest

from privacy.workers import WorkerDied, WorkerError, describe_exit, ordered_map


@contextlib.contextmanager
def hang_guard(seconds: int = 120):
    """Turn a hang into a failure (SIGALRM), so the test can fail rather than block the suite."""
    def on_alarm(signum, frame):
        raise AssertionError(f"ordered_map hung for {seconds} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def children() -> list:
    import psutil

    return [p for p in psutil.Process().children() if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


def square(x: int) -> int:
    return x * x


def die_at(x: int) -> int:
    if x == 7:
        os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer does
    return x


def fail_at(x: int) -> int:
    if x == 3:
        raise ValueError("secret text from the task: maria.garcia@example.com")
    return x


def test_results_come_in_task_order_from_several_workers():
    with hang_guard():
        assert list(ordered_map(square, range(200), processes=2, depth=3)) == [x * x for x in range(200)]
    assert children() == []


def test_one_process_runs_in_this_process():
    assert list(ordered_map(square, range(5), processes=1)) == [0, 1, 4, 9, 16]


def test_a_worker_killed_mid_map_ends_it_with_the_signal_named_and_no_worker_left():
    out = []
    with hang_guard(), pytest.raises(WorkerDied, match=r"died \(exit by signal 9 \(SIGKILL: killed, most likely by "
                                                       r"the out-of-memory killer\)\)"):
        for x in ordered_map(die_at, range(100), processes=2):
            out.append(x)
    assert out == list(range(len(out))) and len(out) <= 7  # what came before, in order; nothing after
    assert children() == []


def test_a_failing_task_ends_the_map_naming_the_exception_type_and_place_never_its_message():
    with hang_guard(), pytest.raises(WorkerError) as err:
        list(ordered_map(fail_at, range(20), processes=2))
    assert "ValueError at" in str(err.value) and "test_workers.py" in str(err.value)
    assert "maria" not in str(err.value) and "secret" not in str(err.value)
    assert children() == []


def test_closing_the_map_early_stops_every_worker():
    with hang_guard():
        it = ordered_map(square, range(10_000), processes=2)
        assert next(it) == 0
        it.close()
    assert children() == []


def test_exit_codes_are_described():
    assert describe_exit(-9).startswith("exit by signal 9 (SIGKILL")
    assert describe_exit(-11) == "exit by signal 11 (SIGSEGV: crashed)"
    assert describe_exit(3) == "exit code 3"
