"""Structure by layout heuristics: cover note, annex, plan title, introduction, activity table.

Input: the document's lines with furniture marked. Output: a :class:`Structure` of joined texts
(see ``textjoin``) that the assembler turns into canonical models. The rules of the game:

- the cover note runs until the first annex heading; its numbered paragraphs follow each other
  (1, 2, 3 ...), with lettered sub-paragraphs and headings above them;
- the plan is the annex whose title names a plan, or the first activity table; its introduction
  runs until the table starts (a header row, or a section row followed by its first activity);
- in the table, section rows, themes (short unnumbered lines ending with a colon), activities
  (numbered inline, alone on a line, or after a label), items ((a), (i), bullets, a trailing
  paragraph), timeframes and leads: in a column of their own (tied by row), on labelled lines, or
  as lone values stacked after a group of activities (given in order to the group's last ones).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from .actors import is_lead_value
from .layout import Line
from .models import Warning
from .rules import Rules
from .textjoin import JoinedText
from .timeframes import is_timeframe
from .wording import SENTENCE_END, TERMINAL

DASH_BULLETS = ("-", "–", "—")
SHORT_HEADING = 4
LABELLED_TITLE = re.compile(r"^(?P<label>\S+(?:\s+\S+)?)\s*[:–—-]\s+(?P<rest>\S.*)$")
CLOSING_BRACKETS = re.compile(r"\((?P<value>[^()]+)\)[.;]?$")


@dataclass
class ParsedItem:
    label: str
    body: JoinedText = field(default_factory=JoinedText)


@dataclass
class ParsedParagraph:
    number: str
    heading: str | None
    body: JoinedText = field(default_factory=JoinedText)
    items: list[ParsedItem] = field(default_factory=list)


@dataclass
class ParsedSection:
    number: str
    title: JoinedText = field(default_factory=JoinedText)


@dataclass
class ParsedActivity:
    number: str
    section: str | None
    theme: str | None
    line: Line
    body: JoinedText = field(default_factory=JoinedText)
    items: list[ParsedItem] = field(default_factory=list)
    timeframe: JoinedText | None = None
    lead: JoinedText | None = None


@dataclass
class ParsedPlan:
    title: JoinedText | None
    intro: list[JoinedText]
    sections: list[ParsedSection]
    activities: list[ParsedActivity]


@dataclass
class Structure:
    title: JoinedText | None
    paragraphs: list[ParsedParagraph]
    plan: ParsedPlan | None
    warnings: list[Warning]
    preamble: JoinedText | None = None  # cover text under a heading before paragraph 1 ("Recalling ...")


class Patterns:
    """The numbering styles and labels of the rules, compiled once per extraction."""

    def __init__(self, rules: Rules) -> None:
        numbering = rules.layout.numbering
        self.rules = rules
        self.paragraph = re.compile(numbering["paragraph"])
        self.activity = re.compile(numbering["activity"])
        self.labelled_activity = re.compile(numbering["labelled_activity"])
        self.section = re.compile(numbering["section"])
        self.item = re.compile(numbering["item"])
        self.annex = re.compile(rules.layout.annex_heading)
        self.activity_labels = {label.lower() for label in rules.layout.activity_labels}
        self.bullets = tuple(rules.layout.bullet_chars)
        self.timeframe_label = self._label(rules.layout.timeframe_labels)
        self.lead_label = self._label(rules.layout.lead_labels)

    @staticmethod
    def _label(labels: list[str]) -> re.Pattern[str]:
        names = "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))
        return re.compile(rf"^(?:{names})\s*:\s*(?P<rest>\S.*)$", re.IGNORECASE)

    def activity_start(self, text: str) -> tuple[str, str] | None:
        """(number, rest of line) when the line starts an activity."""
        for pattern in (self.activity, self.labelled_activity):
            match = pattern.match(text)
            if not match:
                continue
            label = match.group("label")
            if label and label.lower() not in self.activity_labels:
                continue
            if pattern is self.labelled_activity and not label:
                continue
            return match.group("number"), match.group("rest") or ""
        return None

    def section_start(self, text: str) -> tuple[str, str] | None:
        if self.activity_start(text):
            return None
        match = self.section.match(text)
        return (match.group("number"), match.group("rest")) if match else None

    def item_start(self, text: str, after_colon: bool) -> tuple[str, str] | None:
        match = self.item.match(text)
        if match:
            return match.group("label") or match.group("label2"), match.group("rest")
        for bullet in self.bullets:
            if text.startswith(bullet) and len(text) > len(bullet):
                rest = text[len(bullet) :]
                dash = bullet in DASH_BULLETS
                if (dash and not (rest.startswith(" ") and after_colon)) or (bullet.isalnum() and rest[0] != " "):
                    continue
                return "•", rest.strip()
        return None

    def is_plan_title(self, text: str) -> bool:
        return self.rules.layout.names_plan(text)


def _word_count(text: str) -> int:
    return len(text.split())


def _starts_upper(text: str) -> bool:
    first = next((c for c in text if c.isalnum()), "")
    return first.isupper() or first.isdigit()


# ---------------------------------------------------------------- cover note


def _is_heading(lines: list[Line], i: int, prev_text: str | None, pat: Patterns, expected: int) -> bool:
    text = lines[i].text
    layout = pat.rules.layout
    if not _starts_upper(text) or _word_count(text) > layout.heading_max_words or re.search(r"[.,;]$|\. ", text):
        return False
    if pat.paragraph.match(text) or pat.item_start(text, False):
        return False
    after_sentence = prev_text is None or bool(SENTENCE_END.search(prev_text))
    colon = text.endswith(":")
    if not (after_sentence or (colon and _word_count(text) <= SHORT_HEADING) or lines[i].bold):
        return False
    nxt = lines[i + 1].text if i + 1 < len(lines) else ""
    para = pat.paragraph.match(nxt)
    next_paragraph = bool(para and int(para.group("number")) == expected)
    short = _word_count(text) <= SHORT_HEADING
    return next_paragraph or lines[i].bold or (colon and short)


def parse_cover(lines: list[Line], pat: Patterns) -> tuple[JoinedText | None, list[ParsedParagraph], JoinedText | None]:
    """Numbered paragraphs with their headings and sub-paragraphs; the title printed before them; the
    preamble (the text before the first paragraph from a heading or a line ending in a comma on: a
    decision's "The Conference of the Parties," "Recalling ...")."""
    title = JoinedText()
    preamble = JoinedText()
    paragraphs: list[ParsedParagraph] = []
    heading: str | None = None
    current: ParsedParagraph | None = None
    item: ParsedItem | None = None
    prev_text: str | None = None
    for i, line in enumerate(lines):
        text = line.text
        expected = int(paragraphs[-1].number) + 1 if paragraphs else 1
        match = pat.paragraph.match(text)
        if match and (int(match.group("number")) == expected or (not paragraphs and int(match.group("number")) < 3)):
            current = ParsedParagraph(match.group("number"), heading)
            current.body.add(line, match.group("rest"), line.start + match.start("rest"))
            paragraphs.append(current)
            item = None
        elif current and (found := pat.item_start(text, bool(prev_text and prev_text.endswith(":")))):
            item = ParsedItem(found[0])
            item.body.add(line, found[1], line.start + text.index(found[1]) if found[1] else line.end)
            current.items.append(item)
        elif _is_heading(lines, i, prev_text if current else None, pat, expected):
            heading = text.rstrip(":").strip()
            current = item = None
        elif item is not None:
            item.body.add(line)
        elif current is not None:
            current.body.add(line)
        elif heading is None and not paragraphs and not preamble.lines and not text.endswith((",", ";")):
            title.add(line)
        elif not paragraphs:
            preamble.add(line)
        prev_text = text
    return (title if title.text else None), paragraphs, (preamble if preamble.text else None)


# ---------------------------------------------------------------- annex


def _ends_mid_phrase(text: str) -> bool:
    """A title line broken before its end: it ends with a lower-case word ("... and the")."""
    last = text.split()[-1] if text.split() else ""
    return last.isalpha() and last.islower()


def _annex_headings(lines: list[Line], pat: Patterns) -> list[Line]:
    """Each annex's first heading; a heading repeated on every page as a running header counts once."""
    headings: list[Line] = []
    for line in lines:
        if line.furniture != "letterhead" and pat.annex.match(line.text):
            key = " ".join(line.text.split()).lower()
            if all(" ".join(h.text.split()).lower() != key for h in headings):
                headings.append(line)
    return headings


def _title_block(lines: list[Line], pat: Patterns) -> tuple[JoinedText | None, int]:
    """The plan title among the first lines of the annex; returns it and the index after it."""
    title = JoinedText()
    for i, line in enumerate(lines[:6]):
        if pat.is_plan_title(line.text) and not pat.activity_start(line.text):
            labelled = LABELLED_TITLE.match(line.text)
            if labelled and pat.annex.match(labelled["label"]):  # "Annex: Joint work plan ..."
                title.add(line, labelled["rest"], line.start + labelled.start("rest"))
            else:
                title.add(line)
            j = i + 1
            while (
                j < len(lines)
                and j - i < 6
                and (not lines[j].blank_before or _ends_mid_phrase(lines[j - 1].text))
                and not re.search(r"[.:;]$", lines[j].text)
                and not re.search(r"[.:;]$", lines[j - 1].text)
                and lines[j].bold == line.bold
                and lines[j].furniture is None
                and not _numbered(lines[j].text, pat)
            ):
                title.add(lines[j])
                j += 1
            return title, j
    return None, 0


def _numbered(text: str, pat: Patterns) -> bool:
    """The line opens a section, an activity or a numbered paragraph."""
    return bool(pat.section_start(text) or pat.activity_start(text) or pat.paragraph.match(text))


def _table_start(lines: list[Line], pat: Patterns) -> int | None:
    """Index of the first line of the activity table: a header row, else a section row or an activity."""
    for i, line in enumerate(lines):
        if line.furniture == "table-header":
            return i
    content = [(i, line) for i, line in enumerate(lines) if line.furniture is None]
    for k, (i, line) in enumerate(content):
        if pat.activity_start(line.text):
            return i
        sec = pat.section_start(line.text)
        if sec and k + 1 < len(content):
            nxt = pat.activity_start(content[k + 1][1].text)
            if nxt and nxt[0].split(".")[0] == sec[0]:
                return i
    return None


def _list_start(lines: list[Line], after_title: list[Line], pat: Patterns) -> int | None:
    """Index of the first line of a plan printed as a list: its first section heading or numbered
    paragraph after the title."""
    for line in after_title:
        if pat.section_start(line.text) or pat.paragraph.match(line.text):
            return lines.index(line)
    return None


def _split_intro(lines: list[Line], pat: Patterns) -> list[JoinedText]:
    """Unnumbered paragraphs of the annex introduction, without their short headings.

    A paragraph ends at a blank line (where blank lines are meaningful) or a sentence end followed
    by a capital; a list (numbered or bulleted lines) after a paragraph ending with a colon belongs
    to that paragraph.
    """
    noisy = sum(line.blank_before for line in lines) > 0.8 * max(1, len(lines))
    paragraphs: list[JoinedText] = []
    current: JoinedText | None = None
    listing = False
    for line in lines:
        text = line.text
        if text.endswith(":") and _word_count(text) <= SHORT_HEADING and text[0].isupper():
            current = None
            continue
        list_line = bool(pat.item_start(text, True) or pat.paragraph.match(text))
        if current is not None and list_line and (listing or current.text.endswith(":")):
            listing = True
        elif (
            current is None
            or (line.blank_before and not noisy)
            or (TERMINAL.search(current.text) is not None and _starts_upper(text))
        ):
            current = JoinedText()
            paragraphs.append(current)
            listing = False
        current.add(line)
    return paragraphs


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

    def parse(self, lines: list[Line]) -> tuple[list[ParsedSection], list[ParsedActivity]]:
        content = [line for line in lines if line.furniture is None]
        self.noisy = sum(line.blank_before for line in content) > 0.8 * max(1, len(content))
        prefixes = {a[0].split(".")[0] for line in content if (a := self.pat.activity_start(line.text))}
        self.headings = {id(line) for line, nxt in pairwise([*content, None]) if self._heading(line, nxt)}
        self.valued_rows = {line.row for line in content if line.row is not None and line.column not in (None, "activity")}
        self.numbered_rows = {line.row for line in content if line.row is not None and _numbered(line.text, self.pat)}
        for line in content:
            if line.column in ("timeframe", "lead") and line.row is not None:
                self.cells.setdefault((line.column, line.row), JoinedText()).add(line)
                continue
            self._line(line, prefixes)
        self._flush_stacked()
        self._attach_cells()
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

    def _attach_cells(self) -> None:
        for activity in self.activities:
            row = activity.line.row
            if row is None:
                continue
            for kind in ("timeframe", "lead"):
                cell = self.cells.get((kind, row))
                if cell is not None:
                    setattr(activity, kind, cell)

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
        kind = self._value_line(line)
        if kind:
            self.stacked[kind].append(JoinedText())
            self.stacked[kind][-1].add(line)
            self.section_open = False
            return
        self._flush_stacked()
        if self._labelled(line):
            return
        act = self.pat.activity_start(text) or self._listed_activity(line)
        if act:
            self._new_activity(line, *act)
            return
        sec = self.pat.section_start(text)
        if sec and (sec[0] in prefixes or not prefixes or not sec[0].isdigit()):
            self._new_section(line, *sec)
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
        if _word_count(text) > self.rules.layout.theme_max_words + 1 or SENTENCE_END.search(text):
            return False
        alone = nxt is None or (nxt.blank_before and not self.noisy) or bool(self.pat.paragraph.match(nxt.text))
        return line.bold or alone

    def _listed_activity(self, line: Line) -> tuple[str, str] | None:
        """In a plan printed as a list, a numbered paragraph that is not a heading."""
        match = self.pat.paragraph.match(line.text) if self.listed and id(line) not in self.headings else None
        return (match.group("number"), match.group("rest")) if match else None

    def _continues_section(self, line: Line) -> bool:
        if not (self.section_open and self.section):
            return False
        same_row = line.row is not None and line.row == self.section.title.lines[-1].row
        return same_row or (line.row is None and not (line.blank_before and not self.noisy) and not line.text.endswith(":"))

    def _is_theme(self, line: Line) -> bool:
        """A short unnumbered heading: ending with a colon, or alone in a table row of its own without a
        sentence end (a spanning row "Conservation of sites" over the activities)."""
        text = line.text
        if _word_count(text) > self.rules.layout.theme_max_words or not _starts_upper(text):
            return False
        if self.pat.item_start(text, False):
            return False
        spanning = line.row is not None and line.row not in self.valued_rows and line.row not in self.numbered_rows
        return text.endswith(":") or (spanning and not SENTENCE_END.search(text))

    def _new_section(self, line: Line, number: str, rest: str) -> None:
        self.section = ParsedSection(number)
        self.section.title.add(line, rest, line.start + line.text.index(rest))
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
        elif self.item and TERMINAL.search(last) and _starts_upper(line.text) and not self._continues_item(line):
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


def _section_by_prefix(sections: list[ParsedSection], activities: list[ParsedActivity]) -> None:
    """Activities with no section row above (rows printed after the body) take their number's prefix."""
    numbers = {s.number for s in sections}
    for activity in activities:
        prefix = activity.number.split(".")[0]
        if activity.section is None and prefix in numbers and "." in activity.number:
            activity.section = prefix


def parse_plan(
    lines: list[Line], pat: Patterns, rules: Rules, annex: bool = False
) -> tuple[ParsedPlan | None, list[Warning]]:
    """The plan in ``lines`` (an ``annex``, or the whole document when it has none). An annex may
    print its plan as a list: numbered paragraphs under a plan title, sections as headings."""
    content = [line for line in lines if line.furniture is None]
    title, after = _title_block(content, pat)
    start_all = _table_start(lines, pat)
    listed = annex and start_all is None and title is not None
    if listed:
        start_all = _list_start(lines, content[after:], pat)
    if start_all is None:
        return None, []
    start_line = lines[start_all]
    header_words = start_line.text.lower().split()
    header_row = start_line.furniture == "table-header" and any(
        word.startswith(label) for word in header_words for label in pat.activity_labels
    )
    if title is None and not header_row:
        return None, []
    intro_lines = [line for line in content[after:] if line.index < start_line.index]
    parser = TableParser(pat, rules, listed)
    sections, activities = parser.parse(lines[start_all:])
    if not activities:
        return None, []
    _section_by_prefix(sections, activities)
    return ParsedPlan(title, _split_intro(intro_lines, pat), sections, activities), parser.warnings


def parse_structure(lines: list[Line], rules: Rules) -> Structure:
    """Split the document into cover note and plan, and parse both. One plan per document."""
    pat = Patterns(rules)
    content = [line for line in lines if line.furniture is None]
    annexes = _annex_headings(lines, pat)
    warnings: list[Warning] = []
    plan: ParsedPlan | None = None
    if annexes:
        cover = [line for line in content if line.index < annexes[0].index]
        for k, heading in enumerate(annexes):
            end = annexes[k + 1].index if k + 1 < len(annexes) else None
            region = [line for line in lines if line.index > heading.index and (end is None or line.index < end)]
            found, found_warnings = parse_plan(region, pat, rules, annex=True)
            if found is None:
                continue
            if plan is None:
                plan, warnings = found, found_warnings
            else:
                warnings.append(
                    Warning(
                        code="second-plan",
                        message=f"a second activity table under {heading.text!r} is not extracted",
                        where=f"line:{heading.index}",
                    )
                )
    else:
        plan, warnings = parse_plan(lines, pat, rules)
        first = (plan.title.lines[0] if plan.title else plan.activities[0].line) if plan else None
        cover = [line for line in content if first is None or line.index < first.index]
    title, paragraphs, preamble = parse_cover(cover, pat)
    return Structure(title, paragraphs, plan, warnings, preamble)
