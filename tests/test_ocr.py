"""OCR: Tesseract's words placed as a text layer's, page images made ready, misreadings put right, and
image-only renderings of the corpus scored against the same keys as the corpus."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pypdfium2
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, ImageDraw, ImageFont

from jwpextract.batch import JobTimeout, time_limit
from jwpextract.confidence import CODE, low_confidence_warnings
from jwpextract.errors import SourceError
from jwpextract.layout import LayoutDocument
from jwpextract.pipeline import extract_bytes, extract_layout
from jwpextract.rules import Rules
from jwpextract.sources import ReadOptions, ocr, read_source
from jwpextract.sources.misreadings import agreed_margins, numerals, symbol, symbols
from jwpextract.sources.pdf import read_pages
from jwpextract.sources.raw import RawPage, RawWord
from jwpextract.sources.scan import NOISY, noise, prepared, skew
from jwpextract.sources.tsv import BULLET, Ink, bullets, doubtful, inked, parse, raw_words, sized

from .conftest import CORPUS, GOLD, TESTDATA
from .fixtures.scans import image_only, scanned

SCORER = Path(__file__).resolve().parent / "tools" / "score.py"
SCANNED = TESTDATA / "scanned" / "scanned-no-text-layer.pdf"
HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed")


def tsv_row(text: str, box: tuple[int, int, int, int], conf: float = 96.0, line: int = 1, level: int = 5) -> str:
    left, top, width, height = box
    return f"{level}\t1\t1\t1\t{line}\t1\t{left}\t{top}\t{width}\t{height}\t{conf}\t{text}"


def ink(text: str, x0: float, top: float, x1: float, bottom: float, conf: float = 96.0, line: str = "1") -> Ink:
    return Ink(text, x0, top, x1, bottom, conf, ("1", "1", line))


def paper(width: int = 400, height: int = 200) -> np.ndarray:
    return np.full((height, width), 255, dtype=np.uint8)


def inked_paper(*inks: Ink, width: int = 1200, height: int = 400) -> np.ndarray:
    """Paper with each word's box filled with ink, stems a tenth of its height wide."""
    pixels = paper(width, height)
    for w in inks:
        stem = max(1, round((w.bottom - w.top) / 10))
        for x in range(int(w.x0), int(w.x1), 3 * stem):
            pixels[int(w.top) : int(w.bottom), x : x + stem] = 0
    return pixels


# ------------------------------------------------------------------------ TSV


def test_parse_keeps_the_words_of_level_5() -> None:
    tsv = "\n".join(
        [
            HEADER,
            tsv_row("", (0, 0, 2480, 3508), -1, level=1),
            tsv_row("", (10, 20, 300, 40), -1, level=4),
            tsv_row("Joint", (10, 20, 100, 30), 95.5),
            tsv_row("  ", (120, 20, 10, 30), 95.0),
            tsv_row("plan", (140, 20, 80, 30), 12.0, line=2),
        ]
    )
    assert parse(tsv) == [
        Ink("Joint", 10, 20, 110, 50, 95.5, ("1", "1", "1")),
        Ink("plan", 140, 20, 220, 50, 12.0, ("1", "1", "2")),
    ]


words_text = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp")), min_size=1, max_size=12)


@given(st.lists(st.tuples(words_text, st.integers(0, 3000), st.integers(0, 3000), st.integers(1, 400)), max_size=20))
def test_parse_reads_back_every_word_it_is_given(words: list[tuple[str, int, int, int]]) -> None:
    tsv = "\n".join([HEADER, *(tsv_row(text, (x, y, size, size)) for text, x, y, size in words)])
    assert [(w.text, w.x0, w.top, w.x1 - w.x0) for w in parse(tsv)] == [(t.strip(), x, y, s) for t, x, y, s in words]


SIZES = {  # word, ink height in pixels -> size in pixels (the em)
    "capitals": ("CMS", 75.0, 100.0),
    "x-height letters": ("were", 56.0, 100.0),
    "descender": ("grow", 77.0, 100.0),
    "ascender and descender": ("playing", 96.0, 100.0),
}


