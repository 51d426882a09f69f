"""The PDF reader: words, superscripts and footnote markers, reading order, furniture, footnotes,
document text and offsets, glyphs; and the corpus PDFs against their text dumps and answer keys."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from jwpextract.footnotes import find_footnotes
from jwpextract.layout import LayoutDocument, Word
from jwpextract.rules import GlyphsFile, Rules
from jwpextract.sources import ReadOptions, read_source
from jwpextract.sources.pdf import Glyphs, _drawn_bullets, read_pdf

from .conftest import CORPUS, GOLD
from .fixtures import make_pdfs

SEED = CORPUS / "UNEP-CMS-StC38-Doc4.pdf"
ACTIVITY_NUMBER = re.compile(r"^(\d+\.\d+)\s")
SECTION_NUMBER = re.compile(r"^(\d+)\.\s+(.*)$")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdfs")
    return {name: build(folder) for name, build in make_pdfs.BUILDERS.items() if name in NEEDED}


NEEDED = {"footnotes", "letterhead", "two-columns", "borderless", "cop-decision", "broken-ruled"}


def read(path: Path, rules: Rules | None = None, engine: str = "pdfium") -> LayoutDocument:
    return read_pdf(str(path), path.read_bytes(), ReadOptions(engine=engine), rules)


def body(doc: LayoutDocument, page: int) -> list[tuple[bool, str]]:
    return [(line.blank_before, line.text) for line in doc.pages[page - 1].lines if line.furniture is None]


# ------------------------------------------------------------------------ words and lines


def test_footnote_markers_leave_the_text_and_ordinals_join(pdfs: dict[str, Path]) -> None:
    doc = read(pdfs["footnotes"])
    assert body(doc, 1) == [
        (False, "Background"),
        (True, "1. The meeting took note of the report of the Working Group, and"),
        (False, "recalled decision 14/8, in which the Parties met for the 11th"),
        (False, "time and agreed on the steps to take next."),
        (True, "2. The meeting invited the Parties to report on their progress."),
    ]


def test_footnotes_are_marked_and_found(pdfs: dict[str, Path]) -> None:
    doc = read(pdfs["footnotes"])
    marked = [(line.blank_before, line.text) for line in doc.lines() if line.furniture == "footnote"]
    assert marked == [
        (True, "3 Report of the Working Group on its second meeting."),
        (True, "12 See decision 14/8, paragraph 2, on the review of the"),
        (False, "programme of work."),
    ]
    found = [(number, text, page, len(lines)) for number, text, page, lines in find_footnotes(doc)]
    assert found == [
        ("3", "Report of the Working Group on its second meeting.", 1, 1),
        ("12", "See decision 14/8, paragraph 2, on the review of the programme of work.", 1, 2),
    ]


def test_footnotes_in_small_print_without_a_rule(pdfs: dict[str, Path]) -> None:
    doc = read(pdfs["cop-decision"])
    assert [(n, t, p) for n, t, p, _ in find_footnotes(doc)] == [
        ("1", "The sixteenth meeting is to be held in 2024.", 1),
        ("2", "Subject to the availability of resources.", 1),
    ]


def test_letterhead_blocks_come_out_whole_left_then_right(pdfs: dict[str, Path]) -> None:
    doc = read(pdfs["letterhead"])
    assert [line.text for line in doc.lines()] == [
        "XYZ",
        "AGREEMENT ON THE",
        "CONSERVATION OF",
        "SMALL MAMMALS",
        "Distribution: General",
        "XYZ/MOP3/Doc.7",
        "4 March 2020",
        "Original: English",
        "Introduction",
        "1. The secretariat prepared this note for the meeting of the Parties,",
        "which will consider it.",
    ]


def test_columns_are_read_one_after_the_other(pdfs: dict[str, Path]) -> None:
    doc = read(pdfs["two-columns"])
    left, right = make_pdfs.TWO_COLUMNS
    assert [line.text for line in doc.lines()] == ["A Title Across Both Columns"] + [t for t in left + right if t]
    assert [line.blank_before for line in doc.lines()] == [False, True, False, False, True, False, True, False, False, True]


def test_numbered_paragraphs_and_items_of_a_decision(pdfs: dict[str, Path]) -> None:
    doc = read(pdfs["cop-decision"])
    assert body(doc, 1) == [
        (False, "1. Welcomes the progress made in the implementation of the programme of work;"),
        (True, "2. Takes note of the report of the Executive Secretary on the indicators;"),
        (True, "3. Invites Parties:"),
        (True, "(a) To use the indicators in their national reports;"),
        (True, "(b) To share data with the secretariat;"),
        (True, "(c) To identify gaps in monitoring;"),
        (True, "(d) To report on progress at the next meeting;"),
        (True, "4. Requests the Executive Secretary to compile the information received"),
        (False, "and to make it available before the next meeting;"),
        (True, "5. Decides to review the indicators at its sixteenth meeting, taking into"),
        (False, "account the work of the subsidiary body."),
    ]


# ------------------------------------------------------------------------ furniture


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "cop-decision",
            [
                (p, kind, text)
                for p in (1, 2, 3)
                for kind, text in (("header", "XX/COP/DEC/14/30"), ("page-number", f"{p + 6}/40"))
            ],
        ),
        (
            "borderless",
            [
                (p, kind, text)
                for p in (1, 2)
                for kind, text in (("header", "XYZ/StC12/Doc.3"), ("page-number", f"Page {p}"))
            ],
        ),
        ("broken-ruled", [(1, "page-number", "1"), (2, "page-number", "2")]),
    ],
)
def test_page_furniture(pdfs: dict[str, Path], name: str, expected: list[tuple[int, str, str]]) -> None:
    doc = read(pdfs[name])
    kinds = ("header", "footer", "page-number")
    assert [(line.page, line.furniture, line.text) for line in doc.lines() if line.furniture in kinds] == expected


def test_seed_furniture_and_letterhead() -> None:
    doc = read(SEED)
    furniture = Counter((line.furniture, line.text) for line in doc.lines() if line.furniture)
    assert furniture == Counter(
        {("header", "Annex 1"): 6, ("table-header", "Activity"): 4, ("table-header", "Timeframe"): 4}
        | {("page-number", str(n)): 1 for n in range(2, 9)}
    )
    assert [line.text for line in doc.pages[0].lines[:8]] == [
        "CMS",
        "CONVENTION ON",
        "MIGRATORY",
        "SPECIES",
        "Distribution: General",
        "UNEP/CMS/StC38/Doc.4",
        "5 October 2011",
        "Original: English",
    ]


def test_borderless_seed_marks_its_running_header_but_not_the_letterhead_symbol() -> None:
    doc = read(CORPUS / "UNEP-CMS-StC38-Doc4-borderless.pdf")
    symbol = [(line.page, line.furniture) for line in doc.lines() if line.text == "UNEP/CMS/StC38/Doc.4"]
    assert symbol == [(1, None)] + [(page, "header") for page in range(2, 9)]
    assert [line.text for line in doc.lines() if line.furniture == "page-number"] == [f"Page {n}" for n in range(2, 9)]


# ------------------------------------------------------------------------ document text


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
@pytest.mark.parametrize("name", ["UNEP-CMS-StC38-Doc4.pdf", "aewa-ramsar-jwp-2019.pdf"])
def test_lines_point_into_the_document_text(name: str, engine: str) -> None:
    path = CORPUS / name
    doc = read_source(str(path), path.read_bytes(), ReadOptions(engine=engine))
    pages = doc.text.split("\f")
    assert len(pages) == len(doc.pages)
    for page, text in zip(doc.pages, pages, strict=True):
        assert text == "\n".join(line.text for line in page.lines)
    for index, line in enumerate(doc.lines()):
        assert line.index == index
        assert doc.text[line.start : line.end] == line.text
        assert line.bbox is not None and line.words and line.size
    assert (doc.format, doc.engine, doc.warnings) == ("pdf", engine, [])
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_line_fonts() -> None:
    doc = read(SEED)
    styled = {line.text: (line.bold, line.italic, line.size) for line in doc.lines()}
    assert styled["Background"] == (True, False, 10.5)
    assert styled["Natural Habitats:"] == (False, True, 10.5)
    assert styled["2012-14"] == (False, False, 10.5)


# ------------------------------------------------------------------------ glyphs


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("ﬁnance", "finance"),
        ("eﬀort", "effort"),
        ("a\u00a0b", "a b"),
        ("(cid:127)", "•"),
        ("x(cid:183)y", "x·y"),
        ("(cid:999)", "\ufffd"),
        ("plain", "plain"),
    ],
)
def test_glyphs_are_normalized(raw: str, clean: str, rules: Rules) -> None:
    assert Glyphs(rules.glyphs).clean(raw) == clean


def test_bullet_glyphs_map_and_unknown_ones_warn(rules: Rules) -> None:
    """pdfminer prints the seed's bullets as (cid:127): glyphs.json maps them; PDFium decodes them itself."""
    assert "• climate change;" in read(SEED, engine="pdfplumber").text.split("\n")
    bare = rules.model_copy(update={"glyphs": GlyphsFile(cid={})})
    doc = read(SEED, bare, engine="pdfplumber")
    assert "\ufffd climate change;" in doc.text.split("\n")
    assert [(w.code, w.where) for w in doc.warnings] == [("unknown-glyph", str(SEED))]
    assert "(cid:127)" in doc.warnings[0].message
    native = read(SEED, bare, engine="pdfium")
    assert ("• climate change;" in native.text.split("\n"), native.warnings) == (True, [])


