"""The pdfium engine hands the reader what the pdfplumber engine hands it: same words, same rules,
so the same plans (coordinates aside) on the whole corpus and on the drawn test PDFs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jwpextract.errors import SourceError
from jwpextract.layout import LayoutDocument
from jwpextract.pipeline import extract_bytes
from jwpextract.rules import Rules
from jwpextract.sources import ReadOptions, pdfium, plumber, read_source
from jwpextract.sources.raw import RawPage

from .conftest import CORPUS, TESTDATA
from .fixtures import make_pdfs
from .fixtures.raw_pdf import one_page

ENGINES = ("pdfplumber", "pdfium")
SOURCES = [(path, None) for path in sorted(CORPUS.rglob("*.pdf"))] + [(TESTDATA / "bad" / "encrypted.pdf", "secret")]


def without_coordinates(value: Any) -> Any:
    """The plan's JSON without boxes (coordinates differ by engine: PDFium's font descents) and engine."""
    if isinstance(value, dict):
        return {k: without_coordinates(v) for k, v in value.items() if k not in ("boxes", "engine")}
    if isinstance(value, list):
        return [without_coordinates(v) for v in value]
    return value


@pytest.mark.parametrize(("path", "password"), SOURCES, ids=lambda v: v.name if isinstance(v, Path) else str(v))
def test_engines_give_identical_plans(path: Path, password: str | None, rules: Rules) -> None:
    docs = [
        extract_bytes(str(path), path.read_bytes(), rules, ReadOptions(engine=engine, password=password))
        for engine in ENGINES
    ]
    assert [doc.source.engine for doc in docs] == list(ENGINES)
    assert docs[0].activities(), "no activities extracted"
    first, second = (without_coordinates(doc.model_dump(mode="json", by_alias=True)) for doc in docs)
    assert second == first


LINE_FIELDS = ("page", "index", "start", "text", "blank_before", "furniture", "column", "row", "bold", "italic")


def lines(doc: LayoutDocument) -> list[tuple[Any, ...]]:
    """Every line's fields but its box (and its size to the point)."""
    return [
        (*(getattr(line, name) for name in LINE_FIELDS), round(line.size)) for page in doc.pages for line in page.lines
    ]


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_pdfs.build_all(tmp_path_factory.mktemp("drawn"))


@pytest.mark.parametrize("name", sorted(make_pdfs.BUILDERS))
def test_engines_give_identical_lines(name: str, drawn: dict[str, Path], rules: Rules) -> None:
    path = drawn[name]
    docs = [read_source(str(path), path.read_bytes(), ReadOptions(engine=engine), rules) for engine in ENGINES]
    assert docs[1].text == docs[0].text
    assert lines(docs[1]) == lines(docs[0])
    assert [len(page.rulings) for page in docs[1].pages] == [len(page.rulings) for page in docs[0].pages]


def raw(engine: Any, content: bytes, form: bytes = b"") -> RawPage:
    return next(engine.raw_pages("t.pdf", one_page(content, form), ReadOptions()))


def rounded(boxes: list[tuple[float, ...]]) -> list[tuple[float, ...]]:
    return sorted(tuple(round(v, 1) for v in box) for box in boxes)


AB = b"BT /F1 10 Tf 72 700 Td (Ab) Tj ET"
CONTENTS = {
    "space drawn on its own": (b"BT /F1 10.5 Tf 72 700 Td (\\(a\\)) Tj ( ) Tj (next) Tj ET", ["(a)", "next"]),
    "wide gap": (b"BT /F1 10 Tf 72 700 Td (Ab) Tj ET BT /F1 10 Tf 100 700 Td (cd) Tj ET", ["Ab", "cd"]),
    "font change": (b"BT /F1 10 Tf 72 700 Td (Ab) Tj /F2 10 Tf (cd) Tj ET", ["Ab", "cd"]),
    "size from the text matrix": (b"BT /F1 1 Tf 9 0 0 9 72 700 Tm (Ab cd) Tj ET", ["Ab", "cd"]),
    "size from the page matrix": (b"q 2 0 0 2 0 0 cm BT /F1 6 Tf 36 350 Td (Ab) Tj ET Q", ["Ab"]),
    "overprinted runs": (b"BT /F1 10 Tf 72 700 Td (one) Tj 10 0 Td (two) Tj ET", ["ontewo"]),
    "rotated text is dropped": (b"BT /F1 10 Tf 0.7 0.7 -0.7 0.7 200 300 Tm (Draft) Tj ET " + AB, ["Ab"]),
    "mirrored text is dropped": (b"BT /F1 10 Tf -1 0 0 1 300 680 Tm (Ab) Tj ET " + AB, ["Ab"]),
    "text in a form": (b"q 1 0 0 1 0 -20 cm /X1 Do Q", ["Ab"]),
    "hyphen at the end of a line": (b"BT /F1 10 Tf 72 700 Td (Time-) Tj 0 -12 Td (frame) Tj ET", ["Time-", "frame"]),
}
FORM = b"BT /F1 10 Tf 72 700 Td (Ab) Tj ET 72 650 m 300 650 l S"


@pytest.mark.parametrize(("content", "expected"), list(CONTENTS.values()), ids=list(CONTENTS))
def test_words_of_both_engines(content: bytes, expected: list[str]) -> None:
    words = [raw(engine, content, FORM) for engine in (plumber, pdfium)]
    assert [w.text for w in words[1].words] == expected
    assert [w.text for w in words[0].words] == expected
    for a, b in zip(words[0].words, words[1].words, strict=True):
        assert (b.fontname, round(b.size, 2)) == (a.fontname, round(a.size, 2))
        assert (b.x0, b.x1) == (pytest.approx(a.x0, abs=0.25), pytest.approx(a.x1, abs=0.25))
        assert abs(a.bottom - b.bottom) < 0.3 * a.size


