"""Running extraction over many sources: expand folders, name outputs, extract, resume, report.

Sources and outputs: :mod:`jwpextract.planning` (folders expanded, outputs named, bytes read).

Where extraction runs. In worker processes (:mod:`jwpextract.workers`, which hold each source to
the time and memory limits of :mod:`jwpextract.limits`, inside C code too) when ``isolate`` is set,
a memory limit is, or several workers share several sources; otherwise in the calling process,
where the time limit is a ``SIGALRM`` timer that interrupts Python code only (main thread only).
Workers only read and extract; the calling process writes every output, in job order for standard
output (with a single worker then), so a killed worker never leaves a partial file. A source that
runs out of time or memory, or kills its worker, fails alone with one line; the batch goes on.

Resuming. A folder output holds a manifest, ``.jwpextract-manifest.json``: for each output file it
made (path relative to the folder), the :class:`Fingerprint` of what made it: the source path as
given, the sha256 of the source bytes, the extractor version, the rules digest and the PDF engine.
A source is skipped when its output file exists and its fingerprint is unchanged. Options that
only decide whether a source can be read (password, page limit, time and memory limits) are not
part of it, and the password is never stored. A failed source loses its manifest entry, so it is
tried again; ``force`` redoes every source. The manifest is written atomically, always after the
outputs it lists, so an interrupted run can only redo work, never skip it; a manifest path that
is not a file, or a manifest that cannot be written, is an :class:`~jwpextract.errors.OutputError`.
Two runs writing to the same folder at the same time are not supported. Single ``.json`` and
standard-output outputs are always extracted.

Stopping. Ctrl-C (``KeyboardInterrupt``) and SIGTERM (``kill``, ``timeout``, systemd, CI runners)
stop a batch the same way: the workers are killed, an output being written is removed unfinished,
the manifest is saved with the outputs written so far, and the exception goes on to the caller.
While :func:`run_batch` runs in the main thread, SIGTERM raises :class:`Terminated`, a
``SystemExit`` with exit status 143 (128 + SIGTERM); the previous handler is restored afterwards.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import signal
import threading
import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from . import __version__
from .errors import OutputError, SourceError, internal_error
from .limits import Limits, exceeded, timed_out
from .planning import STDIN, Job, display_name, file_sha256, output_folder, plan_jobs, read_bytes
from .sources import ENGINES, ReadOptions
from .workers import WORKER_DIED, Pool, Stopped

if TYPE_CHECKING:
    from .outputs.review import ReviewOptions
    from .rules import Rules

__all__ = ["STDIN", "WORKER_DIED", "Job", "internal_error", "output_folder", "plan_jobs", "read_bytes"]

MANIFEST_NAME = ".jwpextract-manifest.json"
MANIFEST_FORMAT = 1
MANIFEST_SAVE_INTERVAL = 2.0
DEFAULT_TIMEOUT = 120.0
# Imported once by the fork server that forks the workers, not by each worker. The pipeline imports
# its stages, the PDF reader, its engine and spaCy lazily; the engine in use is preloaded with these.
WORKER_PRELOAD = ("jwpextract.pipeline", "jwpextract.assemble", "jwpextract.reconcile", "spacy", "jwpextract.sources.pdf")

Status = Literal["extracted", "failed", "skipped"]


@dataclass(frozen=True)
class Fingerprint:
    """What an output was made from; an unchanged fingerprint means an up-to-date output."""

    source: str
    sha256: str
    extractor: str
    rules: str
    engine: str


@dataclass(frozen=True)
class Outcome:
    source: str
    status: Status
    reason: str = ""
    output: Path | None = None
    fingerprint: Fingerprint | None = None


@dataclass(frozen=True)
class BatchOptions:
    """``workers``: processes (1: in the calling process unless ``isolate`` or ``max_memory``);
    ``timeout``: seconds per source (0: none); ``max_memory``: bytes per worker (0: none);
    ``isolate``: run even one source in a worker; ``json_lines``: one compact plan per line; ``review``: also
    write each output's review page beside it (``<name>.review.html``), built where the source is extracted."""

    read: ReadOptions = field(default_factory=ReadOptions)
    rules_dirs: tuple[Path, ...] = ()
    workers: int = 1
    timeout: float = DEFAULT_TIMEOUT
    force: bool = False
    max_memory: int = 0
    isolate: bool = False
    json_lines: bool = False
    review: ReviewOptions | None = None


class Extracted(NamedTuple):
    """A source read and extracted: its outcome so far, the JSON to write when it extracted, and its review page."""

    outcome: Outcome
    text: str | None = None
    review: str | None = None


Report = Callable[[Outcome], None]
Task = tuple[int, Job]
Emit = Callable[[int, Outcome], None]


