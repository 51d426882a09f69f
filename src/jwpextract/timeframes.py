"""Timeframes: a printed timeframe value read into years, and the period of a plan from its title.

"2012-14" and "2012" are printed years (basis "printed"); a deadline ("By 2018", "By COP14 (2023)",
"Ongoing to COP 30 (2024)") runs from the plan's start to its year (basis "deadline"); a value naming
no year ("Ongoing", "Annually") spans the plan period, and an open start ("From COP 23", "SB 49 and
onward") runs to the plan's end (basis "plan-period"). A session ("SB 56", "COP 26") is the year
printed beside it ("SB 56 (June 2022)"), else the year the document prints for it elsewhere
(:func:`session_years`), else unknown. The values of an activity's several rows ("SB 52 (2020);
Ongoing to COP 30 (2024)") span from the first printed year (a deadline among them bounds only the
end) to the last. The words are in ``rules/timeframes.json``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .models import Period, Timeframe, TimeframeBasis
from .nlp import alternation, memoized, per_rules
from .rules import Rules

YEARS = range(1950, 2101)
"""Plausible years."""
TITLE_RANGE = re.compile(r"(?<!\d)(?P<start>\d{4})\s*[-‐‑–—]\s*(?P<end>\d{4}|\d{2})(?!\d)")
"""A year range in a plan title: "2012-2014", "2019–21"."""
YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
VALUES = re.compile(r"\s*;\s*")
"""Between the values of an activity's rows in one cell ("SB 52 (2020); Ongoing to COP 30 (2024)")."""


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
    open_start: re.Pattern[str]
    open_end: re.Pattern[str]
    closing: re.Pattern[str]


@per_rules
def _grammar(rules: Rules) -> _Grammar:
    words = rules.timeframes
    separators = alternation(words.range_separators)
    year_range = rf"(?<!\d)(?P<start>\d{{4}})\s*(?:{separators})\s*(?P<end>\d{{4}}|\d{{2}})(?!\d)"
    deadline = alternation(words.deadline_words)
    qualifiers = alternation([*words.period_qualifiers, *rules.layout.months])
    closers = [w for w in [*words.range_separators, *words.deadline_words] if w[:1].isalpha()]
    return _Grammar(
        range=re.compile(year_range, re.IGNORECASE),
        deadline=re.compile(rf"^(?:{deadline})\s", re.IGNORECASE),
        plan_period=re.compile(alternation(words.plan_period_words), re.IGNORECASE),
        meeting=re.compile(words.meeting_year_pattern),
        yearless_meeting=re.compile(words.meeting_pattern) if words.meeting_pattern else None,
        opening=re.compile(rf"^(?:(?:{deadline})\s+)?(?:(?:{qualifiers})[\s-]+)*", re.IGNORECASE),
        core=re.compile(rf"\d{{4}}(?:\s*(?:{separators})\s*(?:\d{{4}}|\d{{2}}))?", re.IGNORECASE),
        open_start=re.compile(alternation(words.open_start_words), re.IGNORECASE),
        open_end=re.compile(alternation(words.open_end_words), re.IGNORECASE),
        closing=re.compile(alternation(closers), re.IGNORECASE),
    )


def _years(text: str) -> list[int]:
    return [int(y) for y in YEAR.findall(text) if int(y) in YEARS]


def session_key(printed: str) -> str:
    """A session as a key: its body and number without spaces or hyphens, in capitals ("SB 56" -> "SB56")."""
    return re.sub(r"[\s-]", "", printed).upper()


def session_years(text: str, rules: Rules) -> dict[str, int]:
    """The year a document prints beside each session ("SB 56 (June 2022)" -> ``{"SB56": 2022}``); a
    session printed with different years is left out."""
    grammar = _grammar(rules)
    if grammar.yearless_meeting is None:
        return {}
    found: dict[str, set[int]] = {}
    for match in grammar.meeting.finditer(text):
        session = grammar.yearless_meeting.match(match.group())
        year = int(match["year"])
        if session is not None and year in YEARS:
            found.setdefault(session_key(session.group()), set()).add(year)
    return {key: years.pop() for key, years in found.items() if len(years) == 1}


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


@dataclass(frozen=True, slots=True)
class _Points:
    """The years a value names, in order (printed, or of its sessions), where they are, and how many of
    its sessions have no known year."""

    years: list[int]
    first: int  # offset of the first year's mention
    last: int  # offset of the end of the last year's mention
    unknown: int


