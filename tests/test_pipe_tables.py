"""Pipe tables in text sources (text conversions with "| a | b |" rows, Markdown tables): read into cells
like a PDF table's, a line per cell and physical line, with its column's role and its row; header
cells by their labels; glued note markers; tab-indented text is no laid-out text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jwpextract.furniture import mark_furniture
from jwpextract.labels import ColumnLabels
from jwpextract.layout import LayoutDocument
from jwpextract.rules import Rules
from jwpextract.sources.monospace import laid_out
from jwpextract.sources.text import read_text

from .conftest import layout_of

NBSP = "\u00a0"


def cells(doc: LayoutDocument) -> list[tuple[str | None, int | None, str | None, str]]:
    return [(line.column, line.row, line.furniture, line.text) for line in doc.lines()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "| Activity | Timeline |\n| 1.1 Map the sites | By SB 5\n(2021) |\n",
            [
                ("activity", None, "table-header", "Activity"),
                ("timeframe", None, "table-header", "Timeline"),
                ("activity", 1, None, "1.1 Map the sites"),
                ("timeframe", 1, None, "By SB 5"),
                ("timeframe", 1, None, "(2021)"),
            ],
            id="a cell broken over two lines is one row",
        ),
        pytest.param(
            "| No. | Activity | Lead |\n|---|:---|---:|\n| 1 | Publish the report | CMS |\n"
            "| 2 | Hold a workshop | Ramsar |\n",
            [
                ("number", None, "table-header", "No."),
                ("activity", None, "table-header", "Activity"),
                ("lead", None, "table-header", "Lead"),
                ("number", 1, None, "1"),
                ("activity", 1, None, "Publish the report"),
                ("lead", 1, None, "CMS"),
                ("number", 2, None, "2"),
                ("activity", 2, None, "Hold a workshop"),
                ("lead", 2, None, "Ramsar"),
            ],
            id="a Markdown table: its rule is no line",
        ),
        pytest.param(
            "| Activity | Responsible actor | Timeline |\n| 1.1 Map | Parties | 2021 |\n|  | Secretariat | 2022 |\n",
            [
                ("activity", None, "table-header", "Activity"),
                ("lead", None, "table-header", "Responsible actor"),
                ("timeframe", None, "table-header", "Timeline"),
                ("activity", 1, None, "1.1 Map"),
                ("lead", 1, None, "Parties"),
                ("timeframe", 1, None, "2021"),
                ("lead", 2, None, "Secretariat"),
                ("timeframe", 2, None, "2022"),
            ],
            id="an empty activity cell: a row without it",
        ),
        pytest.param(
            "| Activities | Estimated timeline for implementation | Deliverables/outputs | Level of implementation |\n"
            "| A.1 Map | SB 5 | Maps | National |\n",
            [
                ("activity", None, "table-header", "Activities"),
                ("timeframe", None, "table-header", "Estimated timeline for implementation"),
                ("other", None, "table-header", "Deliverables/outputs"),
                ("other", None, "table-header", "Level of implementation"),
                ("activity", 1, None, "A.1 Map"),
                ("timeframe", 1, None, "SB 5"),
                ("other", 1, None, "Maps"),
                ("other", 1, None, "National"),
            ],
            id="header cells read by the label they start with",
        ),
        pytest.param(
            "| Activity | Timeline | Lead |\n| 1.1 Map | 2021 | CMS |\n",
            [
                ("activity", None, "table-header", "Activity"),
                ("timeframe", None, "table-header", "Timeline"),
                ("lead", None, "table-header", "Lead"),
                ("activity", 1, None, "1.1 Map"),
                ("lead", 1, None, "CMS"),
                ("timeframe", 1, None, "2021"),
            ],
            id="a row's cells in the PDF reader's order",
        ),
        pytest.param(
            "| Table 1 Priority area A: monitoring |\n| **Activity** | _Timeline_ |\n|---|---|\n| A.1 Map | 2021 |\n",
            [
                (None, None, None, "Table 1 Priority area A: monitoring"),
                ("activity", None, "table-header", "**Activity**"),
                ("timeframe", None, "table-header", "_Timeline_"),
                ("activity", 1, None, "A.1 Map"),
                ("timeframe", 1, None, "2021"),
            ],
            id="a caption row above the header, Markdown emphasis",
        ),
        pytest.param(
            "|  | United Nations | XYZ/COP/1/Add.1 |\n|  |  | Distr.: General |\n",
            [
                (None, None, None, "United Nations"),
                (None, None, None, "XYZ/COP/1/Add.1"),
                (None, None, None, "Distr.: General"),
            ],
            id="a table that is no plan's: its cells as lines",
        ),
        pytest.param(
            "| Activity | Lead\n| 1.1 Use a\\|b | CMS\n",
            [
                ("activity", None, "table-header", "Activity"),
                ("lead", None, "table-header", "Lead"),
                ("activity", 1, None, "1.1 Use a\\|b"),
                ("lead", 1, None, "CMS"),
            ],
            id="rows without a closing pipe, an escaped pipe",
        ),
        pytest.param(
            "| Activity | Timeline |\n| 1.1 Map |\n\n| 1.2 Count | 2021 |\n",
            [
                ("activity", None, "table-header", "Activity"),
                ("timeframe", None, "table-header", "Timeline"),
                ("activity", 1, None, "1.1 Map"),
                (None, None, None, "1.2 Count"),
                (None, None, None, "2021"),
            ],
            id="a blank line ends a table",
        ),
        pytest.param(
            "| Activity numbera | Activity | Timeline |\n| 1 | Map the passesb of the region | 2021 |\n\n"
            "a\tLetters number the old ones.\nb\tPasses: the passes of the birds.\n",
            [
                ("number", None, "table-header", "Activity number"),
                ("activity", None, "table-header", "Activity"),
                ("timeframe", None, "table-header", "Timeline"),
                ("number", 1, None, "1"),
                ("activity", 1, None, "Map the passes"),
                ("activity", 1, None, "of the region"),
                ("timeframe", 1, None, "2021"),
                (None, None, None, "a\tLetters number the old ones."),
                (None, None, None, "b\tPasses: the passes of the birds."),
            ],
            id="note markers glued to words, the notes after the table",
        ),
    ],
)
def test_pipe_table_cells(text: str, expected: list[tuple[str | None, int | None, str | None, str]]) -> None:
    doc = layout_of(text)
    assert cells(doc) == expected
    assert all(doc.text[line.start : line.end] == line.text for line in doc.lines())
    assert [line.index for line in doc.lines()] == list(range(len(doc.lines())))


@pytest.mark.parametrize(
    ("cell", "role"),
    [
        ("Activities", "activity"),
        ("Activity number", "number"),
        ("Activity numbera", "number"),
        ("Responsibilities", "lead"),
        ("Leading/Contributing", "lead"),
        ("Responsible actor", "lead"),
        ("Timeline", "timeframe"),
        ("Estimated timeline for implementation", "timeframe"),
        ("Deliverables/outputs", "other"),
        ("Level of implementation", "other"),
        ("Modalities/outputs", "other"),
        ("2027", "timeframe"),
        ("Key actions", "activity"),
        ("Description of the activity", "other"),
        ("Name of policy or measurea", None),
        ("", None),
    ],
)
def test_header_cells(cell: str, role: str | None, rules: Rules) -> None:
    assert ColumnLabels(rules.layout).cell_role(cell) == role


def test_crlf_tabs_and_non_breaking_spaces() -> None:
    text = f"Annex\r\n\t\t| Activity | Timeline |\r\n\t\t| 1.1 Map{NBSP}the sites | COP{NBSP}26 (2020) |\r\n"
    doc = read_text("plan.txt", text.encode("utf-8"))
    assert [cell for cell in cells(doc) if cell[1]] == [
        ("activity", 1, None, f"1.1 Map{NBSP}the sites"),
        ("timeframe", 1, None, f"COP{NBSP}26 (2020)"),
    ]
    assert all(doc.text[line.start : line.end] == line.text for line in doc.lines())


def test_rows_are_numbered_through_the_document() -> None:
    doc = layout_of("| Activity | Lead |\n| 1.1 Map | CMS |\n\nText between.\n\n| Activity | Lead |\n| 2.1 Count | CMS |\n")
    assert [(line.row, line.text) for line in doc.lines() if line.row] == [
        (1, "1.1 Map"),
        (1, "CMS"),
        (2, "2.1 Count"),
        (2, "CMS"),
    ]


def test_table_cells_are_no_furniture(rules: Rules) -> None:
    doc = layout_of("| No. | Activity | Lead |\n| 1 | Publish the report | Partners |\n")
    mark_furniture(doc, rules)
    assert [(line.furniture, line.text) for line in doc.lines() if line.row] == [
        (None, "1"),
        (None, "Publish the report"),
        (None, "Partners"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "\n".join(f"\t{k}.\tThe Conference requests   the secretariat." for k in range(1, 20)), True, id="gutters"
        ),
        pytest.param(
            "\n".join(f"\t{k}.\tThe Conference requests the secretariat." for k in range(1, 20)), False, id="labels"
        ),
        pytest.param("\n".join(f"\t\t({c})\tTo report on the work." for c in "abcdefgh"), False, id="item labels"),
        pytest.param("\n".join(f"{c}\tA note on the table." for c in "abcdefgh"), False, id="table notes"),
    ],
)
def test_tab_after_a_label_is_no_gutter(text: str, expected: bool) -> None:
    assert laid_out(text) is expected


def test_a_pipe_table_is_not_read_as_laid_out_text(rules: Rules) -> None:
    rows = "".join(f"| {k}.1 Do task {k}      | 20{20 + k}      |\n" for k in range(1, 8))
    doc = read_text("t.txt", ("| Activity | Timeframe |\n" + rows).encode(), rules)
    assert laid_out("| Activity | Timeframe |\n" + rows)
    assert [line.text for line in doc.lines() if line.column == "timeframe" and line.row] == [
        f"20{20 + k}" for k in range(1, 8)
    ]


PIECES = st.sampled_from(
    ["|", " | ", "\n", "\r\n", "\t", NBSP, "Activity", "Timeline", "Lead", "1.1", "a", "b", "---", ":", "\\|"]
)


@given(st.lists(PIECES, max_size=60))
def test_any_pipe_text_reads_into_lines_of_its_own_text(pieces: list[str]) -> None:
    doc = read_text("any.txt", "".join(pieces).encode("utf-8"))
    assert all(doc.text[line.start : line.end] == line.text and line.text == line.text.strip() for line in doc.lines())
    assert [line.index for line in doc.lines()] == list(range(len(doc.lines())))
    assert all(line.row is None or line.column is not None for line in doc.lines())
