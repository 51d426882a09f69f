"""The layout model every source reader fills and every later stage reads.

A document is pages of lines in reading order; a line keeps its position in the document text
(``start``), and for PDF sources its box, its words and their fonts. Table readers tag the lines of
a cell with the column's role and the row they belong to, so that later stages tie a timeframe or a
lead cell to its activity by position. Plain dataclasses (not pydantic): a 200-page PDF holds
hundreds of thousands of words, and this model is internal; the published model is ``models.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import Warning


@dataclass(slots=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    fontname: str = ""
    size: float = 0.0
    bold: bool = False
    italic: bool = False
    confidence: float | None = None  # 0-100 for a word recognised by OCR


@dataclass(slots=True)
class Ruling:
    """A ruling line or the edge of a filled rectangle, in PDF points from the top-left."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def horizontal(self) -> bool:
        return abs(self.bottom - self.top) <= abs(self.x1 - self.x0)


@dataclass(slots=True)
class Line:
    """One printed line. ``start`` is the offset of ``text``'s first character in the document text."""

    text: str
    page: int
    index: int
    start: int
    blank_before: bool = False
    bbox: tuple[float, float, float, float] | None = None
    words: list[Word] = field(default_factory=list)
    size: float | None = None
    bold: bool = False
    italic: bool = False
    furniture: str | None = None
    column: str | None = None
    row: int | None = None

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(slots=True)
class Page:
    number: int
    lines: list[Line] = field(default_factory=list)
    width: float | None = None
    height: float | None = None
    rulings: list[Ruling] = field(default_factory=list)


@dataclass(slots=True)
class LayoutDocument:
    """What a reader returns: the document text, its pages and lines, and the reader's warnings."""

    path: str
    format: str
    sha256: str
    text: str
    pages: list[Page]
    encoding: str | None = None
    engine: str | None = None
    warnings: list[Warning] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)  # pages whose words were recognised by OCR

    def lines(self) -> list[Line]:
        return [line for page in self.pages for line in page.lines]
