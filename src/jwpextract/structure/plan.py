"""A plan in a region of the document: its title, introduction and where its table or list starts."""

from __future__ import annotations

import re

from ..layout import Line
from ..models import Warning
from ..rules import Rules
from ..textjoin import JoinedText
from ..wording import TERMINAL
from .parsed import ParsedPlan, ParsedSection
from .patterns import SHORT_HEADING, Patterns, numbered, starts_upper, word_count
from .table import TableParser, section_by_prefix

LABELLED_TITLE = re.compile(r"^(?P<label>\S+(?:\s+\S+)?)\s*[:–—-]\s+(?P<rest>\S.*)$")
CAPTION_LINES = 2  # a table's caption and its section's caption ("Table 1", "Priority area A: ...")


def _ends_mid_phrase(text: str) -> bool:
    """A title line broken before its end: it ends with a lower-case word ("... and the")."""
    last = text.split()[-1] if text.split() else ""
    return last.isalpha() and last.islower()



def _title_block(lines: list[Line], pat: Patterns) -> tuple[JoinedText | None, int]:
    """The plan title among the first lines of the annex; returns it and the index after it."""
    title = JoinedText()
    for i, line in enumerate(lines[:6]):
        if pat.is_plan_title(line.text) and not numbered(line.text, pat):
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
                and not numbered(lines[j].text, pat)
            ):
                title.add(lines[j])
                j += 1
            return title, j
    return None, 0



def _table_start(lines: list[Line], pat: Patterns) -> int | None:
    """Index of the first line of the activity table: a header row (with the captions right above it),
    else a section row or an activity."""
    for i, line in enumerate(lines):
        if line.furniture == "table-header":
            return _captioned(lines, i, pat)
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


def _captioned(lines: list[Line], header: int, pat: Patterns) -> int:
    """Index of the first of the caption lines right above a table's header: a table's caption ("Table 1")
    and a section's ("Priority area A: capacity-building"), which opens the table's section."""
    start = header
    while start > 0 and header - start < CAPTION_LINES:
        line = lines[start - 1]
        heading = pat.section_start(line.text) and not line.text.endswith((".", ";", ",", ":"))
        if line.furniture is not None or not (pat.is_caption(line.text) or heading):
            break
        start -= 1
    return start


def _heading_forms(sections: list[ParsedSection], intro: list[Line], pat: Patterns) -> None:
    """A section whose caption repeats, in other case, a heading of the plan's introduction (a "Priority
    area A: capacity-building" caption under the heading "A. Capacity-building") takes the heading."""
    headings: dict[tuple[str, str], tuple[Line, str]] = {}
    for line in intro:
        found = pat.section_start(line.text)
        if found:
            headings.setdefault((found[0], " ".join(found[1].split()).casefold()), (line, found[1]))
    for section in sections:
        heading = headings.get((section.number, " ".join(section.title.text.split()).casefold()))
        if heading is not None:
            line, rest = heading
            section.title = JoinedText()
            section.title.add(line, rest, line.start + line.text.index(rest))


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
        if text.endswith(":") and word_count(text) <= SHORT_HEADING and text[0].isupper():
            current = None
            continue
        list_line = bool(pat.item_start(text, True) or pat.paragraph.match(text))
        if current is not None and list_line and (listing or current.text.endswith(":")):
            listing = True
        elif (
            current is None
            or (line.blank_before and not noisy)
            or (TERMINAL.search(current.text) is not None and starts_upper(text))
        ):
            current = JoinedText()
            paragraphs.append(current)
            listing = False
        current.add(line)
    return paragraphs



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
    captions = lines[start_all : start_all + CAPTION_LINES + 1]
    head = next((line for line in captions if line.furniture == "table-header"), start_line)
    header_words = head.text.lower().split()
    header_row = head.furniture == "table-header" and any(
        word.startswith(label) for word in header_words for label in pat.activity_labels
    )
    if title is None and not header_row:
        return None, []
    intro_lines = [line for line in content[after:] if line.index < start_line.index]
    parser = TableParser(pat, rules, listed)
    sections, activities = parser.parse(lines[start_all:])
    if not activities:
        return None, []
    section_by_prefix(sections, activities)
    _heading_forms(sections, intro_lines, pat)
    return ParsedPlan(title, _split_intro(intro_lines, pat), sections, activities), parser.warnings

