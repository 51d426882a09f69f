"""Plans printed by other PDF producers than the corpus's: both engines read them, and read them alike."""

from __future__ import annotations

from typing import Any

import pytest

from jwpextract.models import CanonicalPlan
from jwpextract.pipeline import extract_bytes
from jwpextract.rules import Rules
from jwpextract.sources import ReadOptions

from .conftest import TESTDATA

CHROMIUM = TESTDATA / "producers" / "chromium-plan.pdf"


def summary(plan: CanonicalPlan) -> dict[str, Any]:
    return {
        "symbol": plan.document.symbol,
        "plan": (plan.plan.title, plan.plan.period.start if plan.plan.period else None),
        "paragraphs": [p.number for p in plan.paragraphs],
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
        "references": [r.id for r in plan.references],
        "footnotes": [f.text for f in plan.footnotes],
        "warnings": [w.code for w in plan.warnings],
    }


EXPECTED = {
    "symbol": "XYZ/COP/5/Doc.7",
    "plan": ("JOINT WORK PLAN 2024-2026", 2024),
    "paragraphs": ["1", "2"],
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


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_chromium_plan(engine: str, rules: Rules) -> None:
    plan = extract_bytes(str(CHROMIUM), CHROMIUM.read_bytes(), rules, ReadOptions(engine=engine))
    assert summary(plan) == EXPECTED