@pytest.mark.parametrize(("text", "height", "em"), list(SIZES.values()), ids=list(SIZES))
def test_a_words_size_comes_from_its_height_and_letters(text: str, height: float, em: float) -> None:
    assert ink(text, 0, 0, 100, height).size == pytest.approx(em)


def placed(*inks: Ink, scale: float = 0.5) -> list[RawWord]:
    """The words placed, in x order."""
    return sorted(raw_words(inked(list(inks), inked_paper(*inks)), scale), key=lambda w: w.x0)


def test_a_lines_words_share_its_size_and_baseline() -> None:
    words = placed(ink("Working", 0, 100, 150, 148), ink("group", 160, 110, 260, 148), ink("on", 270, 110, 310, 131))
    assert {(w.size, w.bottom) for w in words} == {(words[0].size, words[0].bottom)}
    assert words[0].size == pytest.approx(0.5 * 48 / (0.75 + 0.21), rel=0.02)


def test_a_merged_line_of_several_sizes_parts_by_size_and_baseline() -> None:
    """Tesseract's line holding a large logo, small letterhead words and a symbol on their own baselines."""
    logo = [ink("C", 0, 100, 40, 190), ink("M", 45, 100, 90, 190), ink("S", 95, 100, 130, 190)]
    small = [ink("SPECIES", 200, 165, 300, 180)]
    symbol_ = [ink("UNEP/CMS/StC38/Doc.4", 600, 110, 900, 150)]
    words = placed(*logo, *small, *symbol_)
    sizes = {w.text: round(w.size, 1) for w in words}
    assert sizes["C"] == sizes["M"] == sizes["S"] > 2 * sizes["UNEP/CMS/StC38/Doc.4"] > 2 * sizes["SPECIES"]
    assert len({w.bottom for w in words}) == 3


def test_a_raised_note_number_keeps_its_own_size() -> None:
    words = placed(ink("Parties", 0, 100, 150, 150), ink("3", 152, 95, 162, 115), ink("and", 170, 100, 230, 150))
    note = next(w for w in words if w.text == "3")
    assert note.size < 0.6 * words[0].size
    assert note.bottom < words[0].bottom


BULLETS = {  # a one-character word on a 40-pixel line whose baseline is at 140
    "bullet read as a cent sign": ("¢", (10, 120, 24, 134), BULLET),
    "bullet read as an e": ("e", (10, 120, 24, 134), BULLET),
    "an x-height letter is not one": ("o", (10, 118, 32, 140), "o"),
    "a dash is not one": ("-", (10, 128, 24, 131), "-"),
}


@pytest.mark.parametrize(("text", "box", "expected"), list(BULLETS.values()), ids=list(BULLETS))
def test_bullets_are_read_by_their_shape(text: str, box: tuple[int, int, int, int], expected: str) -> None:
    words = placed(ink(text, *box), ink("Secretariat", 40, 110, 250, 140))
    assert words[0].text == expected


def test_a_bullet_tesseract_left_out_is_found_on_the_image() -> None:
    word = ink("climate", 60, 110, 200, 140)  # 40 pixels to the em
    pixels = inked_paper(word)
    pixels[120:133, 30:43] = 0  # a solid blob left of it, above its baseline
    pixels[190:193, 30:43] = 0  # a dash: not a bullet's shape
    dash = ink("change", 60, 170, 200, 200, line="2")
    assert bullets(inked([word, dash], pixels), pixels) == [(30.0, 120.0, 43.0, 133.0)]


KEPT = {
    "a bar is a stretch of rule": ("|", 99.0, []),
    "underscores too": ("__", 99.0, []),
    "a sure dash stays": ("–", 90.0, ["–"]),
    "a doubtful speck goes": (";", 20.0, []),
}


