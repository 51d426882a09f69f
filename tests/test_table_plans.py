"""Plans printed as pipe tables in text sources: priority areas as sections, rows going on with the
activity above, number columns, table notes and captions, timelines as sessions; and the two plans of
a real text conversion (``../shared/real/``)."""

from __future__ import annotations

import json

import pytest

from jwpextract.models import Period, Plan
from jwpextract.pipeline import extract_bytes
from jwpextract.rules import Rules

from .conftest import ROOT

NBSP = "\u00a0"

PRIORITY_AREAS = "\r\n".join(
    [
        "Decision 9/CP.40",
        "\t1.\tAdopts the action plan contained in the annex;",
        "\t2.\tDecides to review it at SB 64 (November 2026).",
        "Annex",
        "Action plan on coastal wetlands",
        "\t1.\tThe action plan sets out activities under two priority areas.",
        "\tA.\tMonitoring and data",
        "\t\t2.\tTo know the state of the wetlands.",
        "\tB.\tOutreach and training",
        "\t\t3.\tTo share what is known.",
        "\t\t",
        "\t\t\tTable 1",
        "\t\tPriority area A: monitoring and data",
        "\t\t\t| Activities | Responsibilities | Timeline | Deliverables/outputs | Level of implementation |",
        "\t\t\t| A.1 Map the coastal wetlands of the region | Leading: Parties  Contributing: secretariat "
        "| SB 60 (June 2024) | Maps of the wetlands | National |",
        "\t\t\t|  | Secretariat | By SB 62",
        "(2025) | Synthesis report on the maps | International |",
        "\t\t\t|  | Invite Parties and experts to present the maps at an event | By SB 62 (2025) | Special event "
        "| International |",
        f"\t\t\t| A.2 Share monitoring data | Parties | Ongoing to COP{NBSP}32 (2027) | Data portal | Regional |",
        "\t\t\t",
        "\t\t\t\tTable 2",
        "\t\tPriority area B: outreach and training",
        "\t\t\t| Activities | Responsibilities | Timeline | Deliverables/outputs | Level of implementation |",
        "\t\t\t| B.1 Train the site managers | Leading: relevant organizations Contributing: Parties | COP 30 (2025) "
        "| Workshops | Regional |",
        "\t\t\t|  | Secretariat | COP 30 (2025) | Workshop report | International |",
        "\t\t\t|  | Parties | SB 64 | Submissions | National |",
        "\t\t\t| B.2 Report on the training | Secretariat | COP sessions from COP 30 (2025) | Report | International |",
        "\t\t\t",
        "\t\t\t8th plenary meeting",
        "15 December 2040",
    ]
)
NUMBER_COLUMN = "\r\n".join(
    [
        "\tAnnex II",
        "\tWorkplan of the expert group on migratory fish",
        "\t\t| Activity numbera | Activity | Estimated timeline for implementation | Responsible actor "
        "| Modalities/outputs |",
        "\t\t| a | Review the regional assessments (decision 2/CP.20) | SB 60 (June 2024) | Group | Workshop |",
        "\t\t|  |  |  | Forum | Consider the review |",
        "\t\t| 1 | Compile guidance on fish passesb for dams and weirs | SB 61 and onward, as decided by the group "
        "| Group | Technical paper |",
        "\t\t|  |  | SB 63 | Forum | In-session workshop |",
        "\t\t| 2 | Exchange experience on fishways | SB 61 (November 2024) and SB 63 (2025) | Group | Case studies |",
        "\t\t",
        "\t\t\ta   Letters represent activities from earlier decisions.",
        "\t\t\tb   “Passes” here means the fish passes and fishways.",
        "\t\t\tAbbreviations: SB = sessions of the subsidiary bodies.",
        "\t\t8th plenary meeting",
    ]
)
MARKDOWN = "\n".join(
    [
        "Work plan 2025-2027",
        "",
        "| No. | Activity | Lead | Timeframe |",
        "|---|---|---|---|",
        "| 1 | Publish the joint newsletter | Leading: CMS Secretariat Contributing: Ramsar Secretariat | 2025 |",
        "| 2 | Hold the regional workshop | Ramsar Secretariat | From 2026 |",
        "|  |  | CMS Secretariat | 2027 |",
    ]
)
PriorityRow = tuple[str, str | None, str, str | None, int | None, int | None]


