"""The structure stage on small documents in the layouts a plan comes in (tables of text -> objects)."""

from __future__ import annotations

import pytest

from jwpextract.furniture import mark_furniture
from jwpextract.rules import Rules
from jwpextract.structure import Structure, parse_structure

from .conftest import layout_of


def parse(text: str, rules: Rules) -> Structure:
    doc = layout_of(text)
    mark_furniture(doc, rules)
    return parse_structure(doc.lines(), rules)


def summary(structure: Structure) -> list[tuple]:
    assert len(structure.plans) == 1
    return [
        (
            a.number,
            a.section,
            a.theme,
            a.body.text,
            [(i.label, i.body.text) for i in a.items],
            a.timeframe.text if a.timeframe else None,
            a.lead.text if a.lead else None,
        )
        for a in structure.plans[0].activities
    ]


COVER = "Background\n\n1. The Secretariats agreed.\n\n2. They met.\n\nAnnex\n\nJoint Work Plan 2019-2021\n\n"

CASES = {
    "inline numbers, timeframe after each": (
        COVER + "Activity Timeframe\n1. Cooperation\n1.1 The Secretariats will meet.\n2019-20\n"
        "1.2 The Secretariats will\nwrite.\n2021\n",
        [
            ("1.1", "1", None, "The Secretariats will meet.", [], "2019-20", None),
            ("1.2", "1", None, "The Secretariats will write.", [], "2021", None),
        ],
    ),
    "stacked timeframes after a group": (
        COVER + "Activity Timeframe\n1. Cooperation\nThemes:\n1.1 Meet.\n\n1.2 Write.\n\n1.3 Read.\n\n"
        "2019\n\n2020\n\n2021\n",
        [
            ("1.1", "1", "Themes", "Meet.", [], "2019", None),
            ("1.2", "1", "Themes", "Write.", [], "2020", None),
            ("1.3", "1", "Themes", "Read.", [], "2021", None),
        ],
    ),
    "labelled lines and activity labels": (
        COVER + "1. Cooperation\nActivity 1.1\nShare data on sites.\nLead: Ramsar Secretariat\n"
        "Timeframe: 2019-2020\nActivity 1.2 Hold a workshop.\nTimeframe: Ongoing\n",
        [
            ("1.1", "1", None, "Share data on sites.", [], "2019-2020", "Ramsar Secretariat"),
            ("1.2", "1", None, "Hold a workshop.", [], "Ongoing", None),
        ],
    ),
    "items, bullets and a trailing paragraph": (
        COVER + "Activity Timeframe\n1. Cooperation\n1.1 Share work on:\n(a) climate change;\n(b) wetlands"
        " and\nsites.\n2019\n1.2 Cooperate on issues, such as:\n• climate;\n• health.\nThis will occur at meetings.\n2020\n",
        [
            ("1.1", "1", None, "Share work on:", [("a", "climate change;"), ("b", "wetlands and sites.")], "2019", None),
            ("1.2", "1", None, "Cooperate on issues, such as:",
             [("•", "climate;"), ("•", "health."), ("", "This will occur at meetings.")], "2020", None),
        ],
    ),
    "lead and timeframe lines, sections after the body": (
        COVER + "Activity\n\nResponsibility\n\nTimeframe\n\n1.1 Maintain the tool.\n\nAEWA\n\n2019-2020\n\n"
        "2.1 Share guidance.\n\nBoth\n\nAnnually\n\n1. Sites\n\n2. Threats\n",
        [
            ("1.1", "1", None, "Maintain the tool.", [], "2019-2020", "AEWA"),
            ("2.1", "2", None, "Share guidance.", [], "Annually", "Both"),
        ],
    ),
    "number printed in another section": (
        COVER + "Activity Timeframe\n1. Cooperation\n1.1 Meet.\n2012-14\n5.1 Support chairs.\n2012-14\n"
        "5. Cross-cutting\n5.2 Enhance.\n2012\n",
        [
            ("1.1", "1", None, "Meet.", [], "2012-14", None),
            ("5.1", "1", None, "Support chairs.", [], "2012-14", None),
            ("5.2", "5", None, "Enhance.", [], "2012", None),
        ],
    ),
    "lettered sections, activities numbered under their letter": (
        COVER + "Activity Timeframe\nA. Cooperation\nA.1 The Secretariats will meet.\n2019-20\nA.2 Write.\n2021\n"
        "B. Outreach\nB.1 Publish.\n2022\n",
        [
            ("A.1", "A", None, "The Secretariats will meet.", [], "2019-20", None),
            ("A.2", "A", None, "Write.", [], "2021", None),
            ("B.1", "B", None, "Publish.", [], "2022", None),
        ],
    ),
    "a plan printed as a list: lettered sections, numbered activities, timeframes in brackets": (
        COVER + "A. Policy coherence\n\n1. The secretariats will align reporting (2019-2020).\n\n"
        "2. The secretariats will prepare guidance\non connectivity.\n\nB. Capacity-building\n\n"
        "3. The CMS Secretariat will hold workshops:\n(a) in Africa (2020);\n(b) in Asia (2021).\n",
        [
            ("1", "A", None, "The secretariats will align reporting (2019-2020).", [], "2019-2020", None),
            ("2", "A", None, "The secretariats will prepare guidance on connectivity.", [], None, None),
            (
                "3",
                "B",
                None,
                "The CMS Secretariat will hold workshops:",
                [("a", "in Africa (2020);"), ("b", "in Asia (2021).")],
                "2021",
                None,
            ),
        ],
    ),
    "a plan printed as a list: numbered headings": (
        COVER + "1. Monitoring\n\n1. Parties will count the birds every year.\n\n2. Capacity building\n\n"
        "2. Parties will train staff.\n",
        [
            ("1", "1", None, "Parties will count the birds every year.", [], None, None),
            ("2", "2", None, "Parties will train staff.", [], None, None),
        ],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_activity_tables(case: str, rules: Rules) -> None:
    text, expected = CASES[case]
    assert summary(parse(text, rules)) == expected


def test_out_of_section_number_warns(rules: Rules) -> None:
    structure = parse(CASES["number printed in another section"][0], rules)
    assert [(w.code, w.where) for w in structure.warnings] == [("out-of-section", "activity:5.1")]


def test_objectives_list_in_the_introduction_is_not_a_section(rules: Rules) -> None:
    text = (
        COVER + "The Plan has two objectives:\n\n1. To ensure that plans are based on information;\n\n"
        "2. To broaden awareness.\n\nActivity Timeframe\n1. Cooperation\n1.1 Meet.\n2019\n"
    )
    structure = parse(text, rules)
    assert len(structure.plans) == 1
    (plan,) = structure.plans
    assert [(s.number, s.title.text) for s in plan.sections] == [("1", "Cooperation")]
    assert [p.text for p in plan.intro] == [
        "The Plan has two objectives: 1. To ensure that plans are based on information; 2. To broaden awareness."
    ]


def test_cover_note_paragraphs_headings_and_title(rules: Rules) -> None:
    text = (
        "DRAFT JOINT WORK PLAN\nBackground\n1. The Secretariats have cooperated since\n2000.\n"
        "2. The Strategic Plan has two objectives:\na) To ensure information;\nb) To broaden awareness.\n"
        "Action requested from the Committee\n3. The Committee is invited to approve it.\n"
    )
    structure = parse(text, rules)
    assert structure.title is not None and structure.title.text == "DRAFT JOINT WORK PLAN"
    assert [(p.number, p.heading, p.body.text) for p in structure.paragraphs] == [
        ("1", "Background", "The Secretariats have cooperated since 2000."),
        ("2", "Background", "The Strategic Plan has two objectives:"),
        ("3", "Action requested from the Committee", "The Committee is invited to approve it."),
    ]
    assert [(i.label, i.body.text) for i in structure.paragraphs[1].items] == [
        ("a", "To ensure information;"),
        ("b", "To broaden awareness."),
    ]
    assert structure.plans == []


def test_document_without_a_plan_has_no_activities(rules: Rules) -> None:
    text = (
        "14/8. Protected areas\nThe Conference of the Parties,\n1. Welcomes the report;\n"
        "2. Requests the Executive Secretary:\n(a) To compile;\n(b) To report.\n7/40\n"
        "Annex\nIndicators\n1.1 Number of sites\n1.2 Area covered\n"
    )
    structure = parse(text, rules)
    assert structure.plans == []
    assert [d.number for d in structure.decisions] == ["14/8"]
    assert [p.number for p in structure.decisions[0].paragraphs] == ["1", "2"]


def test_a_second_activity_table_is_a_second_plan_not_merged(rules: Rules) -> None:
    text = (
        COVER + "Activity Timeframe\n1. Cooperation\n1.1 Meet.\n2019\n"
        "Annex 2\nJoint Work Plan 2022-2024\nActivity Timeframe\n1. Other\n1.1 Other plan.\n2022\n"
    )
    structure = parse(text, rules)
    assert [[a.body.text for a in plan.activities] for plan in structure.plans] == [["Meet."], ["Other plan."]]
    assert [plan.where for plan in structure.plans] == ["Annex", "Annex 2"]
    assert structure.warnings == []


def test_a_decision_preamble_is_kept_for_its_references(rules: Rules) -> None:
    text = (
        "DECISION ADOPTED BY THE CONFERENCE OF THE PARTIES\n\n14/8. Protected areas\n\nThe Conference of the Parties,\n\n"
        "Recalling decision X/31,\n\n1. Welcomes the report;\n\n2. Invites Parties to act.\n"
    )
    structure = parse(text, rules)
    (decision,) = structure.decisions
    assert "Recalling decision X/31," in " ".join(p.text for p in decision.preamble)
    assert [p.number for p in decision.paragraphs] == ["1", "2"]


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        ("Annex: Joint Work Plan 2019-2021", "Joint Work Plan 2019-2021"),
        ("ANNEX 2 – Joint Work Plan 2019-2021", "Joint Work Plan 2019-2021"),
        ("Joint Work Plan 2019-2021", "Joint Work Plan 2019-2021"),
        ("Strategy: Joint Work Plan 2019-2021", "Strategy: Joint Work Plan 2019-2021"),
    ],
)
def test_an_annex_label_before_the_plan_title_is_not_part_of_it(heading: str, title: str, rules: Rules) -> None:
    structure = parse(f"{heading}\nActivity Timeframe\n1. Cooperation\n1.1 Meet.\n2019\n", rules)
    assert len(structure.plans) == 1 and structure.plans[0].title is not None
    assert structure.plans[0].title.text == title