@pytest.mark.parametrize(("text", "conf", "expected"), list(KEPT.values()), ids=list(KEPT))
def test_marks_without_letters_are_kept_when_sure(text: str, conf: float, expected: list[str]) -> None:
    words = placed(ink("Focal", 0, 100, 100, 140), ink(text, 120, 120, 140, 124, conf))
    assert [w.text for w in words[1:]] == expected


def test_a_word_drawn_with_wide_stems_is_bold() -> None:
    pixels = inked_paper(ink("regular", 0, 100, 200, 140))
    pixels[100:140, 300:500] = 255
    for x in range(300, 500, 15):
        pixels[100:140, x : x + 7] = 0
    words = raw_words(inked([ink("regular", 0, 100, 200, 140), ink("bold", 300, 100, 500, 140)], pixels), 0.5)
    assert [w.fontname for w in words] == ["OCR", "OCR-Bold"]


def test_sizes_are_snapped_to_the_documents() -> None:
    def word(size: float, text: str = "text") -> RawWord:
        return RawWord(text, 0, 100 - size, 10, 100, "OCR", size)

    pages = sized([[word(10.45), word(10.5, "longer text"), word(11.61)], [word(11.5, "a title line"), word(7.0)]])
    assert [[w.size for w in page] for page in pages] == [[10.5, 10.5, 11.5], [11.5, 7.0]]
    assert pages[0][0].bottom == pytest.approx(100 + 0.21 * 0.05)


def test_doubtful_words_next_to_each_other_are_read_again_together() -> None:
    words = [
        ink("UNEP/CMS/StC", 100, 10, 280, 40, 50.1),
        ink("38/Doc.4", 286, 10, 380, 40, 50.1),
        ink("General", 500, 10, 600, 40, 96.0),
        ink("msn", 100, 60, 160, 90, 0.0, line="2"),
    ]
    assert [[w.text for w in group] for group in doubtful(words, 60.0)] == [["UNEP/CMS/StC", "38/Doc.4"], ["msn"]]


# ------------------------------------------------------------------------ page images


def text_image(angle: float = 0.0, size: int = 28) -> Image.Image:
    """Lines of text (28 pixels: 10 points at 200 dpi) over a grey rule, turned by ``angle``."""
    image = Image.new("L", (1400, 1000), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size)
    for k in range(12):
        draw.text((100, 100 + 60 * k), "The Secretariats will cooperate on joint activities", fill=0, font=font)
    draw.line((100, 900, 1300, 900), fill=60, width=2)
    return image.rotate(angle, resample=Image.BICUBIC, fillcolor=255)


@pytest.mark.parametrize("angle", [0.0, 1.0, -2.3])
def test_skew_is_measured_to_a_tenth_of_a_degree(angle: float) -> None:
    assert skew(text_image(angle)) == pytest.approx(-angle, abs=0.11)


def test_rules_are_found_and_taken_out_of_what_tesseract_reads() -> None:
    scan = prepared(text_image(1.0), 200)
    (rule,) = scan.rules
    x0, top, x1, bottom = rule
    assert top == bottom and x1 - x0 > 1000
    assert np.asarray(scan.ocr)[round(top) - 1 : round(top) + 2, 200:1200].min() == 255
    assert np.asarray(scan.ocr)[100:700].min() < 100  # the text stays


def test_small_print_is_not_a_rule() -> None:
    assert [round(top) for _, top, _, _ in prepared(text_image(size=8), 200).rules] == [900]


def test_noise_is_told_from_a_clean_rendering() -> None:
    clean = text_image()
    assert noise(np.asarray(clean)) == 0.0
    assert noise(np.asarray(scanned(clean, seed=1))) > 2 * NOISY


# ------------------------------------------------------------------------ misreadings


SYMBOLS = {
    "a body one letter off": ("AEWA/SIC", "AEWA/StC"),
    "with its number": ("UNEP/CMS/StG38/Doc.4", "UNEP/CMS/StC38/Doc.4"),
    "a body near two of the convention's stays": ("UNEP/CMS/SIC38/Doc.4", "UNEP/CMS/SIC38/Doc.4"),
    "a right symbol stays": ("UNEP/CMS/StC38/Doc.4", "UNEP/CMS/StC38/Doc.4"),
    "no symbol prefix": ("ABC/SIC", "ABC/SIC"),
}


