"""Running extraction over many sources: expand folders, name outputs, extract, resume, report.

Parallelism. :func:`run_batch` runs the sources in worker processes (a
:class:`~concurrent.futures.ProcessPoolExecutor` on a ``forkserver`` context, so workers never
inherit the parent's threads or locks; each worker loads the rules once) or, with one worker or
when a job reads standard input or writes standard output, in the calling process. When a worker
dies (a crash, the out-of-memory killer), the batch goes on in a new pool and the sources that were
running are run again one at a time: only the source that kills its worker fails.

Time limit. Each extraction runs under a ``SIGALRM`` timer; on expiry the source fails with
"timed out after N s". The timer interrupts Python code, not a single long call into a C library,
and works in the main thread only (elsewhere :func:`run_job` runs without a limit).

Resuming. A folder output holds a manifest, ``.jwpextract-manifest.json``: for each output file it
made (path relative to the folder), the :class:`Fingerprint` of what made it: the source path as
given, the sha256 of the source bytes, the extractor version, the rules digest and the PDF engine.
A source is skipped when its output file exists and its fingerprint is unchanged. Options that
only decide whether a source can be read (password, page limit, time limit) are not part of it,
and the password is never stored. A failed source loses its manifest entry, so it is tried again;
``force`` redoes every source. The manifest is written atomically, always after the outputs it
lists, so an interrupted run can only redo work, never skip it. Two runs writing to the same
folder at the same time are not supported. Single ``.json`` and standard-output outputs are always
extracted.

Stopping. Ctrl-C (``KeyboardInterrupt``) and SIGTERM (``kill``, ``timeout``, systemd, CI runners)
stop a batch the same way: the workers are stopped, the extraction under way unwinds and removes its
temporary file, the manifest is saved with the outputs written so far, and the exception goes on to
the caller. While :func:`run_batch` runs in the main thread, SIGTERM raises :class:`Terminated`, a
``SystemExit`` with exit status 143 (128 + SIGTERM); the previous handler is restored afterwards.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Literal

from . import __version__
from .errors import SourceError
from .sources import ENGINES, ReadOptions

if TYPE_CHECKING:
    from .outputs.review import ReviewOptions
    from .rules import Rules

SOURCE_SUFFIXES = (".txt", ".pdf")
STDIN = "-"
MANIFEST_NAME = ".jwpextract-manifest.json"
MANIFEST_FORMAT = 1
MANIFEST_SAVE_INTERVAL = 2.0
DEFAULT_TIMEOUT = 120.0
# Imported once by the fork server that forks the workers, not by each worker. The pipeline imports
# its stages, the PDF reader, its engine and spaCy lazily; the engine in use is preloaded with these.
WORKER_PRELOAD = ("jwpextract.pipeline", "jwpextract.assemble", "jwpextract.reconcile", "spacy", "jwpextract.sources.pdf")
WORKER_DIED = "worker process died while extracting (crash or out of memory)"

Status = Literal["extracted", "failed", "skipped"]


@dataclass(frozen=True)
class Job:
    """One source to extract and where its JSON goes (``None``: standard output)."""

    source: str
    output: Path | None


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
    """``workers``: processes (1: in the calling process); ``timeout``: seconds per source (0: none);
    ``review``: also write each output's review page beside it (``<name>.review.html``)."""

    read: ReadOptions = field(default_factory=ReadOptions)
    rules_dirs: tuple[Path, ...] = ()
    workers: int = 1
    timeout: float = DEFAULT_TIMEOUT
    force: bool = False
    review: ReviewOptions | None = None


Report = Callable[[Outcome], None]
Task = tuple[int, Job]
Emit = Callable[[int, Outcome], None]


