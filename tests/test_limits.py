"""Limits per document and worker processes: sizes and timeouts parsed, a time limit that holds
inside C code, a memory ceiling, deaths told apart, workers that die with their parent."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Hashable
from typing import Any

import pytest

from jwpextract.limits import Limits, parse_size, parse_timeout, size_text
from jwpextract.workers import WORKER_DIED, Pool, Stopped

from .conftest import ROOT

MB = 1 << 20


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("2GB", 2 << 30),
        ("2 GB", 2 << 30),
        ("512MB", 512 << 20),
        ("512mib", 512 << 20),
        ("1.5g", 3 << 29),
        ("300000", 300000),
        ("64K", 64 << 10),
        ("0", 0),
        ("none", 0),
        ("unlimited", 0),
    ],
)
def test_sizes(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "lots", "-1GB", "2 XB", "0.0001", "1e9"])
def test_bad_sizes(text: str) -> None:
    with pytest.raises(ValueError, match="is not a size"):
        parse_size(text)


@pytest.mark.parametrize(("size", "text"), [(2 << 30, "2 GB"), (512 << 20, "512 MB"), (3 << 29, "1.5 GB"), (100, "100 B")])
def test_size_text(size: int, text: str) -> None:
    assert size_text(size) == text


@pytest.mark.parametrize(("value", "seconds"), [(0.0, 0.0), (2.5, 2.5), (float("inf"), 0.0)])
def test_timeouts(value: float, seconds: float) -> None:
    assert parse_timeout(value) == seconds


@pytest.mark.parametrize("value", [float("nan"), -1.0, float("-inf")])
def test_bad_timeouts(value: float) -> None:
    with pytest.raises(ValueError, match="is not a number of seconds"):
        parse_timeout(value)


# --- calls run in workers (module-level: sent to the workers by name) -----------------------------


def nothing() -> None:
    """The workers' initializer."""


def square(n: int) -> int:
    return n * n


def backtrack(n: int) -> bool:
    """Catastrophic backtracking: one C call that holds the GIL and never looks at signals."""
    return re.fullmatch(r"(a+)+$", "a" * n + "!") is not None


def allocate(size: int) -> int:
    return len(bytearray(size))


def die(signum: int) -> None:
    os.kill(os.getpid(), signum)


def run(calls: list[tuple[Hashable, Any]], limits: Limits, size: int = 1) -> dict[Hashable, Any]:
    results: dict[Hashable, Any] = {}
    with Pool(size, limits, (nothing, ())) as pool:
        pool.run([(key, (function, args)) for key, (function, args) in calls], results.__setitem__)
    return results


def test_values_come_back_by_key() -> None:
    assert run([(n, (square, (n,))) for n in range(6)], Limits(), size=2) == {n: n * n for n in range(6)}


def test_the_time_limit_holds_inside_a_c_call_and_the_next_call_runs() -> None:
    started = time.monotonic()
    results = run([("slow", (backtrack, (64,))), ("next", (square, (3,)))], Limits(timeout=1))
    assert results == {"slow": Stopped("timed out after 1 s"), "next": 9}
    assert time.monotonic() - started < 20


def test_a_memory_error_under_the_ceiling_is_named_and_the_worker_goes_on() -> None:
    results = run([("big", (allocate, (1 << 30,))), ("small", (allocate, (MB,)))], Limits(max_memory=512 * MB))
    assert results == {"big": Stopped("exceeded 512 MB memory"), "small": MB}


@pytest.mark.parametrize(
    ("signum", "max_memory", "reason"),
    [
        pytest.param(signal.SIGKILL, 512 * MB, WORKER_DIED, id="killed"),
        pytest.param(signal.SIGSEGV, 512 * MB, WORKER_DIED, id="crashed"),
        pytest.param(signal.SIGABRT, 512 * MB, "exceeded 512 MB memory", id="aborted-under-a-ceiling"),  # PDFium's way
        pytest.param(signal.SIGABRT, 0, WORKER_DIED, id="aborted-without-a-ceiling"),
    ],
)
def test_a_dead_worker_loses_its_call_alone(signum: int, max_memory: int, reason: str) -> None:
    calls = [("before", (square, (2,))), ("dies", (die, (signum,))), ("after", (square, (4,)))]
    assert run(calls, Limits(max_memory=max_memory)) == {"before": 4, "dies": Stopped(reason), "after": 16}


PARENT = """
import sys, time
sys.path.insert(0, {root!r})
from jwpextract.limits import Limits
from jwpextract.workers import Pool
from tests.test_limits import nothing, {call}

def started(key, value):
    pass

with Pool(1, Limits(timeout=600), (nothing, ())) as pool:
    worker = pool._start()
    print(worker.process.pid, flush=True)
    pool.run([(0, ({call}, ({argument},)))], started)
    time.sleep(600)  # the worker idle
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal and /proc: Linux")
@pytest.mark.parametrize(
    ("call", "argument"),
    [
        pytest.param("allocate", 1, id="idle"),  # waiting for a call: its pipe closes
        pytest.param("backtrack", 64, id="busy-in-C-holding-the-GIL"),  # the fork server ends: PR_SET_PDEATHSIG
    ],
)
def test_workers_die_with_their_parent(call: str, argument: int) -> None:
    code = textwrap.dedent(PARENT.format(root=str(ROOT), call=call, argument=argument))
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    worker = int(parent.stdout.readline())
    try:
        time.sleep(1.0)  # the call under way
        assert _alive(worker)
        parent.kill()
        parent.wait()
        deadline = time.monotonic() + 20
        while _alive(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(worker)
    finally:
        if _alive(worker):  # this test failed: no orphan left behind
            os.kill(worker, signal.SIGKILL)
