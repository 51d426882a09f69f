"""Timeframes given as sessions ("SB 48 (May 2018)", "By SB 50", "Ongoing to COP 27 (2022)", "SB 49 and
onward"), the years a document prints for its sessions, several rows' values in one, and the period a
plan's timeframes span."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jwpextract.models import Period, Timeframe
from jwpextract.rules import Rules, load_rules
from jwpextract.timeframes import implied_period, is_timeframe, parse_timeframe, session_key, session_years

PLAN = Period(start=2018, end=2022)
SESSIONS = {"SB49": 2018, "SB50": 2019, "COP23": 2017, "COP27": 2022}
RULES = load_rules()


@pytest.mark.parametrize(
    ("text", "start", "end", "basis"),
    [
        ("SB 48 (May 2018)", 2018, 2018, "printed"),
        ("COP 24 (2018)", 2018, 2018, "printed"),
        ("SB 54 (May–June 2021)", 2021, 2021, "printed"),
        ("By SB 50", 2018, 2019, "deadline"),
        ("By SB 50 (June 2019)", 2018, 2019, "deadline"),
        ("Ongoing to COP 27 (2022)", 2018, 2022, "deadline"),
        ("Ongoing to COP 27", 2018, 2022, "deadline"),
        ("From COP 23", 2017, 2022, "plan-period"),
        ("From COP 24 (2018)", 2018, 2022, "plan-period"),
        ("SB 49 and onward", 2018, 2022, "plan-period"),
        ("SB 49 and onward, as decided by the forum", 2018, 2022, "plan-period"),
        ("COP sessions from COP 26 (2020)", 2020, 2022, "plan-period"),
        ("COP 28 (2022) COP 30 (2024)", 2022, 2024, "printed"),
        ("31 July 2022", 2022, 2022, "printed"),
        ("SB 50 and SB 51", 2019, 2019, "printed"),
        ("SB\u00a050", 2019, 2019, "printed"),
        ("CoP-27", 2022, 2022, "printed"),
        ("SB 51", None, None, None),
        ("By SB 51", None, None, None),
        ("SB 51 and onward", None, None, None),
        ("From June to December 2021", 2021, 2021, "printed"),
        ("From 2019 until 2021", 2019, 2021, "printed"),
        ("SB 52 (2020); Ongoing to COP 27 (2022)", 2020, 2022, "deadline"),
        ("SB 54 (2021); By SB 56 (2022)", 2021, 2022, "deadline"),
        ("31 July 2022; 2022; COP 28 (2022)", 2022, 2022, "printed"),
        ("To be decided; 2021", 2021, 2021, "printed"),
        ("Ongoing; SB 50", 2019, 2022, "plan-period"),
    ],
)
def test_session_timeframes(text: str, start: int | None, end: int | None, basis: str | None, rules: Rules) -> None:
    assert parse_timeframe(text, PLAN, rules, SESSIONS) == Timeframe(
        text=" ".join(text.split()), start=start, end=end, basis=basis
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("From COP 24 (2018)", Timeframe(text="From COP 24 (2018)", start=2018, basis="printed")),
        ("Ongoing to COP 27 (2022)", Timeframe(text="Ongoing to COP 27 (2022)")),
        ("SB 48 (May 2018)", Timeframe(text="SB 48 (May 2018)", start=2018, end=2018, basis="printed")),
    ],
)
def test_open_ends_and_deadlines_without_a_plan_period(text: str, expected: Timeframe, rules: Rules) -> None:
    assert parse_timeframe(text, None, rules, SESSIONS) == expected


def test_sessions_are_unknown_without_the_documents_years(rules: Rules) -> None:
    assert parse_timeframe("SB 50", PLAN, rules) == Timeframe(text="SB 50")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("held at SB 56 (June 2022), then again at SB 56.", {"SB56": 2022}),
        ("COP 26 (November 2020) ... CoP26 (2020)", {"COP26": 2020}),
        ("SB\u00a059 (November 2023) and SBSTA 52 (June 2020)", {"SB59": 2023, "SBSTA52": 2020}),
        ("COP 26 (2020) was held as COP 26 (2021)", {}),
        ("SB 56 (decision 2/CP.20) and SB 57 (1900)", {}),
        ("the fifty-sixth session", {}),
    ],
)
def test_session_years(text: str, expected: dict[str, int], rules: Rules) -> None:
    assert session_years(text, rules) == expected


@pytest.mark.parametrize(
    ("values", "sessions", "expected"),
    [
        (["SB 52 (June 2020)", "SB 63", "Ongoing"], {"SB63": 2025}, Period(start=2020, end=2025)),
        (["Ongoing to COP 30 (2024)", "SB 52 (2020); SB 53 (2020)"], {}, Period(start=2020, end=2024)),
        (["2019-2021", "2020"], {}, Period(start=2019, end=2021)),
        (["Ongoing", "SB 63"], {}, None),
        ([], {}, None),
    ],
)
def test_implied_period(values: list[str], sessions: dict[str, int], expected: Period | None, rules: Rules) -> None:
    assert implied_period(values, rules, sessions) == expected


def test_a_session_with_its_year_is_a_timeframe_value_but_not_without(rules: Rules) -> None:
    assert is_timeframe("SB 48 (May 2018)", rules)
    assert is_timeframe("By SB 50", rules)
    assert not is_timeframe("SB 50", rules)


BODIES = st.sampled_from(["COP", "CoP", "MOP", "SB", "SBI", "SBSTA", "SBSTTA", "CMA", "CMP", "SC", "StC"])
NUMBERS = st.integers(min_value=1, max_value=999)
YEARS = st.integers(min_value=1950, max_value=2100)
JOINS = st.sampled_from([" ", "", "-", "\u00a0"])
MONTHS = st.sampled_from(["", "May ", "June ", "November ", "May–June ", "15 December "])


def printed_session(body: str, join: str, number: int) -> str:
    return f"{body}{join}{number}"


@given(BODIES, JOINS, NUMBERS, MONTHS, YEARS)
def test_any_session_printed_with_its_year(body: str, join: str, number: int, month: str, year: int) -> None:
    text = f"{printed_session(body, join, number)} ({month}{year})"
    found = parse_timeframe(text, PLAN, RULES)
    assert (found.start, found.end, found.basis) == (year, year, "printed")
    assert session_years(f"Held at {text}, as planned.", RULES) == {session_key(f"{body} {number}"): year}


@given(BODIES, JOINS, NUMBERS, YEARS)
def test_any_session_without_its_year_takes_the_documents(body: str, join: str, number: int, year: int) -> None:
    session = printed_session(body, join, number)
    found = parse_timeframe(session, PLAN, RULES, {session_key(session): year})
    assert (found.start, found.end) == (year, year)
    assert parse_timeframe(session, PLAN, RULES).start is None


LONG_PLAN = Period(start=2010, end=2040)
DEADLINES = ("By {}", "Ongoing to {}")
OPEN_ENDS = ("From {}", "{} and onward", "Starting from {}", "{} and onwards, as decided")


def session_forms(body: str, number: int, year: int, printed: bool, forms: tuple[str, ...]) -> list[Timeframe]:
    """Each form around a session printed with its year, or without it and with the document's year."""
    session = f"{body} {number}"
    sessions = {} if printed else {session_key(session): year}
    value = f"{session} ({year})" if printed else session
    return [parse_timeframe(form.format(value), LONG_PLAN, RULES, sessions) for form in forms]


@given(BODIES, NUMBERS, st.integers(min_value=2000, max_value=2040), st.booleans())
def test_deadlines_at_any_session(body: str, number: int, year: int, printed: bool) -> None:
    for found in session_forms(body, number, year, printed, DEADLINES):
        assert (found.start, found.end, found.basis) == (min(2010, year), year, "deadline")


@given(BODIES, NUMBERS, st.integers(min_value=2010, max_value=2040), st.booleans())
def test_open_ends_at_any_session(body: str, number: int, year: int, printed: bool) -> None:
    for found in session_forms(body, number, year, printed, OPEN_ENDS):
        assert (found.start, found.end, found.basis) == (year, 2040, "plan-period")


@given(st.lists(st.tuples(BODIES, NUMBERS, YEARS), min_size=1, max_size=5))
def test_several_rows_span_their_sessions(rows: list[tuple[str, int, int]]) -> None:
    text = "; ".join(f"{body} {number} ({year})" for body, number, year in rows)
    years = [year for _, _, year in rows]
    found = parse_timeframe(text, PLAN, RULES)
    assert (found.start, found.end, found.text) == (min(years), max(years), text)