def default_workers() -> int:
    """The CPU cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _sources_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES)


def output_folder(output: str) -> Path | None:
    """The folder that receives the outputs of ``-o output`` (``None`` for ``-`` and a ``.json`` file)."""
    if output == STDIN or output.lower().endswith(".json"):
        return None
    return Path(output)


def plan_jobs(sources: Iterable[str], output: str) -> list[Job]:
    """Expand folders recursively and give each source its output path.

    ``output`` is ``-`` (standard output), a ``.json`` file (a single source), or a folder that
    receives ``<file name>.json`` per source, mirroring the subfolders of a folder argument.
    """
    pairs: list[tuple[str, Path]] = []
    for src in sources:
        if src == STDIN:
            pairs.append((STDIN, Path("stdin")))
            continue
        path = Path(src)
        if path.is_dir():
            pairs.extend((str(p), p.relative_to(path)) for p in _sources_in(path))
        else:
            pairs.append((src, Path(path.name)))
    folder = output_folder(output)
    if folder is not None:
        return _distinct([Job(src, folder / rel.with_name(rel.name + ".json")) for src, rel in pairs])
    if output == STDIN:
        return [Job(src, None) for src, _ in pairs]
    if len(pairs) != 1:
        raise ValueError(f"-o {output}: a .json output takes exactly one source, not {len(pairs)}")
    return [Job(pairs[0][0], Path(output))]


def _same_file(a: str, b: str) -> bool:
    return Path(a).resolve() == Path(b).resolve()


def _distinct(jobs: list[Job]) -> list[Job]:
    """Drop repeated sources; two different sources for one output file are a usage error."""
    by_output: dict[Path | None, Job] = {}
    for job in jobs:
        seen = by_output.setdefault(job.output, job)
        if seen is not job and (STDIN in (seen.source, job.source) or not _same_file(seen.source, job.source)):
            raise ValueError(f"{seen.source} and {job.source} would both be written to {job.output}")
    return list(by_output.values())


def read_bytes(source: str) -> bytes:
    if source == STDIN:
        return sys.stdin.buffer.read()
    try:
        return Path(source).read_bytes()
    except FileNotFoundError as exc:
        raise SourceError(source, "no such file") from exc
    except IsADirectoryError as exc:
        raise SourceError(source, "is a directory") from exc
    except OSError as exc:
        raise SourceError(source, f"cannot read: {exc.strerror or exc}") from exc


def display_name(source: str) -> str:
    """The path written into the plan (``<stdin>`` for standard input)."""
    return "<stdin>" if source == STDIN else source


def fingerprint(source: str, data: bytes, rules: Rules, options: ReadOptions) -> Fingerprint:
    return Fingerprint(
        source=display_name(source),
        sha256=hashlib.sha256(data).hexdigest(),
        extractor=__version__,
        rules=rules.digest,
        engine=options.engine,
    )


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
        """Read the manifest of ``folder``; a missing or unreadable one is empty (everything is redone)."""
        try:
            data = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
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

    def up_to_date(self, output: Path, current: Fingerprint) -> bool:
        key = self.key(output)
        return key is not None and self.entries.get(key) == current and output.is_file()

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
        text = json.dumps({"format": MANIFEST_FORMAT, "outputs": outputs}, indent=2, ensure_ascii=False)
        write_atomic(self.path, text + "\n")
        self._dirty = False
        self._saved_at = time.monotonic()


class JobTimeout(BaseException):
    """Raised by the timer of :func:`time_limit`.

    A ``BaseException``, like ``KeyboardInterrupt``, so that an ``except Exception`` in a pipeline
    stage cannot swallow it.
    """


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`JobTimeout` in the block after ``seconds`` (0, or outside the main thread: no limit)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
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


def internal_error(exc: Exception) -> str:
    """One line for an unexpected exception: its type, message and innermost location."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" ({Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    message = " ".join(str(exc).split())
    return f"internal error: {type(exc).__name__}{': ' + message if message else ''}{where}"


def run_job(job: Job, rules: Rules, options: BatchOptions) -> Outcome:
    """Extract one source and write its JSON (and its review page); a failure becomes a failed outcome."""
    from .outputs.review import extract_reviewed, review_path
    from .pipeline import extract_bytes
    from .writers import to_json, write_atomic

    try:
        data = read_bytes(job.source)
        made_from = fingerprint(job.source, data, rules, options.read)
        with time_limit(options.timeout):
            if options.review and job.output:
                plan, review = extract_reviewed(made_from.source, data, rules, options.read, options.review)
            else:
                plan, review = extract_bytes(made_from.source, data, rules, options.read), None
        text = to_json(plan)
    except SourceError as exc:
        return Outcome(job.source, "failed", exc.reason)
    except JobTimeout:
        return Outcome(job.source, "failed", f"timed out after {options.timeout:g} s")
    except Exception as exc:
        return Outcome(job.source, "failed", internal_error(exc))
    if job.output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return Outcome(job.source, "extracted", fingerprint=made_from)
    try:
        if review:
            write_atomic(review_path(job.output), review)
        write_atomic(job.output, text)
    except OSError as exc:
        return Outcome(job.source, "failed", f"cannot write {job.output}: {exc.strerror or exc}")
    return Outcome(job.source, "extracted", output=job.output, fingerprint=made_from)


class Terminated(SystemExit):
    """Raised by SIGTERM in a running batch or worker, so that the work under way unwinds (removing its
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


def _init_worker(rules_dirs: tuple[Path, ...]) -> None:
    from .rules import load_rules

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _worker_rules.append(load_rules(list(rules_dirs)))
    signal.signal(signal.SIGTERM, _terminate)


def _work(job: Job, options: BatchOptions) -> Outcome:
    try:
        return run_job(job, _worker_rules[0], options)
    except Terminated:
        os._exit(128 + signal.SIGTERM)  # leave without returning to the pool's loop


def _new_pool(workers: int, options: BatchOptions) -> ProcessPoolExecutor:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([*WORKER_PRELOAD, ENGINES.get(options.read.engine, ENGINES["pdfium"])])
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=(options.rules_dirs,))


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """SIGTERM every worker: a running extraction stops now, not at the end of its document."""
    for process in list((pool._processes or {}).values()):  # no public API before Python 3.14
        process.terminate()


def _run_in_pool(
    pool: ProcessPoolExecutor, workers: int, pending: deque[Task], options: BatchOptions, emit: Emit
) -> list[Task]:
    """Keep every worker busy until ``pending`` is empty or the pool breaks; return the tasks the break lost.

    A new pool is never broken at its first ``submit``, so each pool takes at least one task.
    """
    running: dict[Future[Outcome], Task] = {}
    lost: list[Task] = []
    broken = False
    while running or (pending and not broken):
        while pending and not broken and len(running) < workers:
            task = pending.popleft()
            try:
                running[pool.submit(_work, task[1], options)] = task
            except BrokenProcessPool:
                pending.appendleft(task)
                broken = True
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in done:
            task = running.pop(future)
            try:
                outcome = future.result()
            except BrokenProcessPool:
                broken = True
                lost.append(task)
            else:
                emit(task[0], outcome)
    return lost


def _run_parallel(tasks: list[Task], workers: int, options: BatchOptions, emit: Emit) -> None:
    """Run ``tasks`` in a pool of ``workers``; after a worker died, in a new pool (see the module docstring)."""
    pending = deque(tasks)
    while pending:
        pool = _new_pool(min(workers, len(pending)), options)
        try:
            lost = _run_in_pool(pool, workers, pending, options, emit)
        except BaseException:
            _stop_workers(pool)
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        if len(lost) == 1:
            emit(lost[0][0], Outcome(lost[0][1].source, "failed", WORKER_DIED))
        else:
            for task in lost:
                _run_parallel([task], 1, options, emit)


def _runs_in_process(tasks: list[Task], options: BatchOptions) -> bool:
    return options.workers <= 1 or len(tasks) <= 1 or any(job.source == STDIN or job.output is None for _, job in tasks)


def _skipped(job: Job, rules: Rules, options: BatchOptions, manifest: Manifest | None) -> Outcome | None:
    """The skipped outcome of a job whose output (and review page, with ``review``) is up to date, else ``None``."""
    from .outputs.review import review_path

    if options.force or manifest is None or job.source == STDIN or job.output is None:
        return None
    try:
        current = fingerprint(job.source, read_bytes(job.source), rules, options.read)
    except SourceError:
        return None  # run_job reports it
    if not manifest.up_to_date(job.output, current) or (options.review and not review_path(job.output).is_file()):
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
            if _runs_in_process(tasks, options):
                for index, job in tasks:
                    emit(index, run_job(job, rules, options))
            else:
                _run_parallel(tasks, options.workers, options, emit)
        finally:
            if manifest is not None:
                manifest.save()
    return [outcomes[index] for index in range(len(jobs))]
