"""Footnotes of PDF pages: where a page's footnote area starts, and the notes it holds.

The area is the text below a short rule at the left margin in the lower half of the page, or
else the block of small-font lines at the bottom of the page, opening in its lower half (a cover
page printed smaller than the annex is text, not notes); either way it opens with a note number
(``footnote_number_pattern``). The PDF reader marks its lines ``furniture="footnote"`` and sets
``blank_before`` on the line that opens each note; :func:`find_footnotes` gathers them.
"""

from __future__ import annotations

import re
from itertools import pairwise

from .layout import LayoutDocument, Line, Ruling
from .tables import TextRow
from .textjoin import JoinedText

SHORT_RULE = 0.5  # a footnote rule is shorter than this share of the text width
LEFT_SLACK = 0.1  # ... and starts within this share of the width from the left margin
SMALL_TEXT = 0.92  # footnote text is smaller than this share of the body size
LOWER_PART = 0.5  # a footnote area without a rule starts in this lower share of the page
WIDE_GAP = 1.5  # a gap this many times the size between words (after the number) makes cells, not a note


def opens_note(row: TextRow, number: re.Pattern[str]) -> bool:
    """The row starts with a note number followed by text."""
    return len(row.words) > 1 and bool(number.match(row.words[0].text))


def _prose(row: TextRow) -> bool:
    """One run of text (a wide gap allowed after the note number only), not the cells of a table row."""
    return all(b.x0 - a.x1 <= WIDE_GAP * row.size for a, b in pairwise(row.words[1:]))


def footnote_top(
    rows: list[TextRow], rulings: list[Ruling], body_size: float, height: float, number: re.Pattern[str]
) -> float | None:
    """The top of the page's footnote area, or None. ``rows``: the page's text rows in top order."""
    if not rows:
        return None
    left = min(r.x0 for r in rows)
    width = max(r.x1 for r in rows) - left
    for rule in sorted((r for r in rulings if r.horizontal), key=lambda r: r.top):
        short = rule.x1 - rule.x0 < SHORT_RULE * width and rule.x0 <= left + LEFT_SLACK * width
        if not short or rule.top < height / 2:
            continue
        below = [r for r in rows if r.top > rule.top]
        if below and opens_note(below[0], number) and all(r.size <= body_size and _prose(r) for r in below):
            return rule.top
    block: list[TextRow] = []
    for row in reversed(rows):
        if row.size >= SMALL_TEXT * body_size or not _prose(row):
            break
        block.append(row)
    opening = [i for i, row in enumerate(block) if opens_note(row, number)]
    if not opening or block[opening[-1]].top < LOWER_PART * height or block[opening[-1]] is rows[0]:
        return None  # small print from the top or the middle down is the page's text, not its notes
    return block[opening[-1]].top


def find_footnotes(doc: LayoutDocument) -> list[tuple[str, str, int, list[Line]]]:
    """The document's footnotes as (number, text, page, lines), from the lines marked "footnote"."""
    notes: list[tuple[str, JoinedText, int, list[Line]]] = []
    for line in doc.lines():
        if line.furniture != "footnote":
            continue
        if line.blank_before or not notes:
            number, _, rest = line.text.partition(" ")
            text = JoinedText()
            if rest:
                offset = line.text.index(rest, len(number))
                text.add(line, rest, line.start + offset)
            notes.append((number, text, line.page, [line]))
        else:
            notes[-1][1].add(line)
            notes[-1][3].append(line)
    return [(number, text.text, page, lines) for number, text, page, lines in notes]
