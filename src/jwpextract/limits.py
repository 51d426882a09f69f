"""What one document may take, and how a worker process is held to it.

A document gets ``timeout`` seconds and ``max_memory`` bytes (0: no limit). In a worker process
(:mod:`jwpextract.workers`) the memory limit caps the worker's address space (``RLIMIT_AS``) at
what it holds once set up (the program, its libraries and rules: about 270 MB) plus
``max_memory``: an allocation past it fails, as ``MemoryError`` in Python and as an abort in
PDFium. The parent kills a worker past its deadline, so the time limit holds inside a call into C
too. Either way the document fails with one line: "exceeded 2 GB memory", "timed out after 120 s".

A worker also dies with its parent: on Linux it gets SIGKILL when the fork server that forked it
dies (``PR_SET_PDEATHSIG``), and it closes its copy of the fork server's "alive" pipe so that the
fork server ends with the parent; a thread ends it as soon as the parent's end of its pipe closes.
"""

from __future__ import annotations

import contextlib
import ctypes
import math
import os
import re
import resource
import select
import signal
import sys
import threading
from dataclasses import dataclass
from multiprocessing import forkserver

UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([KMGT]?)(?:I?B)?", re.IGNORECASE)
NO_LIMIT = ("0", "none", "unlimited")
PR_SET_PDEATHSIG = 1
ORPHANED = 70  # the exit status of a worker whose parent is gone
OUT_OF_MEMORY = 71  # ... of a worker that could not even report a MemoryError


@dataclass(frozen=True)
class Limits:
    """Per document: ``timeout`` seconds, ``max_memory`` bytes of address space (0: no limit)."""

    timeout: float = 0.0
    max_memory: int = 0


def parse_size(text: str) -> int:
    """Bytes of "2GB", "512 MB", "1.5g", "300000000" (units are powers of 1024); 0 for "0", "none",
    "unlimited". A ValueError names what is wrong."""
    if text.strip().lower() in NO_LIMIT:
        return 0
    match = SIZE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a size such as 2GB, 512MB or 0 (no limit)")
    size = int(float(match.group(1)) * UNITS[match.group(2).upper()])
    if size <= 0:
        raise ValueError(f"{text!r} is not a size such as 2GB, 512MB or 0 (no limit)")
    return size


def parse_timeout(value: float) -> float:
    """Seconds of a time limit: 0 and ``inf`` mean no limit (0 is returned); a ValueError for NaN or
    a negative number."""
    if math.isnan(value) or value < 0:
        raise ValueError(f"{value} is not a number of seconds at least 0 (0 or inf: no limit)")
    return 0.0 if math.isinf(value) else value


def size_text(size: int) -> str:
    """ "2 GB", "512 MB", "1.5 GB": the size in the largest unit it reaches."""
    for unit in ("T", "G", "M", "K"):
        if size >= UNITS[unit]:
            return f"{size / UNITS[unit]:.4g} {unit}B"
    return f"{size} B"


def exceeded(max_memory: int) -> str:
    return f"exceeded {size_text(max_memory)} memory" if max_memory else "out of memory"


def timed_out(seconds: float) -> str:
    return f"timed out after {seconds:g} s"


# ------------------------------------------------------------------------ in the worker


def address_space() -> int:
    """This process's address space in bytes (0 where ``/proc`` does not tell)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def cap_memory(max_memory: int) -> None:
    """Limit this process's address space to what it holds now plus ``max_memory`` bytes (0: unchanged;
    never above the hard limit)."""
    if not max_memory:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = address_space() + max_memory
    resource.setrlimit(resource.RLIMIT_AS, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))


def die_with_parent(channel: int) -> None:
    """End this worker when its parent ends (see the module docstring); ``channel``: the file descriptor
    of its pipe to the parent."""
    alive = getattr(forkserver._forkserver, "_forkserver_alive_fd", None)  # no public API
    if alive is not None:
        with contextlib.suppress(OSError):
            os.close(alive)
        forkserver._forkserver._forkserver_alive_fd = None  # type: ignore[attr-defined]
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    threading.Thread(target=_watch, args=(channel,), name="parent-watch", daemon=True).start()


def _watch(channel: int) -> None:
    """Wait until the other end of ``channel`` (a socket) closes, then exit at once."""
    poll = select.poll()
    poll.register(channel, getattr(select, "POLLRDHUP", 0) | select.POLLHUP)
    while True:
        with contextlib.suppress(InterruptedError):
            if poll.poll():
                os._exit(ORPHANED)