@pytest.mark.parametrize(("read", "expected"), list(SYMBOLS.values()), ids=list(SYMBOLS))
def test_symbols_bodies_are_put_right(read: str, expected: str, rules: Rules) -> None:
    assert symbol(read, rules.conventions.conventions) == expected


NUMERALS = {
    "an I read as L": ("XIIL.7", "XIII.7"),
    "an I read as a one": ("V1/20", "VI/20"),
    "in brackets": ("(V1/20)", "(VI/20)"),
    "a right numeral stays": ("XL.5", "XL.5"),
    "a number stays": ("11.5", "11.5"),
    "not a numbering": ("V1", "V1"),
}


@pytest.mark.parametrize(("read", "expected"), list(NUMERALS.values()), ids=list(NUMERALS))
def test_roman_numerals_of_numberings_are_read_right(read: str, expected: str) -> None:
    assert [w.text for w in numerals([RawWord(read, 0, 0, 10, 10, "OCR", 10.0)])] == [expected]


def test_a_symbol_read_as_two_words_is_one(rules: Rules) -> None:
    words = [RawWord("UNEP/CMS/StC", 400, 70, 460, 80, "OCR", 9.0), RawWord("38/Doc.4", 462, 70, 500, 80, "OCR", 9.0)]
    assert [w.text for w in symbols(words, rules.conventions.conventions)] == ["UNEP/CMS/StC38/Doc.4"]
    words[1].x0 = 470  # a word space apart: two words
    assert len(symbols(words, rules.conventions.conventions)) == 2


def test_repeated_margin_text_reads_alike() -> None:
    def page(*texts: str) -> tuple[float, list[RawWord]]:
        return 800.0, [RawWord(t, 500 + 40 * k, 40, 530 + 40 * k, 50, "OCR", 10.0) for k, t in enumerate(texts)]

    pages = [page("Annex", "1"), page("Annex", "I"), page("Annex", "1"), page("Annex", "1"), page("Annex", "7")]
    assert [[w.text for w in words] for words in agreed_margins(pages, 0.12)] == [["Annex", "1"]] * 4 + [["Annex", "7"]]
    numbers = [page(str(n)) for n in range(2, 7)]  # page numbers differ, digit by digit
    assert [words[0].text for words in agreed_margins(numbers, 0.12)] == ["2", "3", "4", "5", "6"]


# ------------------------------------------------------------------------ warnings


def test_doubtful_words_leave_a_warning_on_their_element(rules: Rules) -> None:
    def line(y: float, *words: tuple[str, float | None]) -> list[RawWord]:
        out, x = [], 70.0
        for text, conf in words:
            out.append(RawWord(text, x, y - 10, x + 6 * len(text), y, "OCR", 10.0, conf))
            x += 6 * len(text) + 3
        return out

    words = [
        *line(100, ("Background", 96.0)),
        *line(130, ("1.", 96.0), ("The", 96.0), ("Secretariats", 41.0), ("met.", 96.0)),
        *line(160, ("2.", 96.0), ("They", 96.0), ("agreed.", 96.0)),
    ]
    layout = read_pages("scan.pdf", [RawPage(1, 595, 842, words, [], [])], rules, sha256="0", ocr_pages=[1])
    plan = extract_layout(layout, rules)
    assert [(w.code, w.where) for w in low_confidence_warnings(layout, plan)] == [(CODE, "paragraph:1")]
    assert "'Secretariats' (page 1, 41)" in low_confidence_warnings(layout, plan)[0].message
    assert [w.where for w in plan.warnings if w.code == CODE] == ["paragraph:1"]


# ------------------------------------------------------------------------ reading scans


