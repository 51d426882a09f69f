"""Output files: deterministic JSON, written atomically (a temporary file renamed into place); standard
output written so that a failure (a full disk, a closed pipe) is one OSError, raised once."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
from pathlib import Path

from pydantic import BaseModel


def to_json(model: BaseModel) -> str:
    """Canonical JSON: field order of the models, aliases, two-space indent, UTF-8, final newline."""
    return model.model_dump_json(by_alias=True, indent=2) + "\n"


def to_json_line(model: BaseModel) -> str:
    """The canonical JSON on one line (JSON Lines): no indent, a final newline."""
    return model.model_dump_json(by_alias=True) + "\n"


def _read_only(path: Path) -> bool:
    """An existing file this process may not write, or whose mode gives no one write permission (a
    file made read-only, even for root)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return stat.S_ISREG(mode) and (not os.access(path, os.W_OK) or not mode & 0o222)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the whole new one, never a part.

    A read-only existing file is refused (PermissionError), not replaced."""
    if _read_only(path):
        raise PermissionError(errno.EACCES, "read-only file, not replaced", str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_stdout(text: str) -> None:
    """Write ``text`` to standard output and flush it. On an OSError, standard output is pointed at
    the null device before the error is raised, so that the interpreter's own flush at exit cannot
    fail a second time (with a message of its own)."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except OSError:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, sys.stdout.fileno())
            os.close(null)
        raise
