"""Pipe tables in a text source: rows "| a | b |" (a text conversion of a document, Markdown with its
"|---|" rule under the header) read into cells, as the PDF reader reads a table's.

A row opens with a pipe; a row that does not end with one goes on over the next lines (a cell holding
a line break) until a line that does, within ``ROW_LINES`` lines and without a blank line (else it
ends where its first line does, as a Markdown row may). A table is a run of rows, line after line. A
row is its header when a rule follows it, or when every cell of it reads as a column label
(:class:`jwpextract.labels.ColumnLabels`); a plan's table is a header naming an activity or number
column among at least two labelled ones, in one of its first ``HEADER_ROWS`` rows (the rows above it
being its captions: "| Table 1 Priority area A |").

Each cell becomes a line per physical line it covers, at its offset in the document text: the header's
cells marked ``table-header`` with their column's role, the others tagged with the role and the row
(numbered through the document, as the PDF reader does), in the order the PDF reader emits a row's
cells. The cells of other tables are lines of their own, without a role or row. A rule row is no line.

A table's notes follow it ("a   Letters represent ...", "b   ..."); a note's label glued to the end of a
word in the table ("Activity numbera", "impactsb") is its marker (see :class:`_Markers`): the cell's
line leaves it out, as the PDF reader drops a raised marker (the document text keeps it).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from ..labels import PRIMARY, ColumnLabels, emission_order, label_key
from ..layout import Line, Page
from ..rules import LayoutFile

ROW_LINES = 12  # a row broken over lines spans at most this many
PIPE = re.compile(r"(?<!\\)\|")
RULE_CELL = re.compile(r":?-+:?")
LABELLED = 2  # a plan's header labels at least this many columns
HEADER_ROWS = 3  # a plan's header is one of a table's first rows
NOTE = re.compile(r"^(?P<label>[a-z]|\d{1,2}|[*†‡§]{1,3})\s+(?=[^\sa-z])")  # a table note: "a   Letters represent"
NOTE_LINES = 6  # a table's notes are among the lines right after it
STEM = 4  # a marker is glued to a word of at least this many letters
WORD = re.compile(r"\w+")


@dataclass(slots=True)
class _Cell:
    """A cell's text on each physical line it covers: (line, text, offset in the document text)."""

    parts: list[tuple[Line, str, int]]

    @property
    def text(self) -> str:
        return " ".join(text for _, text, _ in self.parts)


def is_row(line: Line) -> bool:
    return line.text.startswith("|")


def _closed(text: str) -> bool:
    return len(text) > 1 and text.endswith("|") and not text.endswith("\\|")


def _row_lines(lines: list[Line], i: int) -> list[Line]:
    """The physical lines of the row opening at ``lines[i]``."""
    if _closed(lines[i].text):
        return [lines[i]]
    for k in range(i + 1, min(i + ROW_LINES, len(lines))):
        line = lines[k]
        if is_row(line) or line.blank_before:
            break
        if _closed(line.text):
            return lines[i : k + 1]
    return [lines[i]]


def _cells(physical: list[Line]) -> list[_Cell]:
    """The cells of one row, each with its text on each of the row's lines."""
    cells: list[_Cell] = []
    for line in physical:
        text, at = line.text, 0
        for pipe in PIPE.finditer(text):
            if cells:
                _add(cells[-1], line, at, pipe.start())
            cells.append(_Cell([]))
            at = pipe.end()
        if cells:
            _add(cells[-1], line, at, len(text))
    if cells and _closed(physical[-1].text):
        cells.pop()
    return cells


def _add(cell: _Cell, line: Line, start: int, end: int) -> None:
    piece = line.text[start:end]
    stripped = piece.strip()
    if stripped:
        cell.parts.append((line, stripped, line.start + start + len(piece) - len(piece.lstrip())))


def _is_rule(cells: list[_Cell]) -> bool:
    return bool(cells) and all(RULE_CELL.fullmatch(cell.text) for cell in cells)


def _line(source: Line, text: str, start: int, blank: bool, column: str | None = None, row: int | None = None) -> Line:
    """A cell's line: a header's has a column and no row."""
    furniture = "table-header" if column is not None and row is None else None
    return Line(text, source.page, 0, start, blank_before=blank, furniture=furniture, column=column, row=row)


def _note_labels(lines: list[Line]) -> list[str]:
    """The labels of the notes among ``lines`` (those after a table), in their order."""
    labels = [match["label"] for line in lines[:NOTE_LINES] if (match := NOTE.match(line.text))]
    return list(dict.fromkeys(labels))


