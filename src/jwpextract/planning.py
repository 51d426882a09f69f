"""What a batch runs: the sources found in folders, each given its output, and their bytes read.

A folder is searched recursively for ``.txt`` and ``.pdf`` files; a subfolder that cannot be read
is a failed source of its own (never skipped silently). A source that is not a regular file (a
FIFO, a device) is refused without being opened for reading, so it never blocks.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .errors import SourceError
from .limits import exceeded
from .sources.text import lone_surrogates

SOURCE_SUFFIXES = (".txt", ".pdf")
STDIN = "-"
READ_CHUNK = 1 << 20
FILE_KINDS = {stat.S_IFIFO: "FIFO", stat.S_IFSOCK: "socket", stat.S_IFCHR: "character device", stat.S_IFBLK: "block device"}


@dataclass(frozen=True)
class Job:
    """One source to extract and where its JSON goes (``None``: standard output); ``problem``: why
    it fails without being read (a folder that cannot be read)."""

    source: str
    output: Path | None
    problem: str = ""


def _sources_in(folder: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The sources under ``folder`` (anything but folders, by suffix), and the folders that cannot be read."""
    found: list[Path] = []
    unreadable: list[tuple[Path, str]] = []

    def failed(error: OSError) -> None:
        unreadable.append((Path(error.filename or folder), f"cannot read folder: {error.strerror or error}"))

    for root, _, files in os.walk(folder, onerror=failed):
        found.extend(Path(root) / name for name in files if Path(name).suffix.lower() in SOURCE_SUFFIXES)
    return sorted(found), sorted(unreadable)


def output_folder(output: str) -> Path | None:
    """The folder that receives the outputs of ``-o output`` (``None`` for ``-`` and a ``.json`` file)."""
    if output == STDIN or output.lower().endswith(".json"):
        return None
    return Path(output)


def plan_jobs(sources: Iterable[str], output: str, *, json_lines: bool = False) -> list[Job]:
    """Expand folders recursively and give each source its output path.

    ``output`` is ``-`` (standard output: one source, or any number with ``json_lines``), a ``.json``
    file (a single source), or a folder that receives ``<file name>.json`` per source, mirroring
    the subfolders of a folder argument. A ValueError tells a usage error.
    """
    pairs: list[tuple[str, Path, str]] = []
    for src in sources:
        if src == STDIN:
            pairs.append((STDIN, Path("stdin"), ""))
            continue
        path = Path(src)
        if path.is_dir():
            found, unreadable = _sources_in(path)
            pairs.extend((str(p), p.relative_to(path), "") for p in found)
            pairs.extend((str(p), p.relative_to(path) if p != path else Path(p.name), why) for p, why in unreadable)
        else:
            pairs.append((src, Path(path.name), ""))
    if json_lines and output != STDIN:
        raise ValueError(f"--format jsonl writes one plan per line to standard output: give -o -, not -o {output}")
    folder = output_folder(output)
    if folder is not None:
        return _distinct([Job(src, folder / rel.with_name(rel.name + ".json"), why) for src, rel, why in pairs])
    if output == STDIN:
        if len(pairs) > 1 and not json_lines:
            count = len(pairs)
            raise ValueError(f"-o -: {count} sources would print {count} JSON documents; --format jsonl prints one per line")
        return [Job(src, None, why) for src, _, why in pairs]
    if len(pairs) != 1:
        raise ValueError(f"-o {output}: a .json output takes exactly one source, not {len(pairs)}")
    return [Job(pairs[0][0], Path(output), pairs[0][2])]


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


@contextmanager
def _opened(source: str) -> Iterator[IO[bytes]]:
    """``source`` open for reading once it is known to be a regular file (opened without blocking: a
    FIFO is not waited on)."""
    try:
        fd = os.open(source, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError as exc:
        raise SourceError(source, "no such file") from exc
    except IsADirectoryError as exc:
        raise SourceError(source, "is a directory") from exc
    except OSError as exc:
        raise SourceError(source, f"cannot read: {exc.strerror or exc}") from exc
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise SourceError(source, "is a directory")
        if not stat.S_ISREG(mode):
            raise SourceError(source, f"not a regular file ({FILE_KINDS.get(stat.S_IFMT(mode), 'special file')})")
        try:
            yield handle
        except OSError as exc:
            raise SourceError(source, f"cannot read: {exc.strerror or exc}") from exc


def read_bytes(source: str, limit: int = 0) -> bytes:
    """The bytes of ``source`` (``-``: standard input); ``limit``: refuse standard input longer than it."""
    if source == STDIN:
        data = sys.stdin.buffer.read(limit + 1 if limit else -1)
        if limit and len(data) > limit:
            raise SourceError(display_name(source), exceeded(limit))
        return data
    with _opened(source) as handle:
        return handle.read()


def file_sha256(source: str) -> str:
    """The sha256 of a file's bytes, read piece by piece."""
    digest = hashlib.sha256()
    with _opened(source) as handle:
        while piece := handle.read(READ_CHUNK):
            digest.update(piece)
    return digest.hexdigest()


def display_name(source: str) -> str:
    """The path written into the plan and the manifest: ``<stdin>`` for standard input; bytes of a file
    name that are no UTF-8 (surrogate escapes, which no output can encode) as U+FFFD."""
    return "<stdin>" if source == STDIN else lone_surrogates(source)[0]
