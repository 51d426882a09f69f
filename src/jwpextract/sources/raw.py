"""What a PDF engine hands the PDF reader: each page's words and graphics, once, in reading units.

Coordinates are PDF points from the page's top-left corner. Both engines (``plumber`` on
pdfplumber, ``pdfium`` on pypdfium2) produce these, so that everything after them (lines, furniture,
tables, footnotes, reading order in :mod:`jwpextract.sources.pdf`) is shared.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from math import hypot
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from . import ReadOptions

Box = tuple[float, float, float, float]  # x0, top, x1, bottom
ROTATED = 0.1  # a character whose baseline turns more than this (sine) is rotated text (a watermark)
MARK_SIDES = (1.5, 8.0)  # points: a bullet drawn as a shape is between these wide and tall ...
MARK_ASPECT = 2.0  # ... and at most this much wider than tall, or taller than wide


@dataclass(slots=True)
class RawWord:
    """A word as pdfplumber's ``extract_words`` cuts them: one font and size, no space, no wide gap."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    fontname: str
    size: float
    confidence: float | None = None  # 0-100 for a word recognised by OCR; None from a text layer


@dataclass(slots=True)
class RawPage:
    number: int
    width: float
    height: float
    words: list[RawWord]
    lines: list[Box]  # straight painted segments
    rects: list[Box]  # painted axis-aligned rectangles
    marks: list[Box] = field(default_factory=list)  # bullets drawn as shapes (see is_mark)


class Engine(Protocol):
    def __call__(self, path: str, data: bytes, options: ReadOptions) -> Iterator[RawPage]: ...


def level(a: float, b: float) -> bool:
    """Text whose matrix (a, b, ...) keeps its baseline horizontal (italics, slanted by c, stay)."""
    return abs(b) <= ROTATED * hypot(a, b)


def upright(a: float, b: float, c: float, d: float) -> bool:
    """pdfminer's test: not mirrored and not turned by a quarter or more."""
    return a * d > 0 and b * c <= 0


def is_mark(box: Box, filled: bool) -> bool:
    """A small filled shape about as wide as tall: a bullet drawn (Chromium's list discs), not printed."""
    width, height = box[2] - box[0], box[3] - box[1]
    low, high = MARK_SIDES
    sized = low <= width <= high and low <= height <= high
    return filled and sized and max(width, height) <= MARK_ASPECT * min(width, height)
