"""Errors that end the extraction of one source, or a whole run, with a one-line message."""

from __future__ import annotations


class SourceError(Exception):
    """A source cannot be extracted. ``str()`` is the one-line reason shown to the user."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class RulesError(Exception):
    """A rule file is missing, unreadable or malformed (exit code 2)."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem
