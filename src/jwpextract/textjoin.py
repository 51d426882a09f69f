"""Joining printed lines into logical text, with repairs, keeping each character's source offset.

Repairs: runs of white space fold to one space; a line ending in a hyphen joins the next line with
the hyphen kept ("biodiversity-" + "related"); an ordinal suffix split off as a superscript joins
its number ("11" + "th" -> "11th"). ``origin[i]`` is the document-text offset of ``text[i]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .layout import Line

ORDINAL_SUFFIX = re.compile(r"^(?:st|nd|rd|th|er|e|ème)$")
FOLDED_SPACE = re.compile(r"\s{2,}|[^\S ]")
"""White space (as ``str.isspace`` calls it) other than one plain space: what folds to one space."""


@dataclass
class JoinedText:
    text: str = ""
    origin: list[int] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)

    def _append(self, piece: str, start: int) -> None:
        """Append ``piece``, found at document offset ``start``, each run of white space in it as one space
        (whose origin is the run's first character)."""
        self.text += FOLDED_SPACE.sub(" ", piece)
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
        if self.text:
            glued = self.text.endswith("-") and len(self.text) > 1 and self.text[-2].isalnum()
            suffix = ORDINAL_SUFFIX.match(piece) and self.text[-1].isdigit()
            if not (glued or suffix):
                self.text += " "
                self.origin.append(self.origin[-1] + 1)
        self._append(piece, start)
        if line not in self.lines:
            self.lines.append(line)

    def add_text(self, other: JoinedText, separator: str = " ") -> None:
        """Append another joined text after ``separator``, keeping its origins and lines."""
        if not other.text:
            return
        if self.text:
            self.text += separator
            self.origin.extend(self.origin[-1] + 1 for _ in separator)
        self.text += other.text
        self.origin.extend(other.origin)
        self.lines.extend(line for line in other.lines if line not in self.lines)

    @property
    def start(self) -> int:
        return self.origin[0] if self.origin else 0

    @property
    def end(self) -> int:
        return self.origin[-1] + 1 if self.origin else 0
