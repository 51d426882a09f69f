"""The activity table (or list) of a plan, walked once: sections, themes, activities, items, cells.

A table's lead and timeframe cells are tied to their activity by row; a row whose number and activity
cells are empty goes on with the activity above it, its values joined to the activity's ("; " between,
each once). Captions ("Table 2", "Priority area B: ...") sit between tables; text after a table (its
notes) is no activity's.
"""

from __future__ import annotations

import re
from itertools import pairwise

from ..actors import is_lead_value
from ..labels import PRIMARY
from ..layout import Line
from ..models import Warning
from ..rules import Rules
from ..textjoin import JoinedText
from ..timeframes import is_timeframe
from ..wording import SENTENCE_END, TERMINAL
from .parsed import ParsedActivity, ParsedItem, ParsedSection
from .patterns import Patterns, numbered, starts_upper, word_count

CLOSING_BRACKETS = re.compile(r"\((?P<value>[^()]+)\)[.;]?$")
VALUE_SEPARATOR = "; "  # between the values of an activity's rows in one column


def joined_values(cells: list[JoinedText]) -> JoinedText:
    """The cells of one column over an activity's rows, in row order: each value once, "; " between."""
    joined = JoinedText()
    seen: set[str] = set()
    for cell in cells:
        key = " ".join(cell.text.split()).casefold()
        if key not in seen:
            seen.add(key)
            joined.add_text(cell, VALUE_SEPARATOR)
    return joined