class _Markers:
    """Finds a table's note markers glued to its words, cell after cell: a marker is the label of a note
    used before in the table or the next one (notes are labelled in the order the table uses them),
    glued to a word of ``STEM`` letters or more that the document prints more often without it, or in
    the header, that is a column label's word."""

    def __init__(self, labels: list[str], words: Counter[str], label_words: set[str]) -> None:
        self.labels = labels
        self.used = 0  # how many of the labels the table has used
        self.words = words
        self.label_words = label_words

    def _label(self, word: str, header: bool) -> str | None:
        allowed = sorted(enumerate(self.labels[: self.used + 1]), key=lambda item: -len(item[1]))
        for k, label in allowed:
            stem = word[: -len(label)]
            glued = word.endswith(label) and len(stem) >= STEM and stem.isalpha()
            known = self.words[stem.lower()] > self.words[word.lower()] or (header and label_key(stem) in self.label_words)
            if glued and known:
                self.used = max(self.used, k + 1)
                return label
        return None

    def spans(self, text: str, header: bool) -> list[tuple[int, int]]:
        """Spans of the markers in ``text`` (of a ``header`` cell)."""
        spans: list[tuple[int, int]] = []
        for token in WORD.finditer(text):
            label = self._label(token.group(), header)
            if label is not None:
                spans.append((token.end() - len(label), token.end()))
        return spans

    def unmarked(self, part: tuple[Line, str, int], header: bool) -> list[tuple[Line, str, int]]:
        """A cell's piece of text without its markers: the pieces around them."""
        source, text, start = part
        pieces: list[tuple[Line, str, int]] = []
        at = 0
        for a, b in [*self.spans(text, header), (len(text), len(text))]:
            piece = text[at:a]
            if piece.strip():
                pieces.append((source, piece.strip(), start + at + len(piece) - len(piece.lstrip())))
            at = b
        return pieces


class PipeTables:
    """Reads the pipe tables of a text's pages, numbering their rows through the document; ``words``:
    how often each word (lower case) occurs in the document."""

    def __init__(self, layout: LayoutFile, words: Counter[str]) -> None:
        self.labels = ColumnLabels(layout)
        self.words = words
        self.row_id = 0

    def page(self, page: Page) -> None:
        """Replace the lines of the page's pipe tables by lines of their cells (see the module)."""
        lines = page.lines
        out: list[Line] = []
        i = 0
        while i < len(lines):
            if not is_row(lines[i]):
                out.append(lines[i])
                i += 1
                continue
            rows: list[list[_Cell]] = []
            first = lines[i]
            while i < len(lines) and is_row(lines[i]) and (not rows or not lines[i].blank_before):
                physical = _row_lines(lines, i)
                rows.append(_cells(physical))
                i += len(physical)
            head = next((k for k in range(min(HEADER_ROWS, len(rows))) if self._roles(rows[k:])), len(rows))
            labels = _note_labels(lines[i:])
            if labels:
                markers = _Markers(labels, self.words, self.labels.words)
                for k, row in enumerate(rows):
                    for cell in row:
                        cell.parts = [p for part in cell.parts for p in markers.unmarked(part, k == head)]
            out.extend(self._table(rows, head, first.blank_before))
        page.lines = out

    def _roles(self, rows: list[list[_Cell]]) -> list[str] | None:
        """The roles of a plan's columns, when the table's first row is a plan's header."""
        roles = [self.labels.cell_role(cell.text) if cell.parts else None for cell in rows[0]]
        ruled = len(rows) > 1 and _is_rule(rows[1])
        named = [role for role in roles if role is not None]
        every = all(role is not None for role, cell in zip(roles, rows[0], strict=True) if cell.parts)
        if len(named) < LABELLED or not any(role in PRIMARY for role in named) or not (ruled or every):
            return None
        return [role or "other" for role in roles]

    def _table(self, rows: list[list[_Cell]], head: int, blank: bool) -> list[Line]:
        """The lines of a table whose header is ``rows[head]`` (none when ``head`` is past its rows)."""
        out = [
            _line(source, text, start, blank or k > 0)
            for k, (source, text, start) in enumerate(p for row in rows[:head] for cell in row for p in cell.parts)
        ]
        roles = self._roles(rows[head:]) if head < len(rows) else None
        if roles is None:
            return out
        out += [
            _line(source, text, start, True, role)
            for role, cell in zip(roles, rows[head], strict=True)
            for source, text, start in cell.parts
        ]
        primary = {k for k, role in enumerate(roles) if role in PRIMARY}
        for row in rows[head + 1 :]:
            if _is_rule(row) or not any(cell.parts for cell in row):
                continue
            self.row_id += 1
            kinds = {k: roles[k] if k < len(roles) else "other" for k, cell in enumerate(row) if cell.parts}
            for k in emission_order(kinds, primary):
                for n, (source, text, start) in enumerate(row[k].parts):
                    out.append(_line(source, text, start, n == 0, kinds[k], self.row_id))
        return out


def read_pipe_tables(pages: list[Page], layout: LayoutFile) -> None:
    """The pipe tables of ``pages`` read into cells, in place; the lines renumbered in reading order."""
    words = Counter(word.lower() for page in pages for line in page.lines for word in WORD.findall(line.text))
    tables = PipeTables(layout, words)
    index = 0
    for page in pages:
        tables.page(page)
        for line in page.lines:
            line.index = index
            index += 1


def has_pipe_table(pages: list[Page]) -> bool:
    """Whether a text holds a pipe table: two rows, one after the other."""
    return any(is_row(a) and is_row(b) for page in pages for a, b in pairwise(page.lines))
