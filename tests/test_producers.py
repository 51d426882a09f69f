"""Plans printed by other PDF producers than the corpus's (see tests/testdata/README.md): both engines
read them, and read them alike."""

from __future__ import annotations

from typing import Any

import pytest

from jwpextract.models import CanonicalDocument
from jwpextract.pipeline import extract_bytes
from jwpextract.rules import Rules
from jwpextract.sources import ReadOptions

from .conftest import TESTDATA

PRODUCERS = TESTDATA / "producers"


def summary(doc: CanonicalDocument) -> dict[str, Any]:
    (plan,) = doc.plans
    return {
        "symbol": doc.document.symbol,
        "plan": (plan.title, plan.period.start if plan.period else None),
        "parties": plan.parties,
        "paragraphs": [p.number for p in doc.paragraphs],
        "decisions": [(d.id, [(p.number, p.references) for p in d.paragraphs]) for d in doc.decisions],
        "activities": [
            (
                a.number,
                a.section,
                a.text,
                a.timeframe.text if a.timeframe else None,
                a.lead,
                [i.label for i in a.items],
            )
            for a in plan.activities
        ],
        "meeting": doc.document.meeting,
        "paragraphs_cite": {p.number: p.references for p in doc.paragraphs if p.references},
        "sections": [(s.number, s.title) for s in plan.sections],
        "themes": [a.theme for a in plan.activities],
        "references": [r.id for r in doc.references],
        "footnotes": [f.text for f in doc.footnotes],
        "warnings": [w.code for w in doc.warnings],
    }


PLAN = {
    "parties": [],
    "symbol": "XYZ/COP/5/Doc.7",
    "meeting": None,
    "paragraphs_cite": {"1": ["cbd/decision/10/20", "cms/resolution/11/10"]},
    "sections": [("1", "Monitoring"), ("2", "Capacity building")],
    "themes": [None, None, None],
    "plan": ("JOINT WORK PLAN 2024-2026", 2024),
    "paragraphs": ["1", "2"],
    "decisions": [],
    "activities": [
        (
            "1.1",
            "1",
            "Develop a common format for counts of the species at the sites, with the help of the Scientific Council.",
            "2024",
            "Secretariat",
            [],
        ),
        ("1.2", "1", "Exchange the counts every year:", "2024-2026", "Parties", ["a", "b"]),
        (
            "2.1",
            "2",
            "Train the staff of the sites in the methods of the counts, in line with Aichi Target 11.",
            "2025",
            "Both secretariats",
            [],
        ),
    ],
    "references": ["cbd/decision/10/20", "cms/resolution/11/10", "aichi/target/11"],
    "footnotes": ["1 To be held in 2025."],
    "warnings": [],
}


