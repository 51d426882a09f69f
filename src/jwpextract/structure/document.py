"""The document's regions: cover note, annexes and the plans they hold."""

from __future__ import annotations

from ..layout import Line
from ..models import Warning
from ..rules import Rules
from .cover import parse_cover
from .parsed import ParsedPlan, Structure
from .patterns import Patterns
from .plan import parse_plan


def _annex_headings(lines: list[Line], pat: Patterns) -> list[Line]:
    """Each annex's first heading; a heading repeated on every page as a running header counts once."""
    headings: list[Line] = []
    for line in lines:
        if line.furniture != "letterhead" and pat.annex.match(line.text):
            key = " ".join(line.text.split()).lower()
            if all(" ".join(h.text.split()).lower() != key for h in headings):
                headings.append(line)
    return headings


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