def default_workers() -> int:
    """The CPU cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def fingerprint(source: str, sha256: str, rules: Rules, options: ReadOptions) -> Fingerprint:
    return Fingerprint(display_name(source), sha256, __version__, rules.digest, options.engine)


class Manifest:
    """The fingerprints of a folder's outputs, kept in ``MANIFEST_NAME`` (see the module docstring)."""

    def __init__(self, folder: Path, entries: dict[str, Fingerprint]) -> None:
        self.folder = folder
        self.entries = entries
        self._dirty = False
        self._saved_at = time.monotonic()

    @property
    def path(self) -> Path:
        return self.folder / MANIFEST_NAME

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        """Read the manifest of ``folder``; a missing or unreadable one is empty (everything is redone);
        a manifest path that is not a file is an OutputError."""
        path = folder / MANIFEST_NAME
        if path.exists() and not path.is_file():
            raise OutputError(str(path), "not a file: the manifest cannot be written")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != MANIFEST_FORMAT:
                return cls(folder, {})
            entries = {key: Fingerprint(**value) for key, value in data["outputs"].items()}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return cls(folder, {})
        return cls(folder, entries)

    def key(self, output: Path) -> str | None:
        try:
            return output.relative_to(self.folder).as_posix()
        except ValueError:
            return None

    def recorded(self, output: Path) -> Fingerprint | None:
        """What made ``output``, when it exists and the manifest says."""
        key = self.key(output)
        return self.entries.get(key) if key is not None and output.is_file() else None

    def record(self, output: Path, made_from: Fingerprint | None) -> None:
        """Remember what made ``output`` (``None``: forget it); saved by :meth:`save`."""
        key = self.key(output)
        if key is None:
            return
        if made_from is None:
            self._dirty |= self.entries.pop(key, None) is not None
        else:
            self._dirty |= self.entries.get(key) != made_from
            self.entries[key] = made_from

    def save(self, *, unless_recent: bool = False) -> None:
        """Write the manifest if it changed (with ``unless_recent``: at most every few seconds)."""
        if not self._dirty or (unless_recent and time.monotonic() - self._saved_at < MANIFEST_SAVE_INTERVAL):
            return
        from .writers import write_atomic

        outputs = {key: asdict(self.entries[key]) for key in sorted(self.entries)}
        # ASCII, file names escaped: a name that is no UTF-8 (surrogate escapes) round-trips too
        text = json.dumps({"format": MANIFEST_FORMAT, "outputs": outputs}, indent=2)
        try:
            write_atomic(self.path, text + "\n")
        except OSError as exc:
            raise OutputError(str(self.path), f"cannot write the manifest: {exc.strerror or exc}") from exc
        self._dirty = False
        self._saved_at = time.monotonic()


class JobTimeout(BaseException):
    """Raised by the timer of :func:`time_limit`.

    A ``BaseException``, like ``KeyboardInterrupt``, so that an ``except Exception`` in a pipeline
    stage cannot swallow it.
    """


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`JobTimeout` in the block after ``seconds`` (0, infinite, or outside the main thread:
    no limit)."""
    if seconds <= 0 or not math.isfinite(seconds) or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise JobTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def extract_job(job: Job, rules: Rules, options: BatchOptions, data: bytes | None = None) -> Extracted:
    """Read (unless ``data`` is given) and extract one source; every failure becomes a failed outcome."""
    from .pipeline import extract_bytes
    from .writers import to_json, to_json_line

    try:
        if job.problem:
            raise SourceError(job.source, job.problem)
        data = read_bytes(job.source, options.max_memory) if data is None else data
        made_from = fingerprint(job.source, hashlib.sha256(data).hexdigest(), rules, options.read)
        if options.review and job.output:
            from .outputs.review import extract_reviewed

            plan, review = extract_reviewed(made_from.source, data, rules, options.read, options.review)
        else:
            plan, review = extract_bytes(made_from.source, data, rules, options.read), None
        text = to_json_line(plan) if options.json_lines else to_json(plan)
    except SourceError as exc:
        return Extracted(Outcome(job.source, "failed", exc.reason))
    except MemoryError:
        return Extracted(Outcome(job.source, "failed", exceeded(options.max_memory)))
    except Exception as exc:
        return Extracted(Outcome(job.source, "failed", internal_error(exc)))
    return Extracted(Outcome(job.source, "extracted", fingerprint=made_from), text, review)


def write_job(job: Job, extracted: Extracted) -> Outcome:
    """Write an extracted source's JSON to its output (or standard output); a failure fails the source."""
    from .writers import write_atomic, write_stdout

    outcome, text, review = extracted
    if text is None:
        return outcome
    if job.output is None:
        try:
            write_stdout(text)
        except OSError as exc:
            return Outcome(job.source, "failed", f"cannot write to standard output: {exc.strerror or exc}")
        return outcome
    try:
        if review is not None:
            from .outputs.review import review_path

            write_atomic(review_path(job.output), review)
        write_atomic(job.output, text)
    except OSError as exc:
        return Outcome(job.source, "failed", f"cannot write {job.output}: {exc.strerror or exc}")
    return replace(outcome, output=job.output)


def run_job(job: Job, rules: Rules, options: BatchOptions) -> Outcome:
    """Extract one source in this process (time limit: :func:`time_limit`) and write its JSON."""
    try:
        with time_limit(options.timeout):
            extracted = extract_job(job, rules, options)
    except JobTimeout:
        extracted = Extracted(Outcome(job.source, "failed", timed_out(options.timeout)))
    return write_job(job, extracted)