DECISION = {
    "parties": ["CBD", "CMS"],
    "symbol": "CBD/COP/DEC/15/13",
    "meeting": "cbd/meeting/cop/15",
    "paragraphs_cite": {},
    "sections": [("A", "Policy coherence"), ("B", "Capacity-building")],
    "themes": [None, None, None, None],
    "plan": (
        "JOINT WORK PLAN BETWEEN THE CONVENTION ON BIOLOGICAL DIVERSITY AND THE CONVENTION ON MIGRATORY SPECIES,"
        " 2023-2030",
        2023,
    ),
    "paragraphs": [],  # the decision's paragraphs are its own
    # paragraph 2: "to the Conference of the Parties at its sixteenth meeting"
    "decisions": [("decision:15/13", [("1", []), ("2", ["cbd/meeting/cop/16"])])],
    "activities": [
        (
            "1",
            "A",
            "The secretariats will promote synergies in national reporting under both conventions (2023-2024).",
            "2023-2024",
            None,
            [],
        ),
        (
            "2",
            "A",
            "The secretariats will prepare joint guidance on ecological connectivity, in line with Target 3 of the"
            " Kunming-Montreal Global Biodiversity Framework (2024-2026).",
            "2024-2026",
            None,
            [],
        ),
        ("3", "B", "The CMS Secretariat will organize regional workshops:", None, None, ["a", "b"]),
        ("4", "B", "Both secretariats will develop online training modules (2027-2030).", "2027-2030", None, []),
    ],
    "references": ["cbd/decision/14/30", "cms/resolution/11/10", "cms/meeting/cop/13", "cbd/meeting/cop/16", "gbf/target/3"],
    "footnotes": [],
    "warnings": [],
}
THEMES = ["Conservation of sites", "Research and monitoring", "Communication"]
TIMEFRAMES = ["2025", "2025-2026", "Ongoing", "By COP15", "2027"]
LEADS = ["CMS", "Ramsar", "Both", "CMS Secretariat", "Ramsar Secretariat"]
LANDSCAPE = {
    "parties": ["CMS", "Ramsar"],
    "symbol": "UNEP/CMS/StC57/Doc.12",
    "meeting": "cms/meeting/stc/57",
    "paragraphs_cite": {"1": ["cms/resolution/11/10", "cms/meeting/cop/13"]},
    "sections": [],
    "themes": [theme for theme in THEMES for _ in range(5)],
    "plan": ("CMS–RAMSAR JOINT WORK PLAN 2026-2028", 2026),
    "paragraphs": ["1"],
    "decisions": [],
    "activities": [
        (
            f"{s}.{k}",
            None,
            f"Prepare the guidance note number {s}.{k} for the Parties on the matter at hand" + (":" if k == 2 else "."),
            TIMEFRAMES[k - 1],
            LEADS[k - 1],
            ["•", "•"] if k == 2 else [],
        )
        for s in (1, 2, 3)
        for k in range(1, 6)
    ],
    "references": ["cms/resolution/11/10", "cms/meeting/cop/13", "cms/meeting/cop/15"],  # COP15: "By COP15" cells
    "footnotes": [],
    "warnings": ["unreadable-timeframe"] * 3,
}
OBJECTIVES = {
    "parties": ["CMS", "IPBES"],
    "symbol": "UNEP/CMS/COP15/Doc.31",
    "meeting": "cms/meeting/cop/15",
    "paragraphs_cite": {},
    "sections": [("1", "Knowledge Share data and assessments."), ("2", "Capacity Build capacity of Parties.")],
    "themes": [None] * 4,
    "plan": ("JOINT WORK PLAN BETWEEN CMS AND IPBES, 2026-2029", 2026),
    "paragraphs": ["1"],
    "decisions": [],
    "activities": [
        ("1.1", "1", "Exchange data on migratory species with the assessment teams.", "2026-2027", "CMS Secretariat", []),
        ("1.2", "1", "Contribute to the nexus assessment.", "2027", "Both", []),
        ("2.1", "2", "Run joint webinars on the use of assessments.", "2028", "IPBES Secretariat", []),
        ("2.2", "2", "Produce a guide to the assessments for national focal points.", "2029", "Both", []),
    ],
    "references": [],
    "footnotes": [],
    "warnings": [],
}
NOTE = "Prepare the guidance note number"
LAID_OUT = {
    "symbol": "UNEP/CMS/StC57/Doc.12",
    "meeting": "cms/meeting/stc/57",
    "parties": ["CMS", "Ramsar"],
    "paragraphs_cite": {},
    "sections": [],
    "themes": [*["Conservation of sites"] * 3, "Research and monitoring"],
    "plan": ("CMS-RAMSAR JOINT WORK PLAN 2026-2028", 2026),
    "paragraphs": ["1"],
    "decisions": [],
    "activities": [
        ("1.1", None, f"{NOTE} 1.1 for the Parties on the matter at hand.", "2025", "CMS", []),
        ("1.2", None, f"{NOTE} 1.2 for the Parties on the matter at hand:", "2025-2026", "Ramsar", ["a", "b"]),
        ("1.3", None, f"{NOTE} 1.3.", "Ongoing", "Both", []),
        ("2.1", None, f"{NOTE} 2.1 for the Parties on the matter at hand.", "By COP15", "CMS Secretariat", []),
    ],
    "references": ["cms/meeting/cop/15"],  # the timeframe cell "By COP15" cites the meeting
    "footnotes": [],
    "warnings": ["unreadable-timeframe"],
}
TIMELINE = {
    "symbol": "UNEP/CMS/StC58/Doc.4",
    "meeting": "cms/meeting/stc/58",
    "parties": [],
    "paragraphs_cite": {},
    "sections": [],
    "themes": [None, None],
    "plan": ("JOINT WORK PLAN 2027-2029", 2027),
    "paragraphs": [],
    "decisions": [],
    "activities": [
        ("1.1", None, "Map the flyway sites.", "2027 2028", "CMS", []),
        ("1.2", None, "Train the site managers.", "2028 2029", "Ramsar", []),
    ],
    "references": [],
    "footnotes": [],
    "warnings": [],
}
CASES = {
    "chromium-plan.pdf": PLAN,  # a plan table, borders drawn cell by cell
    "chromium-decision.pdf": DECISION,  # a COP decision: preamble, paragraphs, a plan printed as a list
    # landscape; a cover page in smaller type than the table; the symbol repeated at the foot of each
    # page; numbers in a column of their own; bold spanning rows as themes; rules under the header only
    "chromium-landscape.pdf": LANDSCAPE,
    "chromium-decision.txt": DECISION,  # its text as `jwpextract text` prints it: no blank lines, no fonts
    "chromium-objectives.pdf": OBJECTIVES,  # an objective column left of the activities, cells spanning rows
    "laid-out-dump.txt": LAID_OUT,  # a text laid out in columns (pdftotext -layout): read by position
    "chromium-timeline.pdf": TIMELINE,  # a timeline: years as columns, "X" marking an activity's years
}


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
@pytest.mark.parametrize("name", list(CASES))
def test_plans_of_other_producers(name: str, engine: str, rules: Rules) -> None:
    path = PRODUCERS / name
    doc = extract_bytes(str(path), path.read_bytes(), rules, ReadOptions(engine=engine))
    assert summary(doc) == CASES[name]
