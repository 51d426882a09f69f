"""Worker processes that run calls one at a time under the limits of :mod:`jwpextract.limits`.

Workers are forked by a ``forkserver`` (never from a parent with threads or locks), each with its
own pipe: the parent sends a call (a module-level function and its arguments), the worker sends
back its value. Each worker runs an initializer once (loading the rules) and then caps its memory.
A call ends in one of four ways, told to ``done``: its value; :class:`Stopped` "timed out after
N s" (the parent kills the worker at the deadline, wherever it is, and starts another);
:class:`Stopped` "exceeded N memory" (a ``MemoryError``, or the worker aborted by its allocator
under the memory limit: PDFium aborts when an allocation fails); :class:`Stopped` "worker process
died ..." (any other death: a crash, the kernel's out-of-memory killer). Only the call that was
running in a worker is lost with it.

Leaving the pool (an error, Ctrl-C, SIGTERM in the parent) kills its workers; a worker ignores
Ctrl-C (the parent's to handle) and dies with its parent (:func:`~jwpextract.limits.die_with_parent`).
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from types import TracebackType
from typing import Any

from .errors import internal_error
from .limits import OUT_OF_MEMORY, Limits, cap_memory, die_with_parent, exceeded, timed_out

WORKER_DIED = "worker process died while extracting (crash or out of memory)"
POLL = 1.0  # seconds: the longest wait before the deadlines are looked at again
JOIN = 5.0  # seconds given to a worker that closed its pipe to exit
Call = tuple[Callable[..., Any], tuple[Any, ...]]
Done = Callable[[Hashable, Any], None]


@dataclass(frozen=True)
class Stopped:
    """How a call ended that gave no value: its one-line reason."""

    reason: str


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    key: Hashable | None = None
    deadline: float = math.inf
    busy: bool = False


def _serve(conn: Connection, init: Call, max_memory: int) -> None:
    """A worker's life: set up, then run each call received and send back its value."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent(conn.fileno())
    function, arguments = init
    function(*arguments)
    cap_memory(max_memory)
    try:
        while True:
            try:
                function, arguments = conn.recv()
            except EOFError:
                return
            try:
                message: tuple[str, Any] = ("value", function(*arguments))
            except MemoryError:
                message = ("memory", None)
            except Exception as exc:
                message = ("error", internal_error(exc))
            conn.send(message)
    except MemoryError:
        os._exit(OUT_OF_MEMORY)


class Pool:
    """Up to ``size`` workers, each initialized by ``init``; ``preload``: modules the fork server imports
    once for all of them. Use it as a context manager: leaving it kills the workers."""

    def __init__(self, size: int, limits: Limits, init: Call, preload: Sequence[str] = ()) -> None:
        self.size = max(1, size)
        self.limits = limits
        self.init = init
        self.context = multiprocessing.get_context("forkserver")
        self.context.set_forkserver_preload(list(preload))
        self.workers: list[_Worker] = []

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Kill every worker and wait for it."""
        for worker in self.workers:
            self._end(worker)
        self.workers = []

    def _start(self) -> _Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_serve, args=(child, self.init, self.limits.max_memory), daemon=True)
        process.start()
        child.close()
        worker = _Worker(process, parent)
        self.workers.append(worker)
        return worker

    def _end(self, worker: _Worker) -> None:
        with contextlib.suppress(OSError):
            worker.process.kill()
        worker.process.join()
        worker.conn.close()

    def _assign(self, pending: deque[tuple[Hashable, Call]], done: Done) -> None:
        """Give pending calls to idle workers, starting workers up to ``size``. An idle worker found dead
        on sending is replaced; a new one found dead loses the call."""
        while pending:
            idle = next((w for w in self.workers if not w.busy), None)
            if idle is None and len(self.workers) >= self.size:
                return
            worker = idle or self._start()
            key, call = pending[0]
            try:
                worker.conn.send(call)
            except OSError:
                self._drop(worker)
                if idle is None:
                    pending.popleft()
                    done(key, Stopped(WORKER_DIED))
                continue
            pending.popleft()
            worker.key, worker.busy = key, True
            worker.deadline = time.monotonic() + self.limits.timeout if self.limits.timeout > 0 else math.inf

    def _death(self, worker: _Worker) -> Stopped:
        """Why ``worker`` died, once it has."""
        worker.process.join(JOIN)
        code = worker.process.exitcode
        memory = code == OUT_OF_MEMORY or (code == -signal.SIGABRT and self.limits.max_memory > 0)
        return Stopped(exceeded(self.limits.max_memory) if memory else WORKER_DIED)

    def _drop(self, worker: _Worker) -> None:
        self._end(worker)
        self.workers.remove(worker)

    def _received(self, worker: _Worker, done: Done) -> None:
        """The worker's message (or its death) for the call it was running."""
        try:
            kind, value = worker.conn.recv()
        except (EOFError, OSError):
            stopped = self._death(worker)
            self._drop(worker)
            done(worker.key, stopped)
            return
        worker.busy = False
        if kind == "memory":
            value = Stopped(exceeded(self.limits.max_memory))
        elif kind == "error":
            value = Stopped(value)
        done(worker.key, value)

    def run(self, calls: Iterable[tuple[Hashable, Call]], done: Done) -> None:
        """Run each ``(key, call)``; ``done(key, value or Stopped)`` as each ends, in the order they end."""
        pending = deque(calls)
        while pending or any(w.busy for w in self.workers):
            self._assign(pending, done)
            busy = [w for w in self.workers if w.busy]
            nearest = min((w.deadline for w in busy), default=math.inf)
            waits = [w.conn for w in busy] + [w.process.sentinel for w in self.workers]
            ready = set(wait(waits, timeout=max(0.0, min(POLL, nearest - time.monotonic()))))
            for worker in list(self.workers):
                if worker.busy and worker.conn in ready:
                    self._received(worker, done)
                elif worker.process.sentinel in ready:  # died idle: replaced when needed
                    self._drop(worker)
            now = time.monotonic()
            for worker in [w for w in self.workers if w.busy and w.deadline <= now]:
                self._drop(worker)
                done(worker.key, Stopped(timed_out(self.limits.timeout)))
