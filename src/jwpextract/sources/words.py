"""Characters to words, cut as pdfplumber's ``extract_words`` cuts them (its default tolerances),
for both engines: runs of one font and size in content order, each run's characters clustered
into lines by top (within ``TOLERANCE`` points, chained), a line's characters in x order, a new
word at a space, at a step back, at a gap over ``TOLERANCE`` points or at a jump in top.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter

from .raw import RawWord

TOLERANCE = 3.0  # points: pdfplumber's default x_tolerance and y_tolerance
Char = tuple[tuple[str, float], str, float, float, float, float]  # (font name, size), text, x0, top, x1, bottom
STYLE, TEXT, X0, TOP, X1, BOTTOM = range(6)  # plain tuples: a page has thousands of characters


def _runs(chars: list[Char | None]) -> Iterator[list[Char]]:
    """Consecutive characters of one font and size (a mirrored character ends a run)."""
    for style, run in groupby(chars, key=lambda c: None if c is None else c[STYLE]):
        if style is not None:
            yield list(run)  # type: ignore[arg-type]


def _lines(run: list[Char]) -> Iterator[list[Char]]:
    """The run's characters by line (tops chained within the tolerance), each line in x order."""
    tops = sorted({c[TOP] for c in run})
    if tops[-1] - tops[0] <= TOLERANCE and len(tops) <= 2:
        yield sorted(run, key=itemgetter(X0))
        return
    cluster: dict[float, int] = {}
    number = 0
    for previous, top in zip([tops[0], *tops], tops, strict=False):
        number += top > previous + TOLERANCE
        cluster[top] = number
    for _, line in groupby(sorted(run, key=lambda c: cluster[c[TOP]]), key=lambda c: cluster[c[TOP]]):
        yield sorted(line, key=itemgetter(X0))


def _word(chars: list[Char]) -> RawWord:
    """The word of characters in x order (overprinted ones may reach further right)."""
    font, size = chars[0][STYLE]
    if len(chars) == 1:
        _, text, x0, top, x1, bottom = chars[0]
        return RawWord(text, x0, top, x1, bottom, font, size)
    tops = [c[TOP] for c in chars]
    return RawWord(
        "".join([c[TEXT] for c in chars]),
        chars[0][X0],
        min(tops),
        max([c[X1] for c in chars]),
        max(tops) + size,
        font,
        size,
    )


def _split(line: list[Char]) -> Iterator[RawWord]:
    """A line's words: cut at spaces, where x steps back, at gaps and at jumps in top."""
    word: list[Char] = []
    last: Char | None = None
    for char in line:
        if char[TEXT].isspace():
            if word:
                yield _word(word)
            word, last = [], None
            continue
        if last is not None and (
            char[X0] < last[X0] or char[X0] > last[X1] + TOLERANCE or abs(char[TOP] - last[TOP]) > TOLERANCE
        ):
            yield _word(word)
            word = []
        word.append(char)
        last = char
    if word:
        yield _word(word)


def words(chars: list[Char | None]) -> list[RawWord]:
    """The words of a page's characters, cut as pdfplumber's ``extract_words`` cuts them."""
    return [word for run in _runs(chars) for line in _lines(run) for word in _split(line)]
