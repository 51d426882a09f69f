"""Where an element sits on its page when the model gives offsets only (pure functions).

Reference mentions carry character offsets into the document text; the layout model's lines carry
their offset (``start``) and their words with boxes, so a range of the text maps to the boxes of the
words it covers, one rectangle per line. Furniture is found by its page and text among the lines,
and an activity's timeframe and lead cells by the column role of the lines in its line range. In
the text, an element is the ranges of its own lines (its provenance's source lines): a table row's
cells are not contiguous in reading order, so its start and end offsets may enclose other text.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

from ...layout import LayoutDocument, Line
from ...models import Activity, Box, Furniture, Provenance

Rect = tuple[int, float, float, float, float]  # page, x0, top, x1, bottom (PDF points from the top-left)
Span = tuple[int, int]  # start, end: offsets into the document text
WordSpan = tuple[int, int, float, float, float, float]  # start, end, x0, top, x1, bottom
Place = tuple[list[Rect], list[Span]]  # where an element is: on the pages, in the document text


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


def joined(spans: list[Span]) -> list[Span]:
    """Ranges in order, those that touch or are one line break apart made one."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


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

    def line_spans(self, provenance: Provenance) -> list[Span]:
        """The ranges of the provenance's own lines: its first and last line, and the lines between
        them (by index or offset) that its source text lists (else its start and end offsets).

        Its source lines come in the order the element reads (a row's text, its items, then its
        cells), which is not always the document's: a cell may stand before the row's last item."""
        first, last = provenance.lines
        wanted = Counter(provenance.source_text.split("\n"))
        around = [line.index for line in self.lines_in(provenance.start, provenance.end)]
        taken: set[int] = set()
        for k in [first, last, *range(min([first, *around]), max([last, *around]) + 1)]:
            line = self.lines[k] if 0 <= k < len(self.lines) else None
            if line is not None and k not in taken and wanted[line.text] > 0:
                wanted[line.text] -= 1
                taken.add(k)
        if +wanted:
            return [(provenance.start, provenance.end)]
        return joined([(self.lines[k].start, self.lines[k].end) for k in taken])

    def cell(self, activity: Activity, role: str, printed: str | None) -> Place | None:
        """The lines of the activity's ``role`` column (timeframe, lead) in its line range; else where the
        ``printed`` text stands last in the activity's text; ``None`` when neither is found."""
        first, last = activity.provenance.lines
        lines = [line for line in self.lines[first : last + 1] if line.column == role]
        if lines:
            rects = [(line.page, *line.bbox) for line in lines if line.bbox]
            return rects, joined([(line.start, line.end) for line in lines])
        if not printed:
            return None
        return self.find(printed, activity.provenance.start, activity.provenance.end)

    def find(self, printed: str, start: int, end: int) -> Place | None:
        """The last place of ``printed`` in ``[start, end)`` of the document text."""
        at = self.text.rfind(printed, start, end)
        if at < 0:
            return None
        return self.boxes(at, at + len(printed)), [(at, at + len(printed))]


def furniture_places(index: TextIndex, furniture: list[Furniture]) -> list[Place]:
    """Each furniture entry's line: the next line of its page with its text (boxes, offsets)."""
    by_place: dict[tuple[int, str], list[Line]] = {}
    for line in index.lines:
        by_place.setdefault((line.page, line.text), []).append(line)
    places: list[Place] = []
    for entry in furniture:
        queue = by_place.get((entry.page, entry.text))
        line = queue.pop(0) if queue else None
        if line is None:
            places.append(([], []))
        else:
            places.append(([(line.page, *line.bbox)] if line.bbox else [], [(line.start, line.end)]))
    return places