class TableParser:
    """Walks the lines of the activity table once, building sections, themes and activities."""

    def __init__(self, pat: Patterns, rules: Rules, listed: bool = False) -> None:
        self.pat = pat
        self.rules = rules
        self.listed = listed  # a plan printed as a list: "1. The secretariats will ..." is an activity
        self.sections: list[ParsedSection] = []
        self.activities: list[ParsedActivity] = []
        self.warnings: list[Warning] = []
        self.section: ParsedSection | None = None
        self.theme: str | None = None
        self.activity: ParsedActivity | None = None
        self.item: ParsedItem | None = None
        self.section_open = False
        self.cells: dict[tuple[str, int], JoinedText] = {}
        self.stacked: dict[str, list[JoinedText]] = {"timeframe": [], "lead": []}
        self.pending: dict[str, list[ParsedActivity]] = {"timeframe": [], "lead": []}
        self.noisy = False
        self.headings: set[int] = set()  # ids of the lines that read as headings
        self.valued_rows: set[int] = set()  # table rows with a cell beside the activity column
        self.numbered_rows: set[int] = set()  # table rows with a numbered line (an activity, a section)
        self.primary_rows: set[int] = set()  # table rows with a number or activity cell
        self.beside_rows: set[int] = set()  # table rows with a lead, timeframe or other cell
        self.section_row: int | None = None  # the table row of the open section's number
        self.active_rows: set[int] = set()  # table rows that hold an activity: its own, or one they go on
        self.continued: dict[int, ParsedActivity] = {}  # rows without number and activity: the activity above

    def parse(self, lines: list[Line]) -> tuple[list[ParsedSection], list[ParsedActivity]]:
        content = [line for line in lines if line.furniture is None]
        self.noisy = sum(line.blank_before for line in content) > 0.8 * max(1, len(content))
        prefixes = {a[0].split(".")[0] for line in content if (a := self.pat.activity_start(line.text))}
        self.headings = {id(line) for line, nxt in pairwise([*content, None]) if self._heading(line, nxt)}
        self.valued_rows = {line.row for line in content if line.row is not None and line.column not in (None, "activity")}
        self.numbered_rows = {line.row for line in content if line.row is not None and numbered(line.text, self.pat)}
        self.primary_rows = {line.row for line in content if line.row is not None and line.column in PRIMARY}
        self.beside_rows = {line.row for line in content if line.row is not None and line.column not in (None, *PRIMARY)}
        for line in content:
            if not self._cell(line):
                self._line(line, prefixes)
        self._flush_stacked()
        self._attach_cells()
        self._drop_trailing_sections()
        for activity in self.activities:
            if activity.timeframe is None:
                activity.timeframe = self._closing_timeframe(activity)
        return self.sections, self.activities

    def _closing_timeframe(self, activity: ParsedActivity) -> JoinedText | None:
        """A timeframe in brackets closing the activity's text: "... both conventions (2023-2024)."."""
        line = (activity.items[-1].body if activity.items else activity.body).lines[-1]
        match = CLOSING_BRACKETS.search(line.text)
        if match is None or not is_timeframe(match.group("value"), self.rules):
            return None
        value = JoinedText()
        value.add(line, match.group("value"), line.start + match.start("value"))
        return value

    # -- stacked values (text dumps): runs of lone timeframe/lead lines
    def _flush_stacked(self, kinds: tuple[str, ...] = ("timeframe", "lead")) -> None:
        for kind in kinds:
            values, pending = self.stacked[kind], self.pending[kind]
            if not values:
                continue
            targets = pending[-len(values) :] if len(values) <= len(pending) else pending
            for value, activity in zip(values[len(values) - len(targets) :], targets, strict=True):
                setattr(activity, kind, value)
            for value in values[: len(values) - len(targets)]:
                self.warnings.append(
                    Warning(code=f"orphan-{kind}", message=f"{kind} {value.text!r} has no activity", where=None)
                )
            self.pending[kind] = [a for a in pending if a not in targets]
            self.stacked[kind] = []

    def _in_table(self) -> bool:
        """Whether the current activity is a table row's."""
        return self.activity is not None and self.activity.line.row is not None

    def _cell(self, line: Line) -> bool:
        """A table row's lead or timeframe cell, kept for the row's activities, or a cell of another column
        beside an activity (its deliverables, its level: not its text). A row whose number and activity
        cells are empty goes on with the activity above it."""
        row = line.row
        if row is None:
            return False
        activity = self.activity
        if row not in self.primary_rows and row not in self.continued and activity and activity.line.row is not None:
            self.continued[row] = activity
            self.active_rows.add(row)
        if line.column in ("timeframe", "lead"):
            self.cells.setdefault((line.column, row), JoinedText()).add(line)
            return True
        return line.column == "other" and row in self.active_rows

    def _attach_cells(self) -> None:
        """Each table activity's lead and timeframe: the cells of its row and of the rows going on with it."""
        going_on: dict[int, list[int]] = {}
        for row, activity in self.continued.items():
            going_on.setdefault(id(activity), []).append(row)
        for activity in self.activities:
            if activity.line.row is None:
                continue
            rows = [activity.line.row, *going_on.get(id(activity), [])]
            for kind in ("timeframe", "lead"):
                cells = [self.cells[(kind, row)] for row in rows if (kind, row) in self.cells]
                if cells:
                    setattr(activity, kind, cells[0] if len(cells) == 1 else joined_values(cells))

    def _drop_trailing_sections(self) -> None:
        """Sections opened after the last activity of a table plan (text after its tables) hold nothing."""
        if not self.activities or self.activities[-1].line.row is None:
            return
        last = self.activities[-1].line.index
        self.sections = [s for s in self.sections if not s.title.lines or s.title.lines[0].index < last]

    def _value_line(self, line: Line) -> str | None:
        """'timeframe' or 'lead' when the line is a lone value of that column."""
        if line.column in ("timeframe", "lead"):
            return line.column
        if is_timeframe(line.text, self.rules):
            return "timeframe"
        if is_lead_value(line.text, self.rules):
            return "lead"
        return None

    def _labelled(self, line: Line) -> bool:
        for kind, pattern in (("timeframe", self.pat.timeframe_label), ("lead", self.pat.lead_label)):
            match = pattern.match(line.text)
            if match and self.activity is not None:
                value = JoinedText()
                value.add(line, match.group("rest"), line.start + match.start("rest"))
                setattr(self.activity, kind, value)
                if self.activity in self.pending[kind]:
                    self.pending[kind].remove(self.activity)
                return True
        return False

    def _line(self, line: Line, prefixes: set[str]) -> None:
        text = line.text
        if line.row is None and self._in_table():  # the table ended: its notes and the text after it
            self.activity = self.item = None
            for kind in self.pending:
                self.pending[kind] = []
        if line.column == "number" and (number := self.pat.cell_number(text)):
            if line.row in self.beside_rows:
                self._new_activity(line, number, "")
            else:  # a row of a number and a title alone: a section's
                self._new_section(line, number, "")
            return
        kind = self._value_line(line)
        if kind:
            self.stacked[kind].append(JoinedText())
            self.stacked[kind][-1].add(line)
            self.section_open = False
            return
        self._flush_stacked()
        if self._labelled(line):
            return
        act = self.pat.activity_start(text) or self._listed_activity(line) or self._cell_activity(line)
        if act:
            self._new_activity(line, *act)
            return
        sec = self.pat.section_start(text)
        if sec and (sec[0] in prefixes or not prefixes or not sec[0].isdigit()):
            self._new_section(line, *sec)
            return
        if self.pat.is_caption(text):
            return
        if self._continues_section(line):
            self.section.title.add(line)  # type: ignore[union-attr]
            return
        if self._is_theme(line):
            self.theme = text.rstrip(":").strip()
            self.activity = self.item = None
            return
        self._body_line(line)

    def _heading(self, line: Line, nxt: Line | None) -> bool:
        """A short line without a sentence end that stands alone: bold, or followed by a new
        paragraph or a numbered line (a section heading of a plan printed as a list)."""
        text = line.text
        if word_count(text) > self.rules.layout.theme_max_words + 1 or SENTENCE_END.search(text):
            return False
        alone = nxt is None or (nxt.blank_before and not self.noisy) or bool(self.pat.paragraph.match(nxt.text))
        return line.bold or alone

    def _listed_activity(self, line: Line) -> tuple[str, str] | None:
        """In a plan printed as a list, a numbered paragraph that is not a heading."""
        match = self.pat.paragraph.match(line.text) if self.listed and id(line) not in self.headings else None
        return (match.group("number"), match.group("rest")) if match else None

    def _cell_activity(self, line: Line) -> tuple[str, str] | None:
        """The first line of a table row's activity cell opening with a plain number or letter ("1 Explore")."""
        if line.column != "activity" or line.row not in self.beside_rows or line.row in self.active_rows:
            return None
        return self.pat.cell_activity_start(line.text)

    def _continues_section(self, line: Line) -> bool:
        if not (self.section_open and self.section):
            return False
        same_row = line.row is not None and line.row == self.section_row
        return same_row or (line.row is None and not (line.blank_before and not self.noisy) and not line.text.endswith(":"))

    def _is_theme(self, line: Line) -> bool:
        """A short unnumbered heading: ending with a colon, or alone in a table row of its own without a
        sentence end (a spanning row "Conservation of sites" over the activities)."""
        text = line.text
        if word_count(text) > self.rules.layout.theme_max_words or not starts_upper(text):
            return False
        if self.pat.item_start(text, False):
            return False
        spanning = line.row is not None and line.row not in self.valued_rows and line.row not in self.numbered_rows
        return text.endswith(":") or (spanning and not SENTENCE_END.search(text))

    def _new_section(self, line: Line, number: str, rest: str) -> None:
        self.section = ParsedSection(number)
        self.section.title.add(line, rest, line.start + line.text.index(rest))
        self.section_row = line.row
        self.sections.append(self.section)
        self.section_open = True
        self.theme = None
        self.activity = self.item = None
        for kind in self.pending:
            self.pending[kind] = []

    def _new_activity(self, line: Line, number: str, rest: str) -> None:
        self.section_open = False
        section = self.section.number if self.section else None
        activity = ParsedActivity(number, section, self.theme, line)
        if rest:
            activity.body.add(line, rest, line.start + line.text.rindex(rest))
        else:
            activity.body.lines.append(line)
        self.activities.append(activity)
        self.activity, self.item = activity, None
        if line.row is not None:
            self.active_rows.add(line.row)
        for kind in self.pending:
            self.pending[kind].append(activity)
        if section and number.split(".")[0] != section and "." in number:
            self.warnings.append(
                Warning(
                    code="out-of-section",
                    message=f"activity {number} is printed under section {section}",
                    where=f"activity:{number}",
                )
            )

    def _body_line(self, line: Line) -> None:
        activity = self.activity
        if activity is None:
            return
        last = (self.item.body if self.item else activity.body).text
        found = self.pat.item_start(line.text, last.endswith((":", ";")) or bool(self.item))
        if found:
            self.item = ParsedItem(found[0])
            start = line.start + line.text.index(found[1]) if found[1] else line.end
            self.item.body.add(line, found[1], start)
            activity.items.append(self.item)
        elif self.item and TERMINAL.search(last) and starts_upper(line.text) and not self._continues_item(line):
            self.item = ParsedItem("")
            self.item.body.add(line)
            activity.items.append(self.item)
        elif self.item:
            self.item.body.add(line)
        else:
            activity.body.add(line)

    def _continues_item(self, line: Line) -> bool:
        """In a PDF, a line indented like the item's text continues it; text dumps can't tell."""
        if self.item is None or line.bbox is None or not self.item.body.lines:
            return False
        first = self.item.body.lines[0]
        return first.bbox is not None and line.bbox[0] > first.bbox[0] + 2


def section_by_prefix(sections: list[ParsedSection], activities: list[ParsedActivity]) -> None:
    """Activities with no section row above (rows printed after the body) take their number's prefix."""
    numbers = {s.number for s in sections}
    for activity in activities:
        prefix = activity.number.split(".")[0]
        if activity.section is None and prefix in numbers and "." in activity.number:
            activity.section = prefix

