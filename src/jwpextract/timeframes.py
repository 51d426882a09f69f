"""Timeframes: a printed timeframe value read into years, and the period of a plan from its title.

"2012-14" and "2012" are printed years (basis "printed"); a deadline ("By 2018", "By COP14 (2023)")
runs from the plan's start to its year (basis "deadline"); a value naming no year ("Ongoing",
"Annually") spans the plan period (basis "plan-period"). The words are in ``rules/timeframes.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .models import Period, Timeframe
from .nlp import alternation, memoized, per_rules
from .rules import Rules

YEARS = range(1950, 2101)
"""Plausible years."""
TITLE_RANGE = re.compile(r"(?<!\d)(?P<start>\d{4})\s*[-‐‑–—]\s*(?P<end>\d{4}|\d{2})(?!\d)")
"""A year range in a plan title: "2012-2014", "2019–21"."""
YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")


def _end_year(start: int, end: str) -> int:
    """The end of a range: "2012-14" ends in 2014 (the start's century, or the next one)."""
    if len(end) == 4:
        return int(end)
    year = start - start % 100 + int(end)
    return year if year >= start else year + 100


def _period(match: re.Match[str]) -> Period | None:
    start = int(match["start"])
    end = _end_year(start, match["end"])
    return Period(start=start, end=end) if start in YEARS and end in YEARS and end >= start else None


def find_period(text: str) -> Period | None:
    """The last year range of a plan title: "... for the period 2012-2014" -> 2012-2014."""
    periods = [p for m in TITLE_RANGE.finditer(text) if (p := _period(m))]
    return periods[-1] if periods else None


@dataclass(frozen=True)
class _Grammar:
    """The regexes of a timeframe value, built from the rules."""

    range: re.Pattern[str]
    deadline: re.Pattern[str]
    plan_period: re.Pattern[str]
    meeting: re.Pattern[str]
    yearless_meeting: re.Pattern[str] | None
    opening: re.Pattern[str]
    core: re.Pattern[str]


@per_rules
def _grammar(rules: Rules) -> _Grammar:
    words = rules.timeframes
    separators = alternation(words.range_separators)
    year_range = rf"(?<!\d)(?P<start>\d{{4}})\s*(?:{separators})\s*(?P<end>\d{{4}}|\d{{2}})(?!\d)"
    deadline = alternation(words.deadline_words)
    qualifiers = alternation([*words.period_qualifiers, *rules.layout.months])
    return _Grammar(
        range=re.compile(year_range, re.IGNORECASE),
        deadline=re.compile(rf"^(?:{deadline})\s", re.IGNORECASE),
        plan_period=re.compile(alternation(words.plan_period_words), re.IGNORECASE),
        meeting=re.compile(words.meeting_year_pattern),
        yearless_meeting=re.compile(words.meeting_pattern) if words.meeting_pattern else None,
        opening=re.compile(rf"^(?:(?:{deadline})\s+)?(?:(?:{qualifiers})[\s-]+)*", re.IGNORECASE),
        core=re.compile(rf"\d{{4}}(?:\s*(?:{separators})\s*(?:\d{{4}}|\d{{2}}))?", re.IGNORECASE),
    )


def _years(text: str) -> list[int]:
    return [int(y) for y in YEAR.findall(text) if int(y) in YEARS]


@memoized
def is_timeframe(text: str, rules: Rules) -> bool:
    """Whether the whole of ``text`` is a timeframe value ("2012-14", "By 2018", "Ongoing", "Q3 2020")."""
    grammar = _grammar(rules)
    value = " ".join(text.split()).removesuffix(".")
    if grammar.plan_period.fullmatch(value):
        return True
    rest = grammar.opening.sub("", value, count=1)
    if grammar.meeting.fullmatch(rest):
        return bool(_years(rest))
    if grammar.yearless_meeting and grammar.deadline.match(value) and grammar.yearless_meeting.fullmatch(rest):
        return True  # "By COP15": a deadline whose year the plan does not print
    if not grammar.core.fullmatch(rest):
        return False
    found = grammar.range.fullmatch(rest)
    return _period(found) is not None if found else bool(_years(rest))


def parse_timeframe(text: str, period: Period | None, rules: Rules) -> Timeframe:
    """Years of a printed timeframe; null years and basis when unreadable or relative with no plan period."""
    grammar = _grammar(rules)
    printed = " ".join(text.split())
    unread = Timeframe(text=printed)
    if grammar.deadline.match(printed):
        meeting = grammar.meeting.search(printed)
        years = _years(meeting["year"]) if meeting else _years(printed)
        if not years or period is None:
            return unread
        return Timeframe(text=printed, start=min(period.start, years[-1]), end=years[-1], basis="deadline")
    ranges = [_period(m) for m in grammar.range.finditer(printed)]
    found = next((p for p in ranges if p), None)
    if found:
        return Timeframe(text=printed, start=found.start, end=found.end, basis="printed")
    if ranges:
        return unread
    years = _years(printed)
    if years:
        return Timeframe(text=printed, start=min(years), end=max(years), basis="printed")
    if period is not None and grammar.plan_period.search(printed):
        return Timeframe(text=printed, start=period.start, end=period.end, basis="plan-period")
    return unread