class Terminated(SystemExit):
    """Raised by SIGTERM in a running batch, so that the work under way unwinds (removing its
    temporary file); its exit status is 128 + the signal number."""


_worker_rules: list[Rules] = []


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated(128 + signum)


@contextmanager
def _terminated_on_sigterm() -> Iterator[None]:
    """In the block, SIGTERM raises :class:`Terminated` (outside the main thread: unchanged)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


def init_worker(rules_dirs: tuple[Path, ...]) -> None:
    """A worker's set-up: the rules, loaded once."""
    from .rules import load_rules

    _worker_rules.append(load_rules(list(rules_dirs)))


def worker_rules() -> Rules:
    return _worker_rules[0]


def _work(job: Job, options: BatchOptions, data: bytes | None) -> Extracted:
    return extract_job(job, worker_rules(), options, data)


def worker_pool(size: int, options: BatchOptions) -> Pool:
    """Workers for ``options`` (its limits, rules and PDF engine preloaded)."""
    engine = ENGINES.get(options.read.engine, ENGINES["pdfium"])
    limits = Limits(options.timeout, options.max_memory)
    return Pool(size, limits, (init_worker, (options.rules_dirs,)), [*WORKER_PRELOAD, engine])


def _run_in_workers(tasks: list[Task], options: BatchOptions, finish: Callable[[int, Extracted], None]) -> None:
    """Extract ``tasks`` in workers (standard input read here; standard output: one worker, in order)."""
    to_stdout = any(job.output is None for _, job in tasks)
    jobs = dict(tasks)

    def calls() -> Iterator[tuple[Hashable, tuple[Callable[..., Any], tuple[Any, ...]]]]:
        for index, job in tasks:
            data = None
            if job.source == STDIN and not job.problem:
                try:
                    data = read_bytes(STDIN, options.max_memory)
                except SourceError as exc:
                    finish(index, Extracted(Outcome(job.source, "failed", exc.reason)))
                    continue
            yield index, (_work, (job, options, data))

    def done(index: Hashable, value: Extracted | Stopped) -> None:
        assert isinstance(index, int)
        if isinstance(value, Stopped):
            value = Extracted(Outcome(jobs[index].source, "failed", value.reason))
        finish(index, value)

    with worker_pool(1 if to_stdout else min(options.workers, len(tasks)), options) as pool:
        pool.run(calls(), done)


def _in_workers(tasks: list[Task], options: BatchOptions) -> bool:
    return bool(tasks) and (options.isolate or options.max_memory > 0 or (options.workers > 1 and len(tasks) > 1))


def _skipped(job: Job, rules: Rules, options: BatchOptions, manifest: Manifest | None) -> Outcome | None:
    """The skipped outcome of a job whose output (and review page, with ``review``) is up to date, else ``None``."""
    if options.force or manifest is None or job.source == STDIN or job.output is None or job.problem:
        return None
    recorded = manifest.recorded(job.output)
    if recorded is None:
        return None
    try:
        current = fingerprint(job.source, file_sha256(job.source), rules, options.read)
    except SourceError:
        return None  # extraction reports it
    if current != recorded:
        return None
    if options.review:
        from .outputs.review import review_path

        if not review_path(job.output).is_file():
            return None
    return Outcome(job.source, "skipped", "up to date", job.output, current)


def run_batch(
    jobs: list[Job],
    rules: Rules,
    options: BatchOptions,
    report: Report | None = None,
    resume: Path | None = None,
) -> list[Outcome]:
    """Run every job; a failure does not stop the batch. Returns the outcomes in the order of ``jobs``.

    ``resume``: the output folder whose manifest tells which outputs are up to date (see the module
    docstring); ``None`` extracts every source. ``report`` sees each outcome as it comes. Ctrl-C and
    SIGTERM stop the batch (see the module docstring): ``KeyboardInterrupt`` or :class:`Terminated`.
    An OutputError: the manifest cannot be written.
    """
    manifest = Manifest.load(resume) if resume is not None else None
    outcomes: dict[int, Outcome] = {}

    def emit(index: int, outcome: Outcome) -> None:
        outcomes[index] = outcome
        output = jobs[index].output
        if manifest is not None and output is not None and outcome.status != "skipped":
            manifest.record(output, outcome.fingerprint)
            manifest.save(unless_recent=True)
        if report:
            report(outcome)

    with _terminated_on_sigterm():
        try:
            tasks: list[Task] = []
            for index, job in enumerate(jobs):
                skipped = _skipped(job, rules, options, manifest)
                if skipped is None:
                    tasks.append((index, job))
                else:
                    emit(index, skipped)
            if _in_workers(tasks, options):
                _run_in_workers(tasks, options, lambda index, extracted: emit(index, write_job(jobs[index], extracted)))
            else:
                for index, job in tasks:
                    emit(index, run_job(job, rules, options))
        finally:
            if manifest is not None:
                manifest.save()
    return [outcomes[index] for index in range(len(jobs))]
