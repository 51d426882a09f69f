"""An annex table that is not a plan (indicators) is kept as a table: header once, rows of cells."""

from __future__ import annotations

from pathlib import Path

import pytest

from jwpextract.models import CanonicalDocument
from jwpextract.pipeline import extract_bytes
from jwpextract.rules import Rules

from .fixtures.make_pdfs import BOLD, Row, Sheet, header_row, table


def _indicator_annex(folder: Path) -> Path:
    """A note with two paragraphs, then an annex whose ruled table of indicators runs over two pages."""
    sheet = Sheet(folder / "indicator-annex.pdf")
    sheet.text(60, 80, "1. The Secretariat presents the indicators of the joint work plan.")
    sheet.text(60, 100, "2. The Committee is invited to take note of them.")
    sheet.next_page()
    sheet.text(60, 60, "Annex", 12, BOLD)
    sheet.text(60, 80, "Indicators for the joint work plan", 12, BOLD)
    rows = [header_row(["Indicator", "Baseline", "Target"])]
    rows += [
        Row(cells=[[f"1.{n} Number of sites with a management plan in region {n}"], ["2030"], ["2040"]]) for n in (1, 2, 3)
    ]
    table(sheet, [60, 340, 440, 535], 100, rows)
    sheet.next_page()
    rows = [header_row(["Indicator", "Baseline", "Target"])]
    rows += [Row(cells=[[f"2.{n} Area of wetlands restored in region {n}"], ["2031"], ["2041"]]) for n in (1, 2)]
    table(sheet, [60, 340, 440, 535], 60, rows)
    sheet.next_page()
    return sheet.save()


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> CanonicalDocument:
    from jwpextract.rules import load_rules

    path = _indicator_annex(tmp_path_factory.mktemp("annex-tables"))
    return extract_bytes(str(path), path.read_bytes(), load_rules())


def test_no_plan_is_invented(extracted: CanonicalDocument) -> None:
    assert extracted.plans == []
    assert [p.number for p in extracted.paragraphs] == ["1", "2"]


def test_the_table_is_kept(extracted: CanonicalDocument, rules: Rules) -> None:
    assert len(extracted.tables) == 1
    kept = extracted.tables[0]
    assert (kept.id, kept.where, kept.header) == ("table:1", "Annex", ["Indicator", "Baseline", "Target"])
    assert [row[0] for row in kept.rows] == [
        "1.1 Number of sites with a management plan in region 1",
        "1.2 Number of sites with a management plan in region 2",
        "1.3 Number of sites with a management plan in region 3",
        "2.1 Area of wetlands restored in region 1",
        "2.2 Area of wetlands restored in region 2",
    ]
    assert [row[1:] for row in kept.rows][:2] == [["2030", "2040"], ["2030", "2040"]]
    assert kept.provenance.pages == [2, 3]
    assert [(a.label, a.title, a.pages) for a in extracted.annexes] == [
        ("Annex", "Indicators for the joint work plan", [2, 3])
    ]
