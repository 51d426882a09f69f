"""Tables on a PDF page: header rows, column ranges and roles, the table's extent, rows and cells.

Fully ruled tables, tables with horizontal rules only and borderless tables (aligned text) are
read the same way. A header row (every word a label of ``table_header_words``, at least two
labels apart) names the columns and gives their roles. Vertical rulings through the header, else
the emptiest gutter between two header labels in the text below, are the column boundaries. The
table runs down to the end of its vertical rulings, or while its text rows fit the columns.

Rows: bands between horizontal rulings, split further where the first (number or activity)
column starts an activity or section number at its left edge. A text row that crosses a column
boundary, a band without the interior vertical rulings, or a short bold or italic line alone in
the first column is a row of its own (a section or theme row). The cells of the other columns
are tied to rows by position (their vertical overlap), never by order, so a vertically centred
cell lands in its row.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import pairwise
from operator import attrgetter

from .labels import PRIMARY, YEAR, ColumnLabels, emission_order, label_key
from .layout import Ruling, Word
from .rules import LayoutFile
from .wording import SENTENCE_END, TERMINAL

SUP_SIZE = 0.85  # a raised word is smaller than this share of its line's size ...
SUP_RISE = 0.15  # ... and its bottom sits higher than this share of the size above the line's
GLUE = 0.08  # words closer than this share of the size print as one (font change inside a word)
WORD_GAP = 0.6  # words closer than this share of the size belong to one phrase
HEADER_GAP = 0.8  # header labels are at least this share of the size apart
TOLERANCE = 2.0  # points: rulings and edges that near are the same position
PARAGRAPH_GAP = 0.8  # a white gap above a line taller than this share of its size opens a paragraph
HEADER_ROWS = 3  # a header's labels wrap over at most this many text rows ...
STACKED_SPACE = 0.3  # ... read as one row whose words are this share of the size apart
OTHER_HEADER_MIN = 3  # a header naming no plan column (indicators, questionnaires) has at least this many labels
ROW_RULE_GAP = 1.0  # text further than this share of the size below a table's last rule is outside
MARK_CHARS = 3  # a timeline cell of at most this many mark characters marks its year


def char_median(words: list[Word]) -> float:
    """The font size that half of the characters reach (the size of the line's body text)."""
    first = words[0].size
    if all(w.size == first for w in words):
        return first
    sized = sorted((w.size, len(w.text)) for w in words)
    half = sum(n for _, n in sized) / 2
    seen = 0
    for size, n in sized:
        seen += n
        if seen >= half:
            return size
    return sized[-1][0]


def _mostly(words: list[Word], flags: list[bool]) -> bool:
    """Whether the flagged words hold most of the characters."""
    if not any(flags):
        return False
    return 2 * sum(len(w.text) for w, flag in zip(words, flags, strict=True) if flag) > sum(len(w.text) for w in words)


def is_raised(word: Word, size: float, bottom: float) -> bool:
    """A superscript: smaller than the line's text and lifted above its baseline."""
    return word.size < SUP_SIZE * size and word.bottom < bottom - SUP_RISE * size


def join_words(words: list[Word], size: float, bottom: float) -> str:
    """Words in x order as printed: a space between them unless they touch (font change, superscript)."""
    parts: list[str] = []
    prev: Word | None = None
    for word in words:
        if prev is not None:
            touching = word.x0 - prev.x1 < GLUE * size
            after_raised = is_raised(prev, size, bottom) and not is_raised(word, size, bottom)
            if not touching or after_raised:
                parts.append(" ")
        parts.append(word.text)
        prev = word
    return "".join(parts)


@dataclass(slots=True)
class TextRow:
    """Words on one baseline (of a page, a fragment of it, or a table cell), in x order."""

    words: list[Word]
    x0: float
    top: float
    x1: float
    bottom: float
    size: float

    @classmethod
    def of(cls, words: list[Word]) -> TextRow:
        """The row of ``words``; its top is that of its text, not of the superscripts above it."""
        words = sorted(words, key=attrgetter("x0"))
        size = char_median(words)
        bottom = max([w.bottom for w in words])
        tops = [w.top for w in words if not is_raised(w, size, bottom)] or [w.top for w in words]
        return cls(words, words[0].x0, min(tops), max([w.x1 for w in words]), bottom, size)

    @property
    def text(self) -> str:
        return join_words(self.words, self.size, self.bottom)

    @property
    def center(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def bold(self) -> bool:
        return _mostly(self.words, [w.bold for w in self.words])

    @property
    def italic(self) -> bool:
        return _mostly(self.words, [w.italic for w in self.words])

    @property
    def styled(self) -> bool:
        return self.bold or self.italic


@dataclass(slots=True)
class Column:
    role: str
    x0: float
    x1: float
    year: str | None = None  # a year heading the column (a timeline: its cells mark the activity's years)


@dataclass(slots=True)
class TableRow:
    """One row of a table: a spanning row (``span``), or cells by column index."""

    span: list[TextRow] = field(default_factory=list)
    cells: dict[int, list[TextRow]] = field(default_factory=dict)
    starts: bool = False  # its first cell opens with a number (or it is a spanning row)
    continued: bool = False  # it continues the last row of the previous page's table

    def extent(self, primary: set[int]) -> tuple[float, float] | None:
        rows = self.span + [r for k, cell in self.cells.items() if k in primary for r in cell]
        if not rows:
            return None
        return min(r.top for r in rows), max(r.bottom for r in rows)


@dataclass(slots=True)
class Table:
    columns: list[Column]
    ruled: bool
    header: list[tuple[int, TextRow]]
    rows: list[TableRow]
    used: range  # indices of the page's text rows that belong to the table
    open_end: bool  # nothing follows it on its page: it may continue on the next one

    def cells_in_order(self, row: TableRow) -> list[tuple[str, list[TextRow]]]:
        """The row's cells as emitted: a column left of the activities (an objective heading them),
        number, activity (or the first column), lead, timeframe, others."""
        if row.span:
            return [("activity", row.span)]
        order = emission_order({k: self.columns[k].role for k in row.cells}, Grid(self.columns).primary)
        return [(self.columns[k].role, row.cells[k]) for k in order]


def _years_of_marks(rows: list[TableRow], columns: list[Column], marks: frozenset[str]) -> None:
    """In a timeline (columns headed by years), a cell that only marks its column (``marks``: "X",
    "✓") reads as the column's year, at the mark's place: the row's timeframe is the years marked."""
    for row in rows:
        for k, parts in row.cells.items():
            year = columns[k].year
            if year is None:
                continue
            row.cells[k] = [_as_year(part, year) if _marks(part.text, marks) else part for part in parts]


def _marks(text: str, marks: frozenset[str]) -> bool:
    return 0 < len(text) <= MARK_CHARS and all(char in marks for char in text)


def _as_year(part: TextRow, year: str) -> TextRow:
    first = part.words[0]
    word = Word(year, part.x0, part.top, part.x1, part.bottom, first.fontname, first.size, first.bold, first.italic)
    return TextRow.of([word])


def _stacked(rows: list[TextRow]) -> TextRow:
    """Header rows read as one: each cell's lines joined ("Time-" "frame" -> "Timeframe"), a cell
    being the words of a row between wide gaps, and the words below that overlap it."""
    cells: list[list[Word]] = []
    for row in rows:
        for group in _groups(row.words, HEADER_GAP * row.size):
            cell = next((c for c in cells if _overlap(c, group)), None)
            if cell is None:
                cells.append(list(group))
            else:
                cell.extend(group)
    top, bottom, size = rows[0].top, rows[-1].bottom, rows[0].size
    space = STACKED_SPACE * size
    words: list[Word] = []
    for cell in sorted(cells, key=lambda c: min(w.x0 for w in c)):
        tokens = re.sub(r"(\w)- (\w)", r"\1\2", " ".join(w.text for w in cell)).split()
        x0, x1 = min(w.x0 for w in cell), max(w.x1 for w in cell)
        width = max((x1 - x0 - space * (len(tokens) - 1)) / len(tokens), space)
        first = cell[0]
        for k, token in enumerate(tokens):
            left = x0 + k * (width + space)
            words.append(Word(token, left, top, left + width, bottom, first.fontname, size, first.bold, first.italic))
    return TextRow.of(words)


def _overlap(a: list[Word], b: list[Word]) -> bool:
    return min(w.x0 for w in b) < max(w.x1 for w in a) and min(w.x0 for w in a) < max(w.x1 for w in b)


def _groups(words: list[Word], gap: float) -> list[list[Word]]:
    """Words in x order cut where the white space between two reaches ``gap``."""
    groups: list[list[Word]] = [[words[0]]]
    for a, b in pairwise(words):
        if b.x0 - a.x1 >= gap:
            groups.append([])
        groups[-1].append(b)
    return groups


@dataclass(slots=True)
class Grid:
    """The columns of one table and what the row rules need to know about them."""

    columns: list[Column]
    bounds: list[float] = field(init=False)
    primary: set[int] = field(init=False)
    first: int = field(init=False)
    number: int | None = field(init=False)

    def __post_init__(self) -> None:
        self.bounds = [c.x1 for c in self.columns[:-1]]
        self.primary = {k for k, c in enumerate(self.columns) if c.role in PRIMARY} or {0}
        self.first = min(self.primary)
        self.number = next((k for k, c in enumerate(self.columns) if c.role == "number"), None)

    def split(self, row: TextRow) -> dict[int, TextRow]:
        """The row's words by column (by each word's centre)."""
        parts: dict[int, list[Word]] = {}
        for word in row.words:
            parts.setdefault(bisect_right(self.bounds, (word.x0 + word.x1) / 2), []).append(word)
        return {k: TextRow.of(words) for k, words in sorted(parts.items())}

    def crosses(self, row: TextRow) -> bool:
        """Whether the row's text runs across a column boundary (a word over it, or a phrase through it)."""
        half = TOLERANCE / 2
        for b in self.bounds:
            if any(w.x0 < b - half and w.x1 > b + half for w in row.words):
                return True
            before = [w for w in row.words if w.x1 <= b + half]
            after = [w for w in row.words if w.x0 >= b - half]
            if before and after and after[0].x0 - before[-1].x1 < WORD_GAP * row.size:
                return True
        return False


class TableReader:
    """Finds and reads the tables of one page after another (a table may go on to the next page)."""

    def __init__(self, layout: LayoutFile) -> None:
        self.labels = ColumnLabels(layout)
        numbering = layout.numbering
        self.starts = [re.compile(numbering[k]) for k in ("activity", "section", "paragraph") if k in numbering]
        self.activity = re.compile(numbering["activity"]) if "activity" in numbering else None
        self.marks = frozenset(layout.timeline_marks)
        self.heading_words = layout.theme_max_words

    # ---------------------------------------------------------------- header rows

    def header(self, row: TextRow) -> list[tuple[str, float, float]] | None:
        """The header cells (role, x0, x1) when every word of the row is a column label."""
        words = row.words
        tokens = [label_key(w.text) for w in words]
        if not all(self._label(token) for token in tokens):
            return None  # a word no label holds: no header (the common case, checked first)
        cells: list[tuple[str, float, float]] = []
        i = 0
        while i < len(tokens):
            for n in range(min(self.labels.longest, len(tokens) - i), 0, -1):
                role = self.labels.role(tokens[i : i + n])
                if role and all(b.x0 - a.x1 < WORD_GAP * row.size for a, b in pairwise(words[i : i + n])):
                    break
            else:
                return None
            cells.append((role, words[i].x0, words[i + n - 1].x1))
            i += n
        if len(cells) < (OTHER_HEADER_MIN if all(role == "other" for role, _, _ in cells) else 2):
            return None
        if any(b[1] - a[2] < HEADER_GAP * row.size for a, b in pairwise(cells)):
            return None
        return cells

    def header_at(self, rows: list[TextRow], i: int) -> tuple[list[tuple[str, float, float]], TextRow, int] | None:
        """The header starting at ``rows[i]``: its cells, its row and how many text rows it takes.

        One row of labels, or labels wrapped over up to ``HEADER_ROWS`` rows ("Lead" over
        "organization", "Time-" over "frame", a label centred beside the wrapped ones) when the first
        of them holds a label's word.
        """
        labelled = any(label_key(w.text) in self.labels.words for w in rows[i].words)
        for depth in range(1, min(HEADER_ROWS if labelled else 1, len(rows) - i) + 1):
            stack = rows[i : i + depth]
            if depth > 1 and stack[-1].top - stack[-2].bottom > PARAGRAPH_GAP * stack[-1].size:
                return None
            if depth > 1 and not self._may_stack(stack):
                continue
            head = stack[0] if depth == 1 else _stacked(stack)
            cells = self.header(head)
            if cells is not None:
                return cells, head, depth
        return None

    def _label(self, key: str) -> bool:
        """Whether a keyed word can be part of a header cell: a label's word or a year."""
        return key in self.labels.words or YEAR.fullmatch(key) is not None

    def _may_stack(self, stack: list[TextRow]) -> bool:
        """Whether the rows stacked can read as a header: without a hyphen ending a word (which may
        join it to the next into a label's word) each of their words must be a label's word, as
        :meth:`header` asks."""
        words = [w.text for row in stack for w in row.words]
        return any(text.endswith("-") or "- " in text for text in words) or all(
            self._label(label_key(token)) for text in words for token in text.split()
        )

    # ---------------------------------------------------------------- tables of a page

    def read(self, rows: list[TextRow], rulings: list[Ruling], previous: Table | None) -> list[Table]:
        """The tables among ``rows`` (the page's text rows in top order, furniture and footnotes removed)."""
        tables: list[Table] = []
        i = 0
        carried = previous if previous is not None and previous.open_end else None
        if carried is not None and rows and self.header_at(rows, 0) is None:
            table = self._continuation(rows, rulings, carried)
            if table is not None:
                tables.append(table)
                i = table.used.stop
        while i < len(rows):
            found = self.header_at(rows, i)
            if found is None:
                i += 1
                continue
            table = self._table(rows, i, found, rulings, carried is not None and i == 0)
            tables.append(table)
            i = max(table.used.stop, i + 1)
        return tables

    def _continuation(self, rows: list[TextRow], rulings: list[Ruling], previous: Table) -> Table | None:
        """The previous page's table going on at the top of this page without a repeated header."""
        grid = Grid(previous.columns)
        first = rows[0]
        if previous.ruled:
            verticals = [r for r in rulings if not r.horizontal and r.top <= first.bottom <= r.bottom + TOLERANCE]
            if not all(any(abs(r.x0 - b) <= TOLERANCE for r in verticals) for b in grid.bounds):
                return None
        elif grid.crosses(first) and not self._title_like(first, grid):
            return None
        return self._body(rows, 0, first.top - TOLERANCE, grid, rulings, [], previous.ruled, True)

    def _table(
        self,
        rows: list[TextRow],
        h: int,
        header: tuple[list[tuple[str, float, float]], TextRow, int],
        rulings: list[Ruling],
        carried: bool,
    ) -> Table:
        cells, head, depth = header
        size = head.size
        hx0, hx1 = cells[0][1], cells[-1][2]
        across = [r for r in rulings if r.horizontal and r.x0 <= hx0 + size and r.x1 >= hx1 - size]
        above = [r.top for r in across if head.top - 1.5 * size <= r.top <= head.top + TOLERANCE]
        top = max(above) if above else head.top - SUP_RISE * size
        x0 = min([r.x0 for r in across] + [hx0])
        x1 = max([r.x1 for r in across] + [hx1])
        verticals = [
            r
            for r in rulings
            if not r.horizontal and x0 - TOLERANCE <= r.x0 <= x1 + TOLERANCE and r.bottom > top + TOLERANCE
        ]
        ruled = any(r.top <= head.center <= r.bottom for r in verticals)
        grid = Grid(self._columns(head, rows[h + depth :], cells, verticals, x0, x1))
        for k, part in grid.split(head).items():
            if grid.columns[k].role == "timeframe" and YEAR.fullmatch(part.text):
                grid.columns[k].year = part.text
        table = self._body(rows, h + depth, top, grid, rulings, list(grid.split(head).items()), ruled, carried)
        table.used = range(h, table.used.stop)
        return table

    @staticmethod
    def _columns(
        head: TextRow,
        body: list[TextRow],
        cells: list[tuple[str, float, float]],
        verticals: list[Ruling],
        x0: float,
        x1: float,
    ) -> list[Column]:
        through = sorted(r.x0 for r in verticals if r.top <= head.center <= r.bottom)
        body_words = [w for row in body if not row.styled for w in row.words]
        bounds: list[float] = []
        for (_, _, left_end), (_, right_start, _) in pairwise(cells):
            ruled = [x for x in through if left_end - TOLERANCE <= x <= right_start + TOLERANCE]
            bounds.append(ruled[0] if ruled else _gutter(left_end, right_start, body_words))
        roles = [role for role, _, _ in cells]
        unnamed = [x for x in through if x0 + head.size < x < cells[0][1] - TOLERANCE]
        if unnamed:
            bounds.insert(0, unnamed[-1])
            roles.insert(0, "number")
        edges = [min(x0, head.x0), *bounds, max(x1, head.x1)]
        return [Column(role, a, b) for role, (a, b) in zip(roles, pairwise(edges), strict=True)]

    def _end(self, rows: list[TextRow], start: int, top: float, grid: Grid, rules: list[float], bottom: float | None) -> int:
        """Index just past the table's last text row."""
        end = start
        while end < len(rows):
            row = rows[end]
            if self.header_at(rows, end) is not None:
                break
            if bottom is not None:
                if row.center > bottom:
                    break
            else:
                above = rows[end - 1].bottom if end > 0 else top
                crossed = [y for y in rules if above - TOLERANCE <= y <= row.top]
                if crossed and row.top - crossed[-1] > ROW_RULE_GAP * row.size:
                    break
                if grid.crosses(row) and not row.styled:
                    break
            end += 1
        return end

    def _body(
        self,
        rows: list[TextRow],
        start: int,
        top: float,
        grid: Grid,
        rulings: list[Ruling],
        header: list[tuple[int, TextRow]],
        ruled: bool,
        continues: bool,
    ) -> Table:
        """The table's rows from ``rows[start]`` down to its end."""
        left, right = grid.columns[0].x0, grid.columns[-1].x1
        verticals = [r for r in rulings if not r.horizontal and left - TOLERANCE <= r.x0 <= right + TOLERANCE]
        reach = 4 * TOLERANCE
        rules = sorted(r.top for r in rulings if r.horizontal and r.x0 <= left + reach and r.x1 >= right - reach)
        bottom = _ruled_bottom(verticals, top) if ruled else None
        end = self._end(rows, start, top, grid, rules, bottom)
        body = rows[start:end]
        bottom_y = bottom if bottom is not None else (body[-1].bottom if body else top)
        bands = _merge_close([y for y in rules if top + TOLERANCE < y < bottom_y - TOLERANCE])
        header_rows = list(header)
        if header:
            head = rows[start - 1]
            header_end = next((y for y in bands if head.center < y <= head.bottom + 2.5 * head.size), None)
        else:
            header_end = None
        band_rows: dict[int, list[TextRow]] = {}
        for row in body:
            if header_end is not None and row.center < header_end:
                header_rows.extend(grid.split(row).items())
            else:
                band_rows.setdefault(bisect_right(bands, row.center), []).append(row)
        cells = [grid.split(row) for row in body]
        numbered = any(self._numbered(parts[min(parts)]) for parts in cells if min(parts) in grid.primary)
        edges = {k: min((p[k].x0 for p in cells if k in p), default=grid.columns[k].x0) for k in grid.primary}
        interior = [r for r in verticals if any(abs(r.x0 - b) <= TOLERANCE for b in grid.bounds)]
        celled = ruled and bool(interior)
        table_rows: list[TableRow] = []
        for band, members in sorted(band_rows.items()):
            y0 = bands[band - 1] if band > 0 else top
            y1 = bands[band] if band < len(bands) else bottom_y
            if celled and not any(r.top <= (y0 + y1) / 2 <= r.bottom for r in interior):
                table_rows.append(TableRow(span=members, starts=True))
            else:
                table_rows.extend(self._band(members, grid, celled, numbered, edges))
        if continues and table_rows and not table_rows[0].starts:
            table_rows[0].continued = True
        _years_of_marks(table_rows, grid.columns, self.marks)
        return Table(
            columns=grid.columns,
            ruled=ruled,
            header=header_rows,
            rows=table_rows,
            used=range(start, end),
            open_end=end == len(rows),
        )

    # ---------------------------------------------------------------- rows of a band

    def _numbered(self, part: TextRow) -> bool:
        text = part.text
        return any(p.match(text) for p in self.starts)

    def _opens_row(self, part: TextRow, gap: float | None, numbered: bool) -> bool:
        """Whether a first-column line at the column's left edge opens a row: it starts with a number
        (in a numbered table), else it follows a paragraph gap or opens the band without a lower-case
        letter (a continued sentence)."""
        if numbered:
            return self._numbered(part)
        if gap is None:
            return not part.text[:1].islower()
        return gap > PARAGRAPH_GAP * part.size

    def _title_like(self, row: TextRow, grid: Grid) -> bool:
        """A bold or italic line alone in the number or activity column that is not an activity (a
        theme, a section; in the activity column when the numbers have a column of their own)."""
        columns = set(grid.split(row))
        if not row.styled or grid.crosses(row) or len(columns) != 1 or not columns <= grid.primary:
            return False
        return not (self.activity is not None and self.activity.match(row.text))

    def _plain_heading(self, row: TextRow, grid: Grid, finished: bool, after: TextRow | None) -> bool:
        """Unstyled (a text laid out in columns), in a numbered table: a short line alone in the number
        or activity column between a ``finished`` row (its text ends a sentence) and a numbered one,
        without a sentence end itself."""
        if row.styled or not finished or after is None:
            return False
        columns = set(grid.split(row))
        if len(columns) != 1 or not columns <= grid.primary:
            return False
        text, next_parts = row.text, grid.split(after)
        lead = next_parts.get(min(next_parts)) if next_parts else None
        starts_next = lead is not None and self._numbered(lead)
        short = len(text.split()) <= self.heading_words and text[:1].isupper()
        ended = SENTENCE_END.search(text) or text.endswith(",")
        return starts_next and short and not self._numbered(row) and not ended

    def _band(
        self, members: list[TextRow], grid: Grid, celled: bool, numbered: bool, edges: dict[int, float]
    ) -> list[TableRow]:
        """The table rows of one band between rulings (the whole table when it has none)."""
        result: list[TableRow] = []
        secondary: dict[int, list[TextRow]] = {}
        current: TableRow | None = None
        last: TextRow | None = None
        finished = False  # the last row's text ends a sentence
        for i, row in enumerate(members):
            gap = row.top - last.bottom if last is not None else None
            after = members[i + 1] if i + 1 < len(members) else None
            heading = self._title_like(row, grid) or (numbered and self._plain_heading(row, grid, finished, after))
            if not celled and (grid.crosses(row) or heading):
                if current is not None and current.span and gap is not None and gap < PARAGRAPH_GAP * row.size:
                    current.span.append(row)
                else:
                    current = TableRow(span=[row], starts=True)
                    result.append(current)
                last = row
                continue
            parts = grid.split(row)
            for k, part in parts.items():
                if k not in grid.primary:
                    secondary.setdefault(k, []).append(part)
            lead = min((k for k in parts if k in grid.primary), default=None)
            if lead is None:
                continue
            part = parts[lead]
            if grid.number is not None:
                starts = lead == grid.number
            else:
                starts = part.x0 <= edges[lead] + 2 * TOLERANCE and self._opens_row(part, gap, numbered)
            if current is None or current.span or (starts and any(k in grid.primary for k in current.cells)):
                current = TableRow(starts=starts)
                result.append(current)
            for k, p in parts.items():
                if k in grid.primary:
                    current.cells.setdefault(k, []).append(p)
            last = part
            finished = bool(TERMINAL.search(parts[max(k for k in parts if k in grid.primary)].text))
        _place(secondary, result, grid.primary)
        return result


def _gutter(lo: float, hi: float, words: list[Word]) -> float:
    """The middle of the longest stretch of [lo, hi] that the fewest words cover."""
    if hi <= lo:
        return (lo + hi) / 2
    events: list[tuple[float, int]] = []
    for w in words:
        a, b = max(w.x0, lo), min(w.x1, hi)
        if a < b:
            events += [(a, 1), (b, -1)]
    events.sort()
    best = (len(words) + 1, 0.0, (lo + hi) / 2)
    depth, x = 0, lo
    for pos, delta in [*events, (hi, 0)]:
        if pos > x:
            candidate = (depth, -(pos - x), (x + pos) / 2)
            best = min(best, candidate)
        depth += delta
        x = max(x, pos)
    return best[2]


def _ruled_bottom(verticals: list[Ruling], top: float) -> float:
    """How far the vertical rulings that start at the table's top go down, segment after segment."""
    bottom = top
    for r in sorted(verticals, key=lambda r: r.top):
        if r.top <= bottom + TOLERANCE:
            bottom = max(bottom, r.bottom)
    return bottom


def _merge_close(values: list[float]) -> list[float]:
    merged: list[float] = []
    for v in values:
        if not merged or v - merged[-1] > TOLERANCE:
            merged.append(v)
    return merged


def _place(secondary: dict[int, list[TextRow]], rows: list[TableRow], primary: set[int]) -> None:
    """Tie the cells of the lead, timeframe and other columns to rows by vertical position."""
    if not secondary:
        return
    if not rows:
        rows.append(TableRow())
    extents = [row.extent(primary) for row in rows]
    for k, parts in secondary.items():
        for block in _blocks(parts):
            hits = [_containing(extents, part.center) for part in block]
            distinct = {h for h in hits if h is not None}
            if len(distinct) >= 2:
                for part, hit in zip(block, hits, strict=True):
                    target = hit if hit is not None else _nearest(extents, part.top, part.bottom)
                    rows[target].cells.setdefault(k, []).append(part)
                continue
            target = distinct.pop() if distinct else _nearest(extents, block[0].top, block[-1].bottom)
            rows[target].cells.setdefault(k, []).extend(block)


def _blocks(parts: list[TextRow]) -> list[list[TextRow]]:
    """Consecutive lines of one column, split at paragraph gaps."""
    blocks: list[list[TextRow]] = []
    for part in parts:
        if blocks and part.top - blocks[-1][-1].bottom <= PARAGRAPH_GAP * part.size:
            blocks[-1].append(part)
        else:
            blocks.append([part])
    return blocks


def _containing(extents: list[tuple[float, float] | None], y: float) -> int | None:
    for i, extent in enumerate(extents):
        if extent is not None and extent[0] - TOLERANCE <= y <= extent[1] + TOLERANCE:
            return i
    return None


def _nearest(extents: list[tuple[float, float] | None], top: float, bottom: float) -> int:
    """The row whose primary cells overlap [top, bottom] most, else the closest one."""

    def score(i: int) -> tuple[float, float]:
        extent = extents[i]
        if extent is None:
            return (0.0, float("inf"))
        overlap = min(bottom, extent[1]) - max(top, extent[0])
        return (max(overlap, 0.0), -abs((top + bottom) / 2 - (extent[0] + extent[1]) / 2))

    return max(range(len(extents)), key=score)
