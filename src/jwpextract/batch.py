"""Running extraction over many sources: expand folders, name outputs, extract, report outcomes."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import SourceError
from .sources import ReadOptions

SOURCE_SUFFIXES = (".txt", ".pdf")
STDIN = "-"


@dataclass(frozen=True)
class Job:
    """One source to extract and where its JSON goes (``None``: standard output)."""

    source: str
    output: Path | None


@dataclass(frozen=True)
class Outcome:
    source: str
    status: str  # "extracted" | "failed" | "skipped"
    reason: str = ""
    output: Path | None = None


@dataclass(frozen=True)
class BatchOptions:
    read: ReadOptions = field(default_factory=ReadOptions)
    rules_dirs: tuple[Path, ...] = ()


def _sources_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES)


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
    if output == STDIN:
        return [Job(src, None) for src, _ in pairs]
    if output.lower().endswith(".json"):
        if len(pairs) != 1:
            raise ValueError(f"-o {output}: a .json output takes exactly one source, not {len(pairs)}")
        return [Job(pairs[0][0], Path(output))]
    return [Job(src, Path(output) / rel.with_name(rel.name + ".json")) for src, rel in pairs]


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


def run_job(job: Job, options: BatchOptions) -> Outcome:
    """Extract one source and write its JSON; every failure becomes a failed outcome with a reason."""
    from .pipeline import extract_bytes
    from .rules import load_rules
    from .writers import to_json, write_atomic

    rules = load_rules(list(options.rules_dirs))
    name = "<stdin>" if job.source == STDIN else job.source
    try:
        plan = extract_bytes(name, read_bytes(job.source), rules, options.read)
    except SourceError as exc:
        return Outcome(job.source, "failed", exc.reason)
    text = to_json(plan)
    if job.output is None:
        sys.stdout.write(text)
    else:
        write_atomic(job.output, text)
    return Outcome(job.source, "extracted", output=job.output)


def run_batch(
    jobs: list[Job], options: BatchOptions, report: Callable[[Outcome], None] | None = None
) -> list[Outcome]:
    """Run every job in order; a failure does not stop the batch. Rule errors do (they are global)."""
    outcomes = []
    for job in jobs:
        outcome = run_job(job, options)
        outcomes.append(outcome)
        if report:
            report(outcome)
    return outcomes


