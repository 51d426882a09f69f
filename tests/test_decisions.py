"""Decisions, compilations, reports with draft decisions and document kinds (tables of text -> objects)."""

from __future__ import annotations

import pytest

from jwpextract.models import CanonicalDocument
from jwpextract.pipeline import extract_bytes
from jwpextract.rules import Rules


def extract(text: str, rules: Rules) -> CanonicalDocument:
    return extract_bytes("snippet.txt", text.encode("utf-8"), rules)


def decisions(doc: CanonicalDocument) -> list[tuple]:
    return [
        (d.number, d.kind, d.status, d.title, d.annex, len(d.preamble), [p.number for p in d.paragraphs], d.annexes)
        for d in doc.decisions
    ]


NUMBERED_TITLE = """Resolution adopted by the General Assembly on 2 May 2030
81/123. Cooperation between the United Nations and the regional
organizations of the world
The General Assembly,
Recalling its resolution 75/10 of 1 December 2020, in which it decided
to convene a conference,
Noting that the conference met twice,
1. Welcomes the report of the conference;
2. Decides to convene a further meeting, which shall:
(a) Consider the report;
(b) Report to the Assembly;
3. Requests the Secretary-General to report on the implementation of this resolution.
73rd plenary meeting
2 May 2030
"""

DECISION_WORD = """Decision 7/CP.40
Forest landscapes and their restoration
The Conference of the Parties,
Recalling decision 2/CP.30,
Welcoming the report of the workshop,
1. Adopts the guidance contained in the annex;
2. Requests the secretariat to organize a workshop.
11th plenary meeting
30 November 2035
"""

RESOLUTION_COLON = """Resolution XVI.4: Wetlands in cities
1. WHEREAS wetlands in cities provide many services;
The Conference of the Contracting Parties,
1. URGES Contracting Parties to protect urban wetlands;
2. REQUESTS the Secretariat to report.
"""

COMPILATION = """Report of the Conference of the Parties on its fortieth session
Contents
Decisions adopted by the Conference of the Parties
Decision Page
7/CP.40 Forest landscapes and their restoration
2
8/CP.40 Budget for the biennium
and its implementation 5
""" + DECISION_WORD + """Decision 8/CP.40
Budget for the biennium and its implementation
The Conference of the Parties,
1. Approves the budget;
2. Notes the contributions received;
3. Authorizes the Executive Secretary to make transfers.
11th plenary meeting
30 November 2035
"""

REPORT_WITH_DRAFT = """UNEP/XYZ/SC9/Doc.4
Report of the working group
1. The working group met twice in 2034.
2. It recommends the draft decision in the annex for adoption.
Annex I
Draft decision
Marine litter
The Conference of the Parties,
Noting the report of the working group,
1. Decides to establish a partnership on marine litter;
2. Invites Parties to join the partnership.
"""

DECISION_WITH_PLAN = """Decision 15/9
Cooperation with other conventions
The Conference of the Parties,
Recalling decision 14/30,
1. Adopts the joint work plan contained in the annex to the present decision;
2. Requests the Executive Secretary to report on its implementation.
Annex
Joint work plan 2036-2038
Activity Timeframe
1. Cooperation
1.1 The secretariats will hold a joint meeting.
2036
1.2 The secretariats will publish a joint report.
2037-2038
"""

