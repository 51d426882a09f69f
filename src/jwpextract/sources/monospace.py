"""Text laid out in columns (``pdftotext -layout``, a fixed-width report): words placed by character
column and line, then read as a PDF page is read (rows, furniture, tables by their header row and
gutters, reading order by white space).

A text is laid out when enough of its lines hold gutters: ``GUTTER_SPACES`` spaces or more between
two words, not counting the white space after a line's leading label ("11.<tab>Requests", "(a)<tab>",
a note's "a<tab>": tab-indented text conversions print paragraphs so). A character is ``CHAR_WIDTH``
points wide and a line ``LINE_HEIGHT`` tall, so that one space joins two words into a phrase, two
separate the labels of a header row, and a gutter parts columns as white space does on a page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..layout import LayoutDocument
from ..models import Warning
from ..rules import Rules
from .raw import RawPage, RawWord

SIZE = 10.0  # points: the size of every character
CHAR_WIDTH = 0.55 * SIZE  # one space is closer than a phrase's word gap (0.6 of the size) ...
LINE_HEIGHT = 1.2 * SIZE
GUTTER_SPACES = 3  # ... and three are wider than a column gap (1.5 of the size)
GUTTER = re.compile(rf"\S {{{GUTTER_SPACES},}}\S")
LAID_OUT_LINES = 5  # a text is laid out when this many of its lines have a gutter ...
LAID_OUT_SHARE = 0.1  # ... and this share of its lines
TAB_SIZE = 8
WORD = re.compile(r"\S+")
LEADING_LABEL = re.compile(r"^(?:\(?[0-9A-Za-z]{1,4}[.)]|\d{1,3}(?:\.\d{1,3}){1,3}\.?|[a-z]|[*†‡§]{1,3})\s+")


def laid_out(text: str) -> bool:
    """Whether enough lines of ``text`` hold a gutter (columns side by side)."""
    lines = [line for line in text.expandtabs(TAB_SIZE).split("\n") if line.strip()]
    gutters = sum(1 for line in lines if GUTTER.search(LEADING_LABEL.sub("", line.strip(), count=1)))
    return gutters >= max(LAID_OUT_LINES, LAID_OUT_SHARE * len(lines))


def raw_pages(text: str) -> Iterator[RawPage]:
    """Each form-feed page's words, placed by character column (x) and line (y)."""
    for number, page in enumerate(text.split("\f"), 1):
        lines = page.expandtabs(TAB_SIZE).split("\n")
        words: list[RawWord] = []
        for k, line in enumerate(lines):
            top = k * LINE_HEIGHT
            words += [
                RawWord(found.group(), found.start() * CHAR_WIDTH, top, found.end() * CHAR_WIDTH, top + SIZE, "", SIZE)
                for found in WORD.finditer(line)
            ]
        width = max((len(line) for line in lines), default=0) * CHAR_WIDTH
        yield RawPage(number, width, len(lines) * LINE_HEIGHT, words, [], [])


def read_laid_out(path: str, text: str, sha256: str, encoding: str, warnings: list[Warning], rules: Rules) -> LayoutDocument:
    """The layout model of a laid-out text (format "text"; its document text is the lines in
    reading order, as for a PDF)."""
    from .pdf import read_pages  # the PDF reader's modules are heavy: imported for laid-out texts only

    return read_pages(
        path, raw_pages(text), rules, sha256=sha256, source_format="text", encoding=encoding, warnings=warnings
    )
