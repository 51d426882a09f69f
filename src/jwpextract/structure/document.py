"""The document's regions: cover note, decisions, annexes, and the plans and tables they hold.

Boundaries are decision headings (see ``decisions``) and annex headings. The cover note runs to the
first boundary. An annex printed after a decision in the body belongs to that decision (until the
next decision); an annex printed before a decision, or after one that sits in an annex, is the
document's own, and decisions printed in it name it as their ``annex``. Every annex region is tried
for a plan; a table in an annex that is not a plan is kept as a table.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from ..layout import Line
from ..models import Warning
from ..rules import Rules
from .annex_tables import region_table
from .cover import parse_cover
from .decisions import DecisionPatterns, find_decisions, parse_decision
from .parsed import ParsedAnnex, ParsedDecision, ParsedPlan, Structure
from .patterns import Patterns
from .plan import parse_plan


def _annex_headings(lines: list[Line], pat: Patterns, segments: list[int]) -> list[Line]:
    """Each annex's first heading; within a segment (between two decision headings, by line index), a
    heading repeated on every page as a running header counts once."""
    headings: list[Line] = []
    seen: set[tuple[int, str]] = set()
    for line in lines:
        if line.furniture != "letterhead" and pat.annex.match(line.text):
            key = (bisect_left(segments, line.index), " ".join(line.text.split()).lower())
            if key not in seen:
                seen.add(key)
                headings.append(line)
    return headings


def _next_annex(heads: list[Line], heading: Line, end: int) -> int:
    """Line index where the annex after ``heading`` starts (``end`` when it is the last)."""
    k = heads.index(heading)
    return heads[k + 1].index if k + 1 < len(heads) else end


def _label(heading: Line) -> str:
    return " ".join(heading.text.split()).rstrip(":").strip()


def _where(label: str, owner: ParsedDecision | None) -> str:
    """"Annex 1" for the document's annex; "annex II to decision 4/CP.25" for a decision's."""
    if owner is None or not owner.number:
        return label
    return f"{label[0].lower()}{label[1:]} to {owner.kind} {owner.number}"


PAGE_NUMBER_END = re.compile(r"(?:^|\s)\d{1,3}$")
CONTENTS_GAP = 3  # lines of an entry (or of the list's headings) before the one ending with a page number


def _without_contents(cover: list[Line], lines: list[Line], rules: Rules) -> list[Line]:
    """The cover without its table of contents: the heading, then entries that end with a page
    number, or whose page number is a line of its own (an entry wrapped over up to ``CONTENTS_GAP``
    more lines). ``lines``: every line of the cover, furniture included."""
    headings = set(rules.documents.contents_headings)
    start = next((k for k, line in enumerate(lines) if line.furniture is None and line.text.strip() in headings), None)
    if start is None:
        return cover
    end = start + 1
    k = end
    while k < len(lines) and k - end <= CONTENTS_GAP:
        if PAGE_NUMBER_END.search(lines[k].text):
            end = k + 1
        k += 1
    first, last = lines[start].index, lines[end - 1].index
    return [line for line in cover if not first <= line.index <= last]


def _whole_document(lines: list[Line], content: list[Line], pat: Patterns, rules: Rules) -> Structure:
    """A document without decisions or annexes: its plan, if any, and the cover note before it."""
    plan, warnings = parse_plan(lines, pat, rules)
    first = (plan.title.lines[0] if plan.title else plan.activities[0].line) if plan else None
    cover = [line for line in content if first is None or line.index < first.index]
    title, paragraphs, preamble = parse_cover(cover, pat)
    return Structure(title, paragraphs, [plan] if plan else [], warnings, preamble)


def parse_structure(lines: list[Line], rules: Rules) -> Structure:
    """Split the document into cover note, decisions and annexes, and parse each."""
    pat = Patterns(rules)
    dp = DecisionPatterns(rules)
    content = [line for line in lines if line.furniture is None]
    starts = find_decisions(content, lines, pat, dp)
    heads = _annex_headings(lines, pat, [content[i].index for i, _, _ in starts])
    boundaries: list[tuple[int, object]] = sorted(
        [(content[start[0]].index, start) for start in starts] + [(h.index, h) for h in heads],
        key=lambda b: b[0],
    )
    if not boundaries:
        return _whole_document(lines, content, pat, rules)
    indexes = [line.index for line in lines]
    content_indexes = [line.index for line in content]
    decisions: list[ParsedDecision] = []
    annexes: list[ParsedAnnex] = []
    plans: list[ParsedPlan] = []
    tables = []
    warnings: list[Warning] = []
    owner: ParsedDecision | None = None  # the body decision whose annexes follow
    holder: str | None = None  # the document annex that holds the decisions printed in it
    for k, (index, item) in enumerate(boundaries):
        end = boundaries[k + 1][0] if k + 1 < len(boundaries) else indexes[-1] + 1
        if isinstance(item, tuple):
            i, body, heading = item
            region = content[body : bisect_left(content_indexes, end)]
            decision = parse_decision(heading, content[i], region, pat, dp, rules)
            decision.annex = holder
            decisions.append(decision)
            owner = decision if holder is None else None
            continue
        region = lines[bisect_left(indexes, index) + 1 : bisect_left(indexes, end)]
        label = _label(item)
        if owner is None:
            holder = label
        else:
            owner.annexes.append(label)
        first = next((line for line in region if line.furniture is None), None)
        stop = _next_annex(heads, item, indexes[-1] + 1)
        extent = region if owner else lines[bisect_left(indexes, index) : bisect_left(indexes, stop)]
        annexes.append(ParsedAnnex(label, first.text if first else None, item, extent, owner))
        where = _where(label, owner)
        plan, found = parse_plan(region, pat, rules, annex=True)
        if plan is not None:
            plan.where = where
            plans.append(plan)
            warnings.extend(found)
        elif (table := region_table(region, where)) is not None:
            tables.append(table)
    before = lines[: bisect_left(indexes, boundaries[0][0])]
    cover = _without_contents([line for line in before if line.furniture is None], before, rules)
    title, paragraphs, preamble = parse_cover(cover, pat)
    return Structure(title, paragraphs, plans, warnings, preamble, decisions, annexes, tables)