def test_text_pdfs_are_not_recognised(monkeypatch: pytest.MonkeyPatch) -> None:
    """``auto`` leaves pages with a text layer alone: no Tesseract needed."""
    monkeypatch.setattr(ocr, "TESSERACT", "no-such-tesseract")
    ocr._languages.cache_clear()
    path = CORPUS / "aewa-ramsar-jwp-2019.pdf"
    assert read_source(str(path), path.read_bytes()).ocr_pages == []
    ocr._languages.cache_clear()


def test_without_tesseract_a_scan_fails_saying_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "TESSERACT", "no-such-tesseract")
    ocr._languages.cache_clear()
    with pytest.raises(SourceError) as failure:
        read_source(str(SCANNED), SCANNED.read_bytes())
    ocr._languages.cache_clear()
    assert failure.value.reason == "no text layer, and Tesseract (OCR) is not installed: apt-get install tesseract-ocr"


def test_without_tesseract_a_batch_goes_on(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    cli = [sys.executable, "-m", "jwpextract", "extract", str(SCANNED), str(CORPUS / "aewa-ramsar-jwp-2019.pdf")]
    env = {**os.environ, "PATH": str(empty)}
    run = subprocess.run([*cli, "-o", str(tmp_path / "out"), "-q"], capture_output=True, text=True, env=env, check=False)
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        f"jwpextract: {SCANNED}: no text layer, and Tesseract (OCR) is not installed: apt-get install tesseract-ocr"
    ]
    assert [p.name for p in (tmp_path / "out").glob("*.pdf.json")] == ["aewa-ramsar-jwp-2019.pdf.json"]


@needs_tesseract
def test_a_language_without_data_fails_saying_how_to_install_it() -> None:
    with pytest.raises(SourceError, match=r": OCR language 'xyz' is not installed: apt-get install tesseract-ocr-xyz$"):
        read_source(str(SCANNED), SCANNED.read_bytes(), ReadOptions(ocr_lang="eng+xyz"))


@needs_tesseract
def test_the_page_limit_applies_to_scans() -> None:
    with pytest.raises(SourceError, match=r": too many pages \(3 > 2\)$"):
        read_source(str(SCANNED), SCANNED.read_bytes(), ReadOptions(max_pages=2))