# ------------------------------------------------------------------------ the corpus


def _tokens(text: str) -> Counter[str]:
    """Words, with words broken at a hyphen or before a superscript joined again."""
    words: list[str] = []
    for word in text.split():
        if words and ((words[-1].endswith("-") and len(words[-1]) > 1) or (word == "th" and words[-1].isdigit())):
            words[-1] += word
        else:
            words.append(word)
    return Counter(words)


@pytest.mark.parametrize(
    ("pdf", "dump"),
    [
        ("UNEP-CMS-StC38-Doc4.pdf", "UNEP-CMS-StC38-Doc4.txt"),
        ("UNEP-CMS-StC38-Doc4-borderless.pdf", "UNEP-CMS-StC38-Doc4.txt"),
        ("aewa-ramsar-jwp-2019.pdf", "aewa-ramsar-jwp-2019.txt"),
        ("versions/UNEP-CMS-StC44-JWP-2015.pdf", "versions/UNEP-CMS-StC44-JWP-2015.txt"),
    ],
)
def test_same_words_as_the_text_dump(pdf: str, dump: str) -> None:
    doc = read(CORPUS / pdf)
    content = _tokens(" ".join(line.text for line in doc.lines() if line.furniture is None))
    furniture = _tokens(" ".join(line.text for line in doc.lines() if line.furniture))
    printed = _tokens((CORPUS / dump).read_text(encoding="utf-8"))
    assert content - printed == Counter()
    assert set(printed - content) <= set(furniture)