def plan_of(text: str, rules: Rules) -> Plan:
    """The one plan of ``text``."""
    plans = extract_bytes("plan.txt", text.encode("utf-8"), rules).plans
    assert len(plans) == 1
    return plans[0]


def rows_of(plan: Plan) -> list[PriorityRow]:
    return [
        (
            a.number,
            a.section,
            a.text,
            a.timeframe.text if a.timeframe else None,
            a.timeframe.start if a.timeframe else None,
            a.timeframe.end if a.timeframe else None,
        )
        for a in plan.activities
    ]


@pytest.mark.parametrize(
    ("text", "activities", "sections", "period"),
    [
        pytest.param(
            PRIORITY_AREAS,
            [
                ("A.1", "A", "Map the coastal wetlands of the region", "SB 60 (June 2024); By SB 62 (2025)", 2024, 2025),
                ("A.2", "A", "Share monitoring data", "Ongoing to COP 32 (2027)", 2024, 2027),
                ("B.1", "B", "Train the site managers", "COP 30 (2025); SB 64", 2025, 2026),
                ("B.2", "B", "Report on the training", "COP sessions from COP 30 (2025)", 2025, 2027),
            ],
            [("A", "Monitoring and data"), ("B", "Outreach and training")],
            (2024, 2027),
            id="priority areas, rows going on, cells over two lines, sessions",
        ),
        pytest.param(
            NUMBER_COLUMN,
            [
                ("a", None, "Review the regional assessments (decision 2/CP.20)", "SB 60 (June 2024)", 2024, 2024),
                (
                    "1",
                    None,
                    "Compile guidance on fish passes for dams and weirs",
                    "SB 61 and onward, as decided by the group; SB 63",
                    2024,
                    2025,
                ),
                ("2", None, "Exchange experience on fishways", "SB 61 (November 2024) and SB 63 (2025)", 2024, 2025),
            ],
            [],
            (2024, 2025),
            id="a number column, table notes, sessions without years",
        ),
        pytest.param(
            MARKDOWN,
            [
                ("1", None, "Publish the joint newsletter", "2025", 2025, 2025),
                ("2", None, "Hold the regional workshop", "From 2026; 2027", 2026, 2027),
            ],
            [],
            (2025, 2027),
            id="a Markdown table",
        ),
    ],
)
def test_plans_in_pipe_tables(
    text: str, activities: list[PriorityRow], sections: list[tuple[str, str]], period: tuple[int, int], rules: Rules
) -> None:
    doc = extract_bytes("plan.txt", text.encode("utf-8"), rules)
    assert len(doc.plans) == 1
    plan = doc.plans[0]
    assert rows_of(plan) == activities
    assert [(s.number, s.title) for s in plan.sections] == sections
    assert plan.period is not None
    assert (plan.period.start, plan.period.end) == period
    assert not [w for w in doc.warnings if w.code == "unreadable-timeframe"]


def test_rows_going_on_join_their_cells(rules: Rules) -> None:
    plan = plan_of(PRIORITY_AREAS, rules)
    first = plan.activities[0]
    assert first.lead == (
        "Leading: Parties Contributing: secretariat; Secretariat; Invite Parties and experts to present the maps at an event"
    )
    assert "Maps of the wetlands" not in first.full_text
    assert "Invite Parties" not in first.full_text


def test_leading_and_contributing_actors(rules: Rules) -> None:
    plan = plan_of(MARKDOWN, rules)
    assert [a.actors for a in plan.activities] == [
        ["CMS Secretariat", "Ramsar Secretariat"],
        ["CMS Secretariat", "Ramsar Secretariat"],
    ]


def test_table_notes_and_captions_are_no_activities(rules: Rules) -> None:
    plan = plan_of(NUMBER_COLUMN, rules)
    texts = " ".join(a.full_text for a in plan.activities)
    assert "Letters represent" not in texts
    assert "Abbreviations" not in texts
    assert "plenary" not in texts
    plan = plan_of(PRIORITY_AREAS, rules)
    assert "Table 2" not in " ".join(a.full_text for a in plan.activities)
    assert [s.number for s in plan.sections] == ["A", "B"]


