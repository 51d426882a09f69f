"""Errors that end the extraction of one source, or a whole run, with a one-line message."""

from __future__ import annotations

import re
import traceback
from pathlib import Path

CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class SourceError(Exception):
    """A source cannot be extracted. ``str()`` is the one-line reason shown to the user."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def __reduce__(self) -> tuple[type[SourceError], tuple[str, str]]:  # sent back by worker processes
        return type(self), (self.path, self.reason)


class RulesError(Exception):
    """A rule file is missing, unreadable or malformed (exit code 2)."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class OutputError(Exception):
    """An output (a file, the manifest, standard output) cannot be written (exit code 1)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def internal_error(exc: BaseException) -> str:
    """One line for an unexpected exception: its type, message and innermost location."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" ({Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    message = " ".join(str(exc).split())
    return f"internal error: {type(exc).__name__}{': ' + message if message else ''}{where}"


def printable(text: str) -> str:
    """``text`` with its control characters (line breaks, terminal escapes) written as escapes
    (``\\n``, ``\\x1b``): a file name in a one-line message keeps the message on one line."""
    return CONTROL.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)
