"""Where an element sits on its page when the model gives offsets only (pure functions).

Reference mentions carry character offsets into the document text; the layout model's lines carry
their offset (``start``) and their words with boxes, so a range of the text maps to the boxes of the
words it covers, one rectangle per line. Furniture is found by its page and text among the lines,
and an activity's timeframe and lead cells by the column role of the lines in its line range.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from ...layout import LayoutDocument, Line
from ...models import Activity, Box, Furniture

Rect = tuple[int, float, float, float, float]  # page, x0, top, x1, bottom (PDF points from the top-left)
Span = tuple[int, int]  # start, end: offsets into the document text
WordSpan = tuple[int, int, float, float, float, float]  # start, end, x0, top, x1, bottom


def rect(box: Box) -> Rect:
    return (box.page, box.x0, box.top, box.x1, box.bottom)


def word_spans(line: Line) -> list[WordSpan]:
    """The line's words with their offsets in the document text (words are printed in x order)."""
    spans: list[WordSpan] = []
    at = 0
    for word in line.words:
        found = line.text.find(word.text, at)
        if found < 0 or not word.text:
            continue
        at = found + len(word.text)
        spans.append((line.start + found, line.start + at, word.x0, word.top, word.x1, word.bottom))
    return spans


def union(rects: list[Rect]) -> list[Rect]:
    """One rectangle per page around ``rects``, pages in order of appearance."""
    merged: dict[int, list[float]] = {}
    for page, x0, top, x1, bottom in rects:
        box = merged.setdefault(page, [x0, top, x1, bottom])
        box[:] = [min(box[0], x0), min(box[1], top), max(box[2], x1), max(box[3], bottom)]
    return [(page, *box) for page, box in merged.items()]  # type: ignore[misc]


@dataclass
class TextIndex:
    """The layout's lines by offset, for mapping ranges of the document text to word boxes."""

    lines: list[Line]
    text: str

    def __post_init__(self) -> None:
        self.starts = [line.start for line in self.lines]
        self._spans: dict[int, list[WordSpan]] = {}

    @classmethod
    def of(cls, layout: LayoutDocument) -> TextIndex:
        return cls(layout.lines(), layout.text)

    def lines_in(self, start: int, end: int) -> list[Line]:
        """The lines holding a character of ``[start, end)``."""
        k = max(bisect_right(self.starts, start) - 1, 0)
        found: list[Line] = []
        while k < len(self.lines) and self.lines[k].start < end:
            line = self.lines[k]
            if line.end > start:
                found.append(line)
            k += 1
        return found

    def boxes(self, start: int, end: int) -> list[Rect]:
        """A rectangle per line around the words that ``[start, end)`` covers (none for a text source)."""
        rects: list[Rect] = []
        for line in self.lines_in(start, end):
            if line.index not in self._spans:
                self._spans[line.index] = word_spans(line)
            words = [w for w in self._spans[line.index] if w[0] < end and w[1] > start]
            if words:
                rects.append(
                    (
                        line.page,
                        min(w[2] for w in words),
                        min(w[3] for w in words),
                        max(w[4] for w in words),
                        max(w[5] for w in words),
                    )
                )
        return rects

    def cell(self, activity: Activity, role: str, printed: str | None) -> tuple[list[Rect], Span] | None:
        """The lines of the activity's ``role`` column (timeframe, lead) in its line range; else where the
        ``printed`` text stands last in the activity's text; ``None`` when neither is found."""
        first, last = activity.provenance.lines
        lines = [line for line in self.lines[first : last + 1] if line.column == role]
        if lines:
            rects = [(line.page, *line.bbox) for line in lines if line.bbox]
            return rects, (lines[0].start, lines[-1].end)
        if not printed:
            return None
        return self.find(printed, activity.provenance.start, activity.provenance.end)

    def find(self, printed: str, start: int, end: int) -> tuple[list[Rect], Span] | None:
        """The last place of ``printed`` in ``[start, end)`` of the document text."""
        at = self.text.rfind(printed, start, end)
        if at < 0:
            return None
        span = (at, at + len(printed))
        return self.boxes(*span), span


def furniture_places(index: TextIndex, furniture: list[Furniture]) -> list[tuple[list[Rect], Span | None]]:
    """Each furniture entry's line: the next line of its page with its text (boxes, offsets)."""
    by_place: dict[tuple[int, str], list[Line]] = {}
    for line in index.lines:
        by_place.setdefault((line.page, line.text), []).append(line)
    places: list[tuple[list[Rect], Span | None]] = []
    for entry in furniture:
        queue = by_place.get((entry.page, entry.text))
        line = queue.pop(0) if queue else None
        if line is None:
            places.append(([], None))
        else:
            places.append(([(line.page, *line.bbox)] if line.bbox else [], (line.start, line.end)))
    return places