def _points(value: str, grammar: _Grammar, sessions: Mapping[str, int]) -> _Points:
    found: list[tuple[int, int, int]] = []  # (start, end, year)
    taken: list[tuple[int, int]] = []
    unknown = 0
    for match in grammar.meeting.finditer(value):
        taken.append(match.span())
        if int(match["year"]) in YEARS:
            found.append((match.start(), match.end(), int(match["year"])))
    for match in grammar.yearless_meeting.finditer(value) if grammar.yearless_meeting else ():
        if any(a <= match.start() < b for a, b in taken):
            continue
        taken.append(match.span())
        year = sessions.get(session_key(match.group()))
        if year is None:
            unknown += 1
        else:
            found.append((match.start(), match.end(), year))
    for match in YEAR.finditer(value):
        if int(match.group()) in YEARS and not any(a <= match.start() < b for a, b in taken):
            found.append((match.start(), match.end(), int(match.group())))
    found.sort()
    if not found:
        return _Points([], 0, 0, unknown)
    return _Points([year for _, _, year in found], found[0][0], max(end for _, end, _ in found), unknown)


def _open_ended(value: str, points: _Points, grammar: _Grammar) -> bool:
    """A start that runs on: "From COP 23", "SB 49 and onward", not "From June to December 2021"."""
    opened = grammar.open_start.search(value, 0, points.first)
    if opened is not None and not grammar.closing.search(value, opened.end()):
        return True
    return grammar.open_end.search(value, points.last) is not None


@dataclass(frozen=True, slots=True)
class _Reading:
    start: int
    end: int | None
    basis: TimeframeBasis
    printed_start: bool = True  # not the plan's start


def _part(value: str, period: Period | None, grammar: _Grammar, sessions: Mapping[str, int]) -> _Reading | None:
    """The years of one value; None when it gives none (or is relative and the plan has no period)."""
    points = _points(value, grammar, sessions)
    if grammar.deadline.match(value):
        if not points.years or period is None:
            return None
        return _Reading(min(period.start, points.years[-1]), points.years[-1], "deadline", False)
    ranges = [_period(m) for m in grammar.range.finditer(value)]
    printed = [p for p in ranges if p is not None]
    if ranges and not printed:
        return None
    years = [*points.years, *(y for p in printed for y in (p.start, p.end))]
    if not years:
        if period is not None and not points.unknown and grammar.plan_period.search(value):
            return _Reading(period.start, period.end, "plan-period", False)
        return None
    if not printed and _open_ended(value, points, grammar):
        end = period.end if period is not None and period.end >= years[0] else None
        return _Reading(years[0], end, "plan-period" if end is not None else "printed")
    return _Reading(min(years), max(years), "printed")


def parse_timeframe(
    text: str, period: Period | None, rules: Rules, sessions: Mapping[str, int] | None = None
) -> Timeframe:
    """Years of a printed timeframe; null years and basis when unreadable or relative with no plan period.

    ``sessions``: the year of each session the document prints elsewhere (:func:`session_years`)."""
    grammar = _grammar(rules)
    printed = " ".join(text.split())
    readings = [
        found
        for value in VALUES.split(printed)
        if value and (found := _part(value, period, grammar, sessions or {})) is not None
    ]
    if not readings:
        return Timeframe(text=printed)
    starts = [r.start for r in readings if r.printed_start] or [r.start for r in readings]
    ends = [r.end for r in readings]
    basis = next((r.basis for r in readings if r.basis != "printed"), "printed")
    end = None if None in ends else max(e for e in ends if e is not None)
    return Timeframe(text=printed, start=min(starts), end=end, basis=basis)


def implied_period(values: Iterable[str], rules: Rules, sessions: Mapping[str, int] | None = None) -> Period | None:
    """The period a plan's timeframes span when its title prints none: from their first year to their last."""
    grammar = _grammar(rules)
    years: list[int] = []
    for text in values:
        for value in VALUES.split(" ".join(text.split())):
            years += _points(value, grammar, sessions or {}).years
            years += [y for m in grammar.range.finditer(value) if (p := _period(m)) for y in (p.start, p.end)]
    return Period(start=min(years), end=max(years)) if years else None