@needs_tesseract
def test_the_time_limit_stops_recognition_and_its_tesseracts(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[subprocess.Popen[bytes]] = []
    popen = subprocess.Popen

    def recorded(*args: object, **kwargs: object) -> subprocess.Popen[bytes]:
        started.append(popen(*args, **kwargs))  # type: ignore[call-overload]
        return started[-1]

    monkeypatch.setattr(ocr.subprocess, "Popen", recorded)
    began = time.monotonic()
    with pytest.raises(JobTimeout), time_limit(1.0):
        read_source(str(SCANNED), SCANNED.read_bytes(), ReadOptions(ocr_jobs=1))
    assert time.monotonic() - began < 3.0
    assert started and all(process.returncode is not None for process in started)


@pytest.fixture(scope="session")
def scanned_layout() -> LayoutDocument:
    """The scanned test PDF read with the default engine (OCR: once a session)."""
    return read_source(str(SCANNED), SCANNED.read_bytes())


@needs_tesseract
def test_the_scan_extracts_as_its_key_says(scanned_layout: LayoutDocument, rules: Rules) -> None:
    """The first three pages of UNEP/CMS/StC38/Doc.4 as page images (100 dpi): symbol, date and the
    cover note's paragraphs 1-7 as in the key (../shared/testdata/README.md)."""
    plan = extract_layout(scanned_layout, rules)
    key = json.loads((GOLD / "UNEP-CMS-StC38-Doc4.gold.json").read_text(encoding="utf-8"))
    assert (plan.document.symbol, plan.document.date) == (key["document"]["symbol"], key["document"]["date"])
    paragraphs = [(p.number, p.heading) for p in plan.paragraphs][:7]
    assert paragraphs == [(p["number"], p["heading"]) for p in key["paragraphs"][:7]]
    assert plan.source.ocr_pages == [1, 2, 3]


@needs_tesseract
def test_both_engines_read_a_scan_alike(scanned_layout: LayoutDocument) -> None:
    plumber = read_source(str(SCANNED), SCANNED.read_bytes(), ReadOptions(engine="pdfplumber"))
    assert (plumber.text, plumber.ocr_pages) == (scanned_layout.text, [1, 2, 3])


@needs_tesseract
def test_auto_recognises_the_scanned_pages_of_a_mixed_pdf(tmp_path: Path) -> None:
    text_pdf = CORPUS / "aewa-ramsar-jwp-2019.pdf"
    scan = image_only(text_pdf, tmp_path / "scan.pdf")
    mixed = pypdfium2.PdfDocument.new()
    mixed.import_pages(pypdfium2.PdfDocument(text_pdf), [0])
    mixed.import_pages(pypdfium2.PdfDocument(scan), [1])
    mixed.save(tmp_path / "mixed.pdf")
    data = (tmp_path / "mixed.pdf").read_bytes()
    layout = read_source("mixed.pdf", data)
    assert layout.ocr_pages == [2]
    assert layout.text.split("\f")[0] == read_source(str(text_pdf), text_pdf.read_bytes()).text.split("\f")[0]
    assert "Flyway site networks" in layout.text.split("\f")[1]
    assert read_source("mixed.pdf", data, ReadOptions(ocr="never")).text.split("\f")[1] == ""


@needs_tesseract
def test_always_recognises_every_page(rules: Rules) -> None:
    path = CORPUS / "aewa-ramsar-jwp-2019.pdf"
    read, recognised = (extract_bytes(str(path), path.read_bytes(), rules, ReadOptions(ocr=m)) for m in ("auto", "always"))
    assert (read.source.ocr_pages, recognised.source.ocr_pages) == ([], [1, 2])
    assert [a.number for a in recognised.activities()] == [a.number for a in read.activities()]


# ------------------------------------------------------------------------ the corpus as scans

RENDERINGS = [
    (source, variant)
    for source in ("UNEP-CMS-StC38-Doc4.pdf", "UNEP-CMS-StC38-Doc4-borderless.pdf", "aewa-ramsar-jwp-2019.pdf")
    for variant in ("clean", "noisy")
]
KEYS = {"UNEP-CMS-StC38-Doc4-borderless.pdf": "UNEP-CMS-StC38-Doc4"}


@pytest.fixture(scope="session")
def scans(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The image-only renderings of the corpus PDFs (clean, and noisy and askew), extracted once."""
    folder = tmp_path_factory.mktemp("scans")
    sources = folder / "sources"
    sources.mkdir()
    for source, variant in RENDERINGS:
        image_only(CORPUS / source, sources / f"{variant}-{source}", noisy=variant == "noisy")
    cli = [sys.executable, "-m", "jwpextract", "extract", str(sources), "-o", str(folder / "out"), "-q", "--timeout", "0"]
    run = subprocess.run(cli, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    return folder / "out"


@needs_tesseract
@pytest.mark.parametrize(("source", "variant"), RENDERINGS)
def test_image_only_renderings_score_as_the_corpus(scans: Path, source: str, variant: str) -> None:
    """Every measure at least 0.95; the clean renderings at least 0.98 overall."""
    out = scans / f"{variant}-{source}.json"
    key = GOLD / f"{KEYS.get(source, source.removesuffix('.pdf'))}.gold.json"
    cli = [sys.executable, str(SCORER), str(out), str(key), "--json"]
    score = subprocess.run(cli, capture_output=True, text=True, check=False)
    result = json.loads(score.stdout)
    assert [row for row in result["rows"] if row[1] < 0.95] == []
    assert result["overall"] >= (0.98 if variant == "clean" else 0.95)
    pages = len(pypdfium2.PdfDocument(CORPUS / source))
    assert json.loads(out.read_text(encoding="utf-8"))["source"]["ocr_pages"] == list(range(1, pages + 1))

