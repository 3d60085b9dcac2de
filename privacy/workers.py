"""A small bounded process pool for the scrubber: ordered results, bounded work in flight, no hang on a dead worker.

Why not spaCy's `nlp.pipe(n_process=2)`: its workers are fed batches of a fixed count (64 pieces of up to 100,000
characters, 6.4M characters at once, took a worker to 11.8 GB), and when a worker dies (the out-of-memory killer)
or the consumer raises, its clean-up joins workers that are blocked writing and the parent waits forever.

Here each worker is a forked copy of the parent (the models loaded once, shared copy-on-write) that runs a
function over one task at a time; the parent keeps at most `depth` tasks per worker in flight (each bounded by the
caller in characters), waits on the result pipes and on the workers' process sentinels together, and so sees a
dead worker at once: it terminates the others and raises `WorkerDied` naming the exit signal. Workers exit on
their own when the parent disappears (EOF on their task pipe, or a changed parent pid). Raw text crosses the pipes
in memory only; a worker's error comes back as its exception type and location, never a message that could quote
text.
"""
from __future__ import annotations

import contextlib
import os
import queue
import signal
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

SIGNALS = {signal.SIGKILL: "SIGKILL: killed, most likely by the out-of-memory killer",
           signal.SIGTERM: "SIGTERM", signal.SIGSEGV: "SIGSEGV: crashed", signal.SIGABRT: "SIGABRT: aborted",
           signal.SIGBUS: "SIGBUS: crashed"}


class WorkerError(RuntimeError):
    """A worker process failed; the run cannot go on (no partial results are used)."""


class WorkerDied(WorkerError):
    pass


def describe_exit(code: int | None) -> str:
    if code is None:
        return "still running"
    if code < 0:
        return f"exit by signal {-code} ({SIGNALS.get(-code, signal.Signals(-code).name)})"
    return f"exit code {code}"


def _worker_main(work: Callable[[Any], Any], tasks, results, parent_pid: int, close: list) -> None:
    """Loop in the child: one task in, its result out; leave when the parent goes away."""
    for c in close:  # the parent's ends of every pipe, inherited through fork: closed so EOF reaches us
        with contextlib.suppress(OSError):
            c.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    while True:
        try:
            if not tasks.poll(1.0):
                if os.getppid() != parent_pid:
                    os._exit(0)
                continue
            msg = tasks.recv()
        except (EOFError, OSError):
            os._exit(0)
        if msg is None:
            os._exit(0)
        task_id, payload = msg
        try:
            out = (task_id, True, work(payload))
        except BaseException as e:  # noqa: B036 - reported to the parent, which raises
            where = traceback.extract_tb(e.__traceback__)[-1] if e.__traceback__ else None
            out = (task_id, False, f"{type(e).__name__} at {where.filename}:{where.lineno}" if where
                   else type(e).__name__)
        try:
            results.send(out)
        except (BrokenPipeError, OSError):
            os._exit(0)


class _Worker:
    def __init__(self, ctx, work, inherited: list):
        self.tasks_r, self.tasks_w = ctx.Pipe(duplex=False)
        self.results_r, self.results_w = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=_worker_main, daemon=True, name="clio-scrub-worker",
                                args=(work, self.tasks_r, self.results_w, os.getpid(),
                                      [*inherited, self.tasks_w, self.results_r]))
        self.proc.start()
        self.tasks_r.close()  # the child's ends: ours are the other two
        self.results_w.close()
        self.inflight: deque[int] = deque()
        self.outbox: queue.Queue = queue.Queue()
        # sends happen on a thread, so a large task never blocks the loop that drains results (no pipe deadlock)
        self.sender = threading.Thread(target=self._send_loop, daemon=True, name="clio-scrub-sender")
        self.sender.start()

    def _send_loop(self) -> None:
        while True:
            msg = self.outbox.get()
            try:
                self.tasks_w.send(msg)
            except (BrokenPipeError, OSError, ValueError):
                return
            if msg is None:
                return

    def parent_ends(self) -> list:
        return [self.tasks_w, self.results_r]

    def stop(self, grace: float = 2.0) -> None:
        self.outbox.put(None)
        if self.proc.is_alive():
            self.proc.terminate()
        self.proc.join(grace)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(grace)
        for c in self.parent_ends():
            with contextlib.suppress(OSError):
                c.close()
        self.sender.join(grace)


def ordered_map(work: Callable[[Any], Any], tasks: Iterable[Any], processes: int, depth: int = 2,
                timeout: float | None = None) -> Iterator[Any]:
    """`work(task)` for every task, in task order, on `processes` forked workers (in this process when
    `processes` <= 1). At most `depth` tasks per worker are in flight. A worker that dies, raises, or (with
    `timeout`) gives no answer for that many seconds ends the map with a `WorkerError`, after every worker is
    stopped; so does closing the iterator early."""
    if processes <= 1:
        for t in tasks:
            yield work(t)
        return
    import multiprocessing

    ctx = multiprocessing.get_context("fork")  # the loaded models are shared with the workers, as spaCy does
    workers: list[_Worker] = []
    try:
        for _ in range(processes):
            workers.append(_Worker(ctx, work, [c for w in workers for c in w.parent_ends()]))
        yield from _drive(workers, iter(tasks), depth, timeout)
    finally:
        for w in workers:
            w.stop()


def _drive(workers: list[_Worker], tasks: Iterator[Any], depth: int, timeout: float | None) -> Iterator[Any]:
    from multiprocessing.connection import wait

    submitted = delivered = 0
    exhausted = False
    done: dict[int, Any] = {}

    def refill() -> None:
        nonlocal submitted, exhausted
        for w in sorted(workers, key=lambda w: len(w.inflight)):
            while not exhausted and len(w.inflight) < depth:
                task = next(tasks, _END)
                if task is _END:
                    exhausted = True
                    return
                w.inflight.append(submitted)
                w.outbox.put((submitted, task))
                submitted += 1

    refill()
    last = time.monotonic()
    while delivered < submitted or not exhausted:
        while delivered in done:
            yield done.pop(delivered)
            delivered += 1
            refill()
        if delivered >= submitted and exhausted:
            return
        by_conn = {w.results_r: w for w in workers if w.inflight}
        by_sentinel = {w.proc.sentinel: w for w in workers}
        ready = wait([*by_conn, *by_sentinel], timeout=5.0)
        got = False
        for r in ready:
            w = by_sentinel.get(r)
            if w is None:
                w = by_conn[r]
                try:
                    task_id, ok, out = w.results_r.recv()
                except (EOFError, OSError):  # the worker is gone: its pipe closed
                    _died(w)
                if not ok:
                    raise WorkerError(f"a scrub worker failed: {out}")
                if w.inflight and w.inflight[0] == task_id:
                    w.inflight.popleft()
                done[task_id] = out
                got = True
            else:  # a worker exited: results it sent before are of no use now, the run cannot complete
                _died(w)
        if got:
            last = time.monotonic()
        elif timeout is not None and time.monotonic() - last > timeout:
            raise WorkerError(f"no scrub worker answered for {timeout:.0f} s (scrub.worker_timeout); stopped them")
        refill()


def _died(w: _Worker) -> None:
    w.proc.join(1.0)
    raise WorkerDied(f"a scrub worker process died ({describe_exit(w.proc.exitcode)}) with {len(w.inflight)} task(s) "
                     "unfinished; the run stops here and keeps nothing half-done. If it was the out-of-memory killer, "
                     "lower scrub.batch_chars or scrub.n_process")


_END = object()