GRAPHICS = {
    "line": (b"0.5 w 72 650 m 300 650 l S", [(72, 142, 300, 142)], []),
    "line closed by h": (b"72 650 m 300 650 l h S", [(72, 142, 300, 142)], []),
    "re": (b"72 600 200 30 re S", [], [(72, 162, 272, 192)]),
    "filled rectangle by lines": (b"72 600 m 272 600 l 272 630 l 72 630 l h f", [], [(72, 162, 272, 192)]),
    "open polyline is a curve": (b"72 500 m 100 500 l 100 520 l S", [], []),
    "bezier is a curve": (b"72 500 m 80 510 90 510 100 500 c S", [], []),
    "two subpaths": (b"72 400 m 200 400 l 72 380 m 200 380 l S", [(72, 392, 200, 392), (72, 412, 200, 412)], []),
    "page matrix": (b"q 2 0 0 2 0 0 cm 50 200 m 150 200 l S Q", [(100, 392, 300, 392)], []),
    "unpainted path": (b"72 650 m 300 650 l n", [], []),
    "form XObject": (b"q 1 0 0 1 0 -20 cm /X1 Do Q", [(72, 162, 300, 162)], []),
}


DISC = b"100 500 m 100 502 102 504 104 504 c 106 504 108 502 108 500 c 108 498 106 496 104 496 c 102 496 100 498 100 500 c"
MARKS = {
    "filled disc": (DISC + b" f", [(100, 288, 108, 296)]),
    "stroked disc": (DISC + b" S", []),
    "filled small square": (b"100 496 5 5 re f", [(100, 291, 105, 296)]),
    "filled big square": (b"100 496 50 50 re f", []),
    "filled thin bar": (b"100 496 8 1.5 re f", []),
}


@pytest.mark.parametrize(("content", "marks"), list(MARKS.values()), ids=list(MARKS))
def test_drawn_bullets_of_both_engines(content: bytes, marks: list[tuple[int, ...]]) -> None:
    for engine in (plumber, pdfium):
        assert rounded(raw(engine, content).marks) == rounded(marks), engine.__name__


@pytest.mark.parametrize(("content", "lines", "rects"), list(GRAPHICS.values()), ids=list(GRAPHICS))
def test_graphics_of_both_engines(content: bytes, lines: list[tuple[int, ...]], rects: list[tuple[int, ...]]) -> None:
    for engine in (plumber, pdfium):
        page = raw(engine, content, FORM)
        assert (rounded(page.lines), rounded(page.rects)) == (rounded(lines), rounded(rects)), engine.__name__


TURNED = {  # content drawn turned in user space so that the page, turned by /Rotate, reads upright
    90: b"q 0 1 -1 0 612 0 cm",
    180: b"q -1 0 0 -1 612 792 cm",
    270: b"q 0 -1 1 0 0 792 cm",
}


@pytest.mark.parametrize("rotate", list(TURNED))
def test_turned_pages_read_as_displayed(rotate: int) -> None:
    content = TURNED[rotate] + b" BT /F1 10 Tf 72 500 Td (Ab cd) Tj ET 72 480 m 300 480 l S Q"
    data = one_page(content).replace(b"/MediaBox [0 0 612 792]", b"/MediaBox [0 0 612 792] /Rotate %d" % rotate)
    pages = [next(engine.raw_pages("t.pdf", data, ReadOptions())) for engine in (plumber, pdfium)]
    for page in pages:
        assert [w.text for w in page.words] == ["Ab", "cd"]
    assert [(p.width, p.height) for p in pages] == [(792.0, 612.0) if rotate != 180 else (612.0, 792.0)] * 2
    assert rounded(pages[1].lines) == rounded(pages[0].lines)
    for a, b in zip(pages[0].words, pages[1].words, strict=True):
        assert (b.x0, b.x1) == (pytest.approx(a.x0, abs=0.25), pytest.approx(a.x1, abs=0.25))
        assert abs(a.bottom - b.bottom) < 0.3 * a.size


@pytest.mark.parametrize("box", [b"/MediaBox [0 0 612 792] /CropBox [36 36 576 756]", b"/MediaBox [-20 -30 592 762]"])
def test_pages_are_measured_by_their_media_box(box: bytes) -> None:
    data = one_page(AB).replace(b"/MediaBox [0 0 612 792]", box)
    pages = [next(engine.raw_pages("t.pdf", data, ReadOptions())) for engine in (plumber, pdfium)]
    assert [(p.width, p.height, [w.text for w in p.words]) for p in pages] == [(612.0, 792.0, ["Ab"])] * 2
    assert pages[1].words[0].top == pytest.approx(pages[0].words[0].top, abs=0.5)


def test_pdfium_reads_word_breaks_printed_as_gaps() -> None:
    """A word break printed as a kerning gap under 3 points, without a space: PDFium generates the space
    (Chromium's PDFs print every space so); pdfplumber's words glue across it, and so do the engine's."""
    content = b"BT /F1 10 Tf 72 700 Td [(Ab) -250 (cd)] TJ ET"
    assert [w.text for w in raw(pdfium, content).words] == ["Ab", "cd"]
    assert [w.text for w in raw(plumber, content).words] == ["Abcd"]


def test_wrong_password(rules: Rules) -> None:
    path = TESTDATA / "bad" / "encrypted.pdf"
    with pytest.raises(SourceError, match="wrong password"):
        read_source(str(path), path.read_bytes(), ReadOptions(engine="pdfium", password="nope"), rules)
