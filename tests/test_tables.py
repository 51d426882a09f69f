"""Tables in PDFs: header rows, column roles, rows tied by position, spanning and continued rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from jwpextract.footnotes import find_footnotes
from jwpextract.layout import LayoutDocument, Word
from jwpextract.rules import Rules
from jwpextract.sources import ReadOptions
from jwpextract.sources.pdf import read_pdf
from jwpextract.tables import TableReader, TextRow

from .fixtures import make_pdfs

Cell = tuple[int, str | None, str | None, str, str]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_pdfs.build_all(tmp_path_factory.mktemp("tables"))


def cells(doc: LayoutDocument, *, furniture: bool = False) -> list[Cell]:
    """(page, furniture, column, row letter, text) of the table lines; rows lettered A, B, ... in order."""
    letters: dict[int, str] = {}
    out: list[Cell] = []
    for line in doc.lines():
        if line.column is None or (line.furniture is not None and not furniture):
            continue
        row = "-" if line.row is None else letters.setdefault(line.row, chr(ord("A") + len(letters)))
        out.append((line.page, line.furniture, line.column, row, line.text))
    return out


def read(path: Path) -> LayoutDocument:
    return read_pdf(str(path), path.read_bytes(), ReadOptions())


PLAN = [
    ("activity", "A", "1. Monitoring"),
    ("activity", "B", "1.1 Set up a common format for counts"),
    ("activity", "B", "of the species at the sites."),
    ("lead", "B", "Party A"),
    ("timeframe", "B", "2020"),
    ("activity", "C", "Data sharing:"),
    ("activity", "D", "1.2 Exchange the counts every year."),
    ("lead", "D", "Both"),
    ("timeframe", "D", "Annually"),
    ("activity", "E", "2. Capacity building"),
    ("activity", "F", "2.1 Train the staff of the sites in the"),
    ("activity", "F", "methods of the counts."),
    ("lead", "F", "Party B"),
    ("timeframe", "F", "2021-2022"),
]
def wrapped_plan(rows: str) -> list[tuple[str, str, str]]:
    """The two rows of the "wrapped-header" table, lettered ``rows``."""
    first, second = rows
    return [
        ("activity", first, "5.1 Map the sites that both lists"),
        ("activity", first, "hold."),
        ("lead", first, "Party C"),
        ("timeframe", first, "2023"),
        ("activity", second, "5.2 Publish the map."),
        ("lead", second, "Both"),
        ("timeframe", second, "2024"),
    ]


BROKEN = [
    (1, None, "activity", "A", "4.1 Compile the national reports and"),
    (1, None, "activity", "A", "publish a synthesis of them."),
    (1, None, "timeframe", "A", "2019"),
    (1, None, "activity", "B", "4.2 Develop guidance on the restoration"),
    (1, None, "activity", "B", "of degraded habitats, covering:"),
    (1, None, "activity", "B", "(a) peatlands;"),
    (1, None, "timeframe", "B", "2020"),
    (2, None, "activity", "B", "(b) floodplains;"),
    (2, None, "activity", "B", "(c) coastal dunes."),
    (2, None, "activity", "C", "4.3 Report on progress to the next meeting."),
    (2, None, "timeframe", "C", "2021"),
]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "number-column",
            [
                (1, None, "activity", "A", "1. Conservation of sites"),
                (1, None, "number", "B", "1.1"),
                (1, None, "activity", "B", "Prepare a joint report on the state of"),
                (1, None, "activity", "B", "the sites of the network."),
                (1, None, "lead", "B", "Secretariat"),
                (1, None, "timeframe", "B", "2020"),
                (1, None, "number", "C", "1.2"),
                (1, None, "activity", "C", "Hold a workshop on site management."),
                (1, None, "lead", "C", "Both"),
                (1, None, "timeframe", "C", "2021-2022"),
                (1, None, "activity", "D", "2. Outreach"),
                (1, None, "number", "E", "2.1"),
                (1, None, "activity", "E", "Publish a leaflet."),
                (1, None, "lead", "E", "Partners"),
                (1, None, "timeframe", "E", "Ongoing"),
            ],
        ),
        (
            "centred",
            [
                (1, None, "activity", "A", "3.1 Share data on trends."),
                (1, None, "lead", "A", "Secretariat A"),
                (1, None, "lead", "A", "Secretariat B"),
                (1, None, "lead", "A", "Secretariat C"),
                (1, None, "timeframe", "A", "2020"),
                (1, None, "activity", "B", "3.2 Review the guidance on the"),
                (1, None, "activity", "B", "design of monitoring schemes,"),
                (1, None, "activity", "B", "with the help of experts and"),
                (1, None, "activity", "B", "partners of both conventions."),
                (1, None, "lead", "B", "Both"),
                (1, None, "timeframe", "B", "2021"),
            ],
        ),
        ("broken-ruled", BROKEN),
        ("broken-borderless", BROKEN),
        ("rules-only", [(1, None, *cell) for cell in PLAN]),
        ("borderless", [(1 if row < "E" else 2, None, column, row, text) for column, row, text in PLAN]),
        ("wrapped-header", [(1, None, *cell) for row in ("AB", "CD") for cell in wrapped_plan(row)]),
    ],
)
def test_rows_and_columns(pdfs: dict[str, Path], name: str, expected: list[Cell]) -> None:
    assert cells(read(pdfs[name])) == expected


@pytest.mark.parametrize(
    ("name", "headers"),
    [
        (
            "number-column",
            [(1, "number", "No."), (1, "activity", "Activity"), (1, "lead", "Lead"), (1, "timeframe", "Timeframe")],
        ),
        (
            "broken-ruled",
            [(p, role, text) for p in (1, 2) for role, text in (("activity", "Activity"), ("timeframe", "Timeframe"))],
        ),
        ("broken-borderless", [(1, "activity", "Activity"), (1, "timeframe", "Timeframe")]),
        (
            "wrapped-header",
            2 * [(1, "activity", "Activity"), (1, "lead", "Lead organization"), (1, "timeframe", "Timeframe")],
        ),
        (
            "borderless",
            [
                (p, role, text)
                for p in (1, 2)
                for role, text in (("activity", "Activity"), ("lead", "Responsibility"), ("timeframe", "Timeframe"))
            ],
        ),
    ],
)
def test_every_header_row_is_marked(pdfs: dict[str, Path], name: str, headers: list[tuple[int, str, str]]) -> None:
    doc = read(pdfs[name])
    assert [(line.page, line.column, line.text) for line in doc.lines() if line.furniture == "table-header"] == headers
    assert all(line.row is None for line in doc.lines() if line.furniture == "table-header")


def test_text_after_a_table_is_body_text(pdfs: dict[str, Path]) -> None:
    for name, text in (
        ("rules-only", "Note: the Parties review this plan at each meeting of the Standing Committee"),
        ("broken-ruled", "The table ends here; this paragraph of body text follows it and runs across the page width."),
        ("broken-borderless", "The table ends here; this paragraph of body text follows it and runs across the page width."),
    ):
        line = next(line for line in read(pdfs[name]).lines() if line.text == text)
        assert (line.column, line.row, line.furniture, line.blank_before) == (None, None, None, True)


def test_long_indicator_table_without_activities(pdfs: dict[str, Path]) -> None:
    doc = read(pdfs["cop-decision"])
    table = cells(doc)
    rows = {row for _, _, _, row, _ in table}
    assert len(rows) == 40
    assert table[:4] == [
        (2, None, "other", "A", "Trend in the extent of habitat type 1"),
        (2, None, "other", "A", "in protected areas"),
        (2, None, "timeframe", "A", "2021"),
        (2, None, "other", "A", "Global"),
    ]
    first_on_page_3 = next(cell for cell in table if cell[0] == 3)
    assert first_on_page_3[2:] == ("other", chr(ord("A") + 20), "Trend in the extent of habitat type 21")
    assert [line.text for line in doc.pages[2].lines if line.furniture == "table-header"] == [
        "Indicator",
        "Timeframe",
        "Remarks",
    ]


def test_cells_start_paragraphs(pdfs: dict[str, Path]) -> None:
    doc = read(pdfs["centred"])
    assert [(line.blank_before, line.text) for line in doc.lines() if line.column == "lead" and line.row] == [
        (True, "Secretariat A"),
        (False, "Secretariat B"),
        (False, "Secretariat C"),
        (True, "Both"),
    ]


def _row(*labels: tuple[str, float]) -> TextRow:
    return TextRow.of([Word(text, x, 100.0, x + 6.0 * len(text), 110.0, "Helvetica-Bold", 10.0, True) for text, x in labels])


@pytest.mark.parametrize(
    ("labels", "roles"),
    [
        ((("Activity", 60), ("Timeframe", 450)), ["activity", "timeframe"]),
        ((("No.", 60), ("Activity", 100), ("Lead", 350), ("Timeframe", 450)), ["number", "activity", "lead", "timeframe"]),
        ((("Activities", 60), ("Responsibility", 300), ("Time", 450), ("frame", 477)), ["activity", "lead", "timeframe"]),
        ((("Indicator", 60), ("Remarks", 300), ("Deadline", 450)), ["other", "other", "timeframe"]),
        (
            (("Objective", 60), ("Activities", 160), ("Lead", 330), ("Party", 357), ("Timeline", 450)),
            ["other", "activity", "lead", "timeframe"],
        ),
        ((("Action", 60), ("Responsible", 300), ("Parties", 370), ("Dates", 470)), ["activity", "lead", "timeframe"]),
        ((("Activity", 60), ("Expected", 250), ("outcome", 303), ("Year", 470)), ["activity", "other", "timeframe"]),
        ((("Activity", 60), ("Lead", 300), ("2027", 400), ("2028", 450)), ["activity", "lead", "timeframe", "timeframe"]),
        ((("Activity", 60), ("1999", 400)), ["activity", "timeframe"]),
        ((("Activity", 60), ("2027-2028", 400)), None),
        ((("Activity", 60), ("Timeframe", 111)), None),
        ((("Indicator", 60), ("Remarks", 300)), None),
        ((("Activity", 60),), None),
        ((("Activity", 60), ("report", 200), ("Timeframe", 450)), None),
    ],
)
def test_header_rows(labels: tuple[tuple[str, float], ...], roles: list[str] | None, rules: Rules) -> None:
    found = TableReader(rules.layout).header(_row(*labels))
    assert (None if found is None else [role for role, _, _ in found]) == roles


def test_small_print_table_above_a_footnote_goes_on_to_the_next_page(pdfs: dict[str, Path]) -> None:
    doc = read(pdfs["small-print-table"])
    table = cells(doc)
    assert [text for _, _, column, _, text in table if column == "number"] == [str(n) for n in range(1, 19)]
    assert table[-7:] == [
        (1, None, "number", "Q", "17"),
        (1, None, "activity", "Q", "The last task starts on this page and"),
        (1, None, "timeframe", "Q", "2022"),
        (2, None, "activity", "Q", "Ends on the next page."),
        (2, None, "number", "R", "18"),
        (2, None, "activity", "R", "A task after the break."),
        (2, None, "timeframe", "R", "2023"),
    ]
    assert [(n, t, p) for n, t, p, _ in find_footnotes(doc)] == [("1", "Adopted at the last meeting.", 1)]
    assert [line.text for line in doc.lines() if line.furniture is None and line.column is None] == [
        "Plan of work",
        "The plan below lists the tasks of the period.",
    ]
