"""Where a page's footnote area starts (rows of words -> the area's top, or none)."""

from __future__ import annotations

import re

import pytest

from jwpextract.footnotes import footnote_top
from jwpextract.layout import Ruling, Word
from jwpextract.tables import TextRow

NUMBER = re.compile(r"^(?:\d{1,3}|[*†‡§]{1,3})$")
HEIGHT = 842.0


def row(text: str, top: float, size: float) -> TextRow:
    words, x = [], 72.0
    for token in text.split():
        words.append(Word(token, x, top, x + 0.5 * size * len(token), top + size, "F", size))
        x += 0.5 * size * (len(token) + 1)
    return TextRow.of(words)


BODY = [row("The Parties agree to cooperate on the matters below.", 100 + 14 * k, 12.0) for k in range(10)]
NOTES = [row("1 A note in small print at the foot of the page.", 760, 9.0), row("2 Another note.", 772, 9.0)]
COVER = [row("A cover page printed in small type.", 90 + 12 * k, 10.0) for k in range(5)]
SMALL_PAGE = [row("3 September 2026", 75, 10.0), *COVER]
RULE = Ruling(72, 752, 200, 752)


@pytest.mark.parametrize(
    ("rows", "rulings", "expected"),
    [
        pytest.param(BODY + NOTES, [], 760, id="small print at the foot"),
        pytest.param(BODY + NOTES, [RULE], 752, id="under a short rule"),
        pytest.param(BODY, [], None, id="no notes"),
        pytest.param(SMALL_PAGE, [], None, id="a page all in small print is its text"),
        pytest.param([*BODY[:2], row("4 small lines from the middle of the page up", 300, 9.0)], [], None, id="mid-page"),
    ],
)
def test_footnote_top(rows: list[TextRow], rulings: list[Ruling], expected: float | None) -> None:
    assert footnote_top(rows, rulings, 12.0, HEIGHT, NUMBER) == expected