CASES = {
    "numbered title under an instrument word": (
        NUMBERED_TITLE,
        "resolution",
        [
            ("81/123", "resolution", "adopted", "Cooperation between the United Nations and the regional organizations "
             "of the world", None, 2, ["1", "2", "3"], []),
        ],
    ),
    "decision word and number, title below": (
        DECISION_WORD,
        "decision",
        [("7/CP.40", "decision", "adopted", "Forest landscapes and their restoration", None, 2, ["1", "2"], [])],
    ),
    "compilation with a contents table": (
        COMPILATION,
        "decisions",
        [
            ("7/CP.40", "decision", "adopted", "Forest landscapes and their restoration", None, 2, ["1", "2"], []),
            ("8/CP.40", "decision", "adopted", "Budget for the biennium and its implementation", None, 0,
             ["1", "2", "3"], []),
        ],
    ),
    "report with a draft decision in its annex": (
        REPORT_WITH_DRAFT,
        "report",
        [(None, "decision", "draft", "Marine litter", "Annex I", 1, ["1", "2"], [])],
    ),
    "decision annexing a plan": (
        DECISION_WITH_PLAN,
        "decision",
        [("15/9", "decision", "adopted", "Cooperation with other conventions", None, 1, ["1", "2"], ["Annex"])],
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_decisions(name: str, rules: Rules) -> None:
    text, kind, expected = CASES[name]
    doc = extract(text, rules)
    assert decisions(doc) == expected
    assert doc.document.kind == kind


@pytest.mark.parametrize("name", ["numbered title under an instrument word", "compilation with a contents table"])
def test_decision_paragraphs_are_not_the_documents(name: str, rules: Rules) -> None:
    doc = extract(CASES[name][0], rules)
    assert doc.paragraphs == []
    assert doc.plans == []


def test_report_keeps_its_own_paragraphs(rules: Rules) -> None:
    doc = extract(REPORT_WITH_DRAFT, rules)
    assert [p.number for p in doc.paragraphs] == ["1", "2"]
    assert [(a.label, a.decision) for a in doc.annexes] == [("Annex I", None)]


def test_items_preamble_and_adoption(rules: Rules) -> None:
    decision = extract(NUMBERED_TITLE, rules).decisions[0]
    assert [p.text for p in decision.preamble] == [
        "Recalling its resolution 75/10 of 1 December 2020, in which it decided to convene a conference,",
        "Noting that the conference met twice,",
    ]
    assert [(i.label, i.text) for i in decision.paragraphs[1].items] == [
        ("a", "Consider the report;"),
        ("b", "Report to the Assembly;"),
    ]
    assert decision.adoption == "73rd plenary meeting 2 May 2030"
    assert decision.id == "decision:81/123"


def test_plan_in_a_decisions_annex(rules: Rules) -> None:
    doc = extract(DECISION_WITH_PLAN, rules)
    assert [(p.id, p.where, p.title, p.period.start if p.period else None) for p in doc.plans] == [
        ("plan:1", "annex to decision 15/9", "Joint work plan 2036-2038", 2036)
    ]
    assert [(a.id, a.number, a.timeframe.text if a.timeframe else None) for a in doc.plans[0].activities] == [
        ("activity:1.1", "1.1", "2036"),
        ("activity:1.2", "1.2", "2037-2038"),
    ]
    assert [(a.label, a.decision) for a in doc.annexes] == [("Annex", "decision:15/9")]


def test_references_of_a_decision_name_their_place(rules: Rules) -> None:
    doc = extract(DECISION_WORD, rules)
    ref = next(r for r in doc.references if r.id == "unfccc/decision/30/2")
    assert [(m.decision, m.preamble, m.paragraph) for m in ref.mentions] == [("decision:7/CP.40", 1, None)]
    assert doc.decisions[0].preamble[0].references == ["unfccc/decision/30/2"]


def test_own_decisions_are_not_references(rules: Rules) -> None:
    text = DECISION_WORD.replace("2. Requests", "2. Decides that decision 7/CP.40 applies;\n3. Requests")
    doc = extract(text, rules)
    assert "unfccc/decision/40/7" not in [r.id for r in doc.references]


NOT_DECISIONS = {
    "contents entry": "Contents\nDecision Page\n7/CP.40 Forest landscapes 2\n",
    "prose opening with the word": "Decision makers met in 2030.\nThey agreed on a plan.\n",
    "number and title without a chapeau": "14/8. Protected areas\nA list of areas follows.\nNone were added.\n",
}


@pytest.mark.parametrize("name", list(NOT_DECISIONS))
def test_not_decisions(name: str, rules: Rules) -> None:
    assert extract(NOT_DECISIONS[name], rules).decisions == []


TABLE_TITLES = {
    "indicators of a work plan": ("Indicators for the joint work plan", False),
    "questionnaire": ("Questionnaire on the implementation of the work programme", False),
    "a plan": ("Joint work plan 2036-2038", True),
    "an action plan": ("Gender action plan", True),
}


@pytest.mark.parametrize("name", list(TABLE_TITLES))
def test_table_titles_are_not_plan_titles(name: str, rules: Rules) -> None:
    from jwpextract.structure import Patterns

    title, plan = TABLE_TITLES[name]
    assert Patterns(rules).is_plan_title(title) is plan


def test_an_indicator_list_under_a_plan_name_is_not_a_plan(rules: Rules) -> None:
    text = (
        "1. The Secretariat presents the indicators.\n"
        "Annex\nIndicators for the joint work plan\n"
        "1.1 Number of Parties reporting on wetlands.\n1.2 Area of wetlands restored.\n"
    )
    doc = extract(text, rules)
    assert doc.plans == []
    assert [(a.label, a.title) for a in doc.annexes] == [("Annex", "Indicators for the joint work plan")]


def test_a_plans_period_spans_its_timeframes_when_its_title_gives_none(rules: Rules) -> None:
    text = DECISION_WITH_PLAN.replace("Joint work plan 2036-2038", "Joint work plan")
    doc = extract(text, rules)
    assert doc.plans[0].period is not None
    assert (doc.plans[0].period.start, doc.plans[0].period.end) == (2036, 2038)
    assert [w.code for w in doc.warnings if w.where == "plan:1"] == ["plan-period-from-timeframes"]


UPPERCASE_CHAPEAU = """Resolution Conf. 19.4 (Rev. CoP20)
Trade in specimens of rare orchids
THE CONFERENCE OF THE PARTIES TO THE CONVENTION
RECALLING Resolution Conf. 11.3 (Rev. CoP19), on compliance;
AWARE that trade in orchids is growing;
1. RECOMMENDS that Parties monitor the trade;
2. DIRECTS the Secretariat to report at each meeting.
"""


def test_uppercase_chapeau_and_openers(rules: Rules) -> None:
    doc = extract(UPPERCASE_CHAPEAU, rules)
    assert decisions(doc) == [
        ("Conf. 19.4 (Rev. CoP20)", "resolution", "adopted", "Trade in specimens of rare orchids", None, 2, ["1", "2"], [])
    ]
