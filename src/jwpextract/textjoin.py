"""Joining printed lines into logical text, with repairs, keeping each character's source offset.

Repairs: runs of white space fold to one space; a line ending in a hyphen joins the next line with
the hyphen kept ("biodiversity-" + "related"); an ordinal suffix split off as a superscript joins
its number ("11" + "th" -> "11th"). ``origin[i]`` is the document-text offset of ``text[i]``.

Linear in the text's length: pieces are kept in a list and joined when ``text`` is read, and a line
is looked up among the lines by identity in a set (lines appended to ``lines`` from outside
included).
"""

from __future__ import annotations

import re

from .layout import Line

ORDINAL_SUFFIX = re.compile(r"^(?:st|nd|rd|th|er|e|ème)$")
FOLDED_SPACE = re.compile(r"\s{2,}|[^\S ]")
"""White space (as ``str.isspace`` calls it) other than one plain space: what folds to one space."""


class JoinedText:
    """Text joined from lines: ``text``, the ``origin`` of each character, and the ``lines`` it came from."""

    __slots__ = ("_parts", "_seen", "_synced", "_tail", "lines", "origin")

    def __init__(self, text: str = "", origin: list[int] | None = None, lines: list[Line] | None = None) -> None:
        self._parts = [text] if text else []
        self._tail = text[-2:]  # the text's last two characters: what joining the next piece depends on
        self.origin = [] if origin is None else origin
        self.lines = [] if lines is None else lines
        self._seen: set[int] = set()  # id() of lines[:_synced]
        self._synced = 0

    @property
    def text(self) -> str:
        if len(self._parts) > 1:
            self._parts[:] = ["".join(self._parts)]
        return self._parts[0] if self._parts else ""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JoinedText):
            return NotImplemented
        return (self.text, self.origin, self.lines) == (other.text, other.origin, other.lines)

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it replaces

    def __repr__(self) -> str:
        return f"JoinedText(text={self.text!r}, origin=[{len(self.origin)} offsets], lines=[{len(self.lines)} lines])"

    def _extend(self, piece: str) -> None:
        self._parts.append(piece)
        self._tail = (self._tail + piece)[-2:]

    def _has(self, line: Line) -> bool:
        if self._synced < len(self.lines):
            self._seen.update(id(known) for known in self.lines[self._synced :])
            self._synced = len(self.lines)
        return id(line) in self._seen

    def _keep(self, line: Line) -> None:
        if not self._has(line):
            self.lines.append(line)

    def _append(self, piece: str, start: int) -> None:
        """Append ``piece``, found at document offset ``start``, each run of white space in it as one space
        (whose origin is the run's first character)."""
        self._extend(FOLDED_SPACE.sub(" ", piece))
        kept = 0
        for run in FOLDED_SPACE.finditer(piece):
            self.origin.extend(range(start + kept, start + run.start() + 1))
            kept = run.end()
        self.origin.extend(range(start + kept, start + len(piece)))

    def add(self, line: Line, piece: str | None = None, start: int | None = None) -> None:
        """Append ``piece`` (by default the whole line) taken from ``line`` at document ``start``."""
        piece = line.text if piece is None else piece
        start = line.start if start is None else start
        lead = len(piece) - len(piece.lstrip())
        piece, start = piece.strip(), start + lead
        if not piece:
            return
        if self._tail:
            tail = self._tail
            glued = tail.endswith("-") and len(tail) > 1 and tail[-2].isalnum()
            suffix = ORDINAL_SUFFIX.match(piece) and tail[-1].isdigit()
            if not (glued or suffix):
                self._extend(" ")
                self.origin.append(self.origin[-1] + 1)
        self._append(piece, start)
        self._keep(line)

    def add_text(self, other: JoinedText, separator: str = " ") -> None:
        """Append another joined text after ``separator``, keeping its origins and lines."""
        if not other._tail:
            return
        if self._tail:
            self._extend(separator)
            self.origin.extend(self.origin[-1] + 1 for _ in separator)
        self._extend(other.text)
        self.origin.extend(other.origin)
        for line in other.lines:
            self._keep(line)

    @property
    def start(self) -> int:
        return self.origin[0] if self.origin else 0

    @property
    def end(self) -> int:
        return self.origin[-1] + 1 if self.origin else 0