def test_an_activity_cell_opening_with_its_number(rules: Rules) -> None:
    text = (
        "Work plan 2030-2031\n\n| Activity | Responsible actor | Timeline |\n"
        "| 1 Explore the approaches | Group | 2030 |\n| 2. Share the results | Forum | 2031 |\n"
    )
    assert [(a.number, a.text) for a in plan_of(text, rules).activities] == [
        ("1", "Explore the approaches"),
        ("2", "Share the results"),
    ]


def test_a_row_of_a_number_and_a_title_alone_is_a_section(rules: Rules) -> None:
    text = (
        "Work plan 2030-2031\n\n| No. | Activity | Timeline |\n| 1 | Monitoring |  |\n"
        "| 1.1 | Count the birds | 2030 |\n| 2 | Outreach |  |\n| 2.1 | Publish the counts | 2031 |\n"
    )
    plan = plan_of(text, rules)
    assert [(s.number, s.title) for s in plan.sections] == [("1", "Monitoring"), ("2", "Outreach")]
    assert [(a.number, a.section, a.text) for a in plan.activities] == [
        ("1.1", "1", "Count the birds"),
        ("2.1", "2", "Publish the counts"),
    ]


# ------------------------------------------------------------------ a real text conversion

REAL = ROOT.parent / "shared" / "real"
FCCC = REAL / "FCCC-CP-2019-13-Add1.txt"


def plan_region(lines: list[str], title: str) -> str:
    """The annex printing ``title`` (its heading, title and text down to the decision's closing line)."""
    start = next(i for i in range(1, len(lines)) if lines[i].strip() == title and lines[i - 1].strip().startswith("Annex"))
    end = next(i for i in range(start, len(lines)) if lines[i].strip().endswith("plenary meeting"))
    return "\r\n".join(lines[start - 1 : end + 1])


@pytest.mark.skipif(not FCCC.exists(), reason="the real documents are not here")
@pytest.mark.parametrize("index", [0, 1], ids=["gender action plan", "response measures workplan"])
def test_the_plans_of_a_real_text_conversion(index: int, rules: Rules) -> None:
    key = json.loads((REAL / "gold" / "FCCC-CP-2019-13-Add1.gold.json").read_text(encoding="utf-8"))["plans"][index]
    lines = FCCC.read_bytes().decode("utf-8").split("\r\n")
    plan = plan_of(plan_region(lines, key["title"]), rules)
    assert [(a.number, a.section, " ".join(a.text.split())) for a in plan.activities] == [
        (a["number"], a["section"], a["text"]) for a in key["activities"]
    ]
    assert [(a.timeframe.text, a.timeframe.start, a.timeframe.end) for a in plan.activities if a.timeframe] == [
        (a["timeframe"]["text"], a["timeframe"]["start"], a["timeframe"]["end"]) for a in key["activities"]
    ]
    assert [(s.number, s.title) for s in plan.sections] == [(s["number"], s["title"]) for s in key["sections"]]
    assert plan.period == Period(**key["period"])


def test_captions_printed_as_rows_of_the_tables(rules: Rules) -> None:
    text = (
        "Action plan 2030-2031\n\n| Priority area A: monitoring |\n| Activity | Timeline |\n"
        "| A.1 Count the birds | 2030 |\n\n| Priority area B: outreach |\n| Activity | Timeline |\n"
        "| B.1 Publish the counts | 2031 |\n"
    )
    plan = plan_of(text, rules)
    assert [(s.number, s.title) for s in plan.sections] == [("A", "monitoring"), ("B", "outreach")]
    assert [(a.number, a.section, a.text) for a in plan.activities] == [
        ("A.1", "A", "Count the birds"),
        ("B.1", "B", "Publish the counts"),
    ]


def test_a_numbered_paragraph_naming_a_work_programme_is_no_plan_title(rules: Rules) -> None:
    text = (
        "Annex I\n\tRules of procedure of the expert committee\n\t\tI.\tScope\n"
        "\t\t\t1.\tThese rules apply to the committee.\n"
        "\t\t\t2.\tThe committee may use the following modalities to carry out the work programme of the forum:\n"
        "\t\t\t\t(a)\tOrganizing workshops;\n\t\tII.\tMembers\n\t\t\t3.\tThe committee has twelve members.\n"
    )
    assert extract_bytes("plan.txt", text.encode("utf-8"), rules).plans == []