def _table(doc: LayoutDocument) -> tuple[dict[str, str], list[tuple[str, str]], list[str]]:
    """Activity number -> timeframe; spanning section rows (number, title); theme rows."""
    rows: dict[int, dict[str, list[str]]] = {}
    for line in doc.lines():
        if line.row is not None and line.furniture is None:
            rows.setdefault(line.row, {}).setdefault(line.column or "", []).append(line.text)
    timeframes: dict[str, str] = {}
    sections: list[tuple[str, str]] = []
    themes: list[str] = []
    for cells in rows.values():
        text = " ".join(cells.get("number", []) + cells.get("activity", []))
        if (activity := ACTIVITY_NUMBER.match(text)) is not None:
            timeframes[activity.group(1)] = " ".join(cells.get("timeframe", []))
        elif (section := SECTION_NUMBER.match(text)) is not None and set(cells) == {"activity"}:
            sections.append((section.group(1), section.group(2)))
        elif text.endswith(":") and set(cells) == {"activity"}:
            themes.append(text.rstrip(":"))
    return timeframes, sections, themes


@pytest.mark.parametrize(
    ("pdf", "key"),
    [
        ("UNEP-CMS-StC38-Doc4.pdf", "UNEP-CMS-StC38-Doc4.gold.json"),
        ("UNEP-CMS-StC38-Doc4-borderless.pdf", "UNEP-CMS-StC38-Doc4.gold.json"),
        ("aewa-ramsar-jwp-2019.pdf", "aewa-ramsar-jwp-2019.gold.json"),
    ],
)
def test_table_rows_tie_cells_like_the_answer_key(pdf: str, key: str) -> None:
    gold = json.loads((GOLD / key).read_text(encoding="utf-8"))
    timeframes, sections, themes = _table(read(CORPUS / pdf))
    assert timeframes == {a["number"]: a["timeframe"]["text"] for a in gold["activities"]}
    assert sections == [(s["number"], s["title"]) for s in gold["sections"]]
    assert themes == list(dict.fromkeys(a["theme"] for a in gold["activities"] if a["theme"]))


def test_later_version_table() -> None:
    timeframes, sections, themes = _table(read(CORPUS / "versions" / "UNEP-CMS-StC44-JWP-2015.pdf"))
    assert len(timeframes) == 23 and all(re.fullmatch(r"2015-1[67]", t) for t in timeframes.values())
    assert [number for number, _ in sections] == ["1", "2", "3", "4", "5", "6"]
    assert themes == ["Natural Habitats", "Invasive alien species", "Protected areas", "Threatened species"]


def _word(text: str, x0: float, top: float = 100.0) -> Word:
    return Word(text, x0, top, x0 + 5 * len(text), top + 10, "F", 10.0)


@pytest.mark.parametrize(
    ("mark", "expected"),
    [
        pytest.param((60, 103, 64, 107), ["•", "item", "text"], id="just left of a word on its line"),
        pytest.param((40, 103, 44, 107), ["item", "text"], id="too far left"),
        pytest.param((60, 130, 64, 134), ["item", "text"], id="on another line"),
        pytest.param((90, 103, 94, 107), ["item", "•", "text"], id="before the nearest word right of it"),
    ],
)
def test_drawn_bullets_print_as_bullets(mark: tuple[float, float, float, float], expected: list[str]) -> None:
    words = _drawn_bullets([_word("item", 70), _word("text", 95)], [mark])
    assert [w.text for w in sorted(words, key=lambda w: w.x0)] == expected
