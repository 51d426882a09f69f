"""Timeframes: printed years, deadlines, plan-period values, whole-line detection, plan periods."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jwpextract.models import Period, Timeframe
from jwpextract.rules import Rules, load_rules
from jwpextract.timeframes import find_period, is_timeframe, parse_timeframe

PLAN = Period(start=2019, end=2021)
GOLD = Path(__file__).resolve().parent / "gold"


@pytest.mark.parametrize(
    ("text", "start", "end", "basis"),
    [
        ("2012-14", 2012, 2014, "printed"),
        ("2012", 2012, 2012, "printed"),
        ("2019–2020", 2019, 2020, "printed"),
        ("2019 - 2021", 2019, 2021, "printed"),
        ("2019-21", 2019, 2021, "printed"),
        ("2015-16", 2015, 2016, "printed"),
        ("2099-01", None, None, None),
        ("2019 to 2021", 2019, 2021, "printed"),
        ("Q3 2020", 2020, 2020, "printed"),
        ("By 2018", 2018, 2018, "deadline"),
        ("By 2020", 2019, 2020, "deadline"),
        ("By COP14 (2023)", 2019, 2023, "deadline"),
        ("by end of 2020", 2019, 2020, "deadline"),
        ("Ongoing", 2019, 2021, "plan-period"),
        ("Annually", 2019, 2021, "plan-period"),
        ("Continuous", 2019, 2021, "plan-period"),
        ("As needed", 2019, 2021, "plan-period"),
        ("To be decided", None, None, None),
        ("By COP14", None, None, None),
        ("", None, None, None),
        ("1900", None, None, None),
    ],
)
def test_parse_timeframe(text: str, start: int | None, end: int | None, basis: str | None, rules: Rules) -> None:
    assert parse_timeframe(text, PLAN, rules) == Timeframe(text=text, start=start, end=end, basis=basis)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2012-14", Timeframe(text="2012-14", start=2012, end=2014, basis="printed")),
        ("Ongoing", Timeframe(text="Ongoing")),
        ("By 2018", Timeframe(text="By 2018")),
        ("By COP15", Timeframe(text="By COP15")),
    ],
)
def test_relative_timeframes_need_a_plan_period(text: str, expected: Timeframe, rules: Rules) -> None:
    assert parse_timeframe(text, None, rules) == expected


def test_text_is_kept_as_printed_with_white_space_collapsed(rules: Rules) -> None:
    assert parse_timeframe(" 2019 -\n 2021 ", PLAN, rules).text == "2019 - 2021"


@pytest.mark.parametrize(
    "text",
    ["2012-14", "2012", "Ongoing", "Annually", "By 2018", "2019-2020", "Q3 2020", "2019 – 2021", "By COP14 (2023)",
     "by end of 2020", "mid-2020", "December 2020", "Continuous.", "2019 to 2021", "By COP15", "before MOP 8"],
)  # fmt: skip
def test_is_timeframe(text: str, rules: Rules) -> None:
    assert is_timeframe(text, rules)


@pytest.mark.parametrize(
    "text",
    ["2011-", "2020. For example, the", "The Secretariats will participate in the meetings", "2", "14", "1900",
     "Ongoing cooperation between the Secretariats", "Target 5: By 2020 the rate of loss", "2012-2014 is attached",
     "AEWA", "", "By the Secretariats", "COP15", "By COP15 the Parties"],
)  # fmt: skip
def test_is_not_timeframe(text: str, rules: Rules) -> None:
    assert not is_timeframe(text, rules)


@pytest.mark.parametrize(
    ("title", "period"),
    [
        (
            "Joint Work Plan for the Secretariats of the CBD and the CMS for the period 2012-2014",
            Period(start=2012, end=2014),
        ),
        ("Joint Work Plan 2019-2021", Period(start=2019, end=2021)),
        ("DRAFT JOINT WORK PLAN BETWEEN AEWA AND THE RAMSAR CONVENTION 2019–21", Period(start=2019, end=2021)),
        ("Strategic Plan 2006-2011 extended: work plan for 2012-2014", Period(start=2012, end=2014)),
        ("Joint Work Plan", None),
        ("Joint Work Plan 2020", None),
        ("Work plan 2014-2012", None),
    ],
)
def test_find_period(title: str, period: Period | None) -> None:
    assert find_period(title) == period


@pytest.mark.parametrize("name", ["UNEP-CMS-StC38-Doc4", "aewa-ramsar-jwp-2019"])
def test_corpus_timeframes(name: str, rules: Rules) -> None:
    gold = json.loads((GOLD / f"{name}.gold.json").read_text(encoding="utf-8"))
    period = Period(**gold["plan"]["period"])
    assert find_period(gold["plan"]["title"]) == period
    for activity in gold["activities"]:
        printed = activity["timeframe"]
        assert is_timeframe(printed["text"], rules)
        found = parse_timeframe(printed["text"], period, rules)
        assert (found.text, found.start, found.end) == (printed["text"], printed["start"], printed["end"])


def test_user_rules_add_plan_period_words(tmp_path: Path) -> None:
    base = load_rules()
    words = [*base.timeframes.plan_period_words, "en continu"]
    (tmp_path / "timeframes.json").write_text(json.dumps({"plan_period_words": words}), encoding="utf-8")
    rules = load_rules([tmp_path])
    assert parse_timeframe("En continu", PLAN, rules).basis == "plan-period"
    assert parse_timeframe("En continu", PLAN, base).basis is None


# --- generated timeframes --------------------------------------------------------------------------

years = st.integers(min_value=1950, max_value=2090)
spans = st.integers(min_value=0, max_value=9)
dashes = st.sampled_from(["-", "–", "—", " - ", " – "])


@given(years)
def test_generated_single_year(year: int) -> None:
    rules = load_rules()
    assert is_timeframe(str(year), rules)
    assert parse_timeframe(str(year), PLAN, rules) == Timeframe(text=str(year), start=year, end=year, basis="printed")


@given(years, spans, dashes, st.booleans())
def test_generated_ranges(start: int, length: int, dash: str, short: bool) -> None:
    rules = load_rules()
    end = start + length
    text = f"{start}{dash}{end % 100:02d}" if short else f"{start}{dash}{end}"
    assert is_timeframe(text, rules)
    assert parse_timeframe(text, PLAN, rules) == Timeframe(text=text, start=start, end=end, basis="printed")


@given(st.sampled_from(["By", "by", "Before", "By the end of", "No later than"]), years, years, spans)
def test_generated_deadlines(word: str, year: int, plan_start: int, length: int) -> None:
    rules = load_rules()
    text = f"{word} {year}"
    plan = Period(start=plan_start, end=plan_start + length)
    assert is_timeframe(text, rules)
    assert parse_timeframe(text, plan, rules) == Timeframe(
        text=text, start=min(plan_start, year), end=year, basis="deadline"
    )


@given(st.sampled_from(load_rules().timeframes.plan_period_words), years, spans)
def test_generated_plan_period_words(word: str, plan_start: int, length: int) -> None:
    rules = load_rules()
    plan = Period(start=plan_start, end=plan_start + length)
    for text in (word, word.capitalize(), word.upper()):
        assert is_timeframe(text, rules)
        assert parse_timeframe(text, plan, rules) == Timeframe(
            text=text, start=plan.start, end=plan.end, basis="plan-period"
        )
