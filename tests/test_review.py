"""The review page's stages: offsets to boxes, the view data, the text pieces, the HTML, the command."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jwpextract.layout import Line, Word
from jwpextract.models import Furniture, Provenance
from jwpextract.outputs.review import ReviewOptions, review_html, review_path
from jwpextract.outputs.review.locate import TextIndex, furniture_places, union, word_spans
from jwpextract.outputs.review.page import script_json
from jwpextract.outputs.review.pages import render_pages
from jwpextract.outputs.review.textview import segments, text_html
from jwpextract.outputs.review.view import KINDS, Element, View, build_view
from jwpextract.pipeline import extract_layout
from jwpextract.rules import Rules
from jwpextract.sources import read_source

from .conftest import CORPUS, TESTDATA

SEED_PDF = CORPUS / "UNEP-CMS-StC38-Doc4.pdf"
SEED_TXT = CORPUS / "UNEP-CMS-StC38-Doc4.txt"
BAD = TESTDATA / "bad"
KB = 1024


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "jwpextract", *args], capture_output=True, text=True, check=False, cwd=cwd)


def placed_line(text: str, start: int, index: int = 0, top: float = 100.0, page: int = 1) -> Line:
    """A line whose words are 6 points a character, one space (6 points) between them."""
    words, x = [], 50.0
    for token in text.split(" "):
        words.append(Word(token, x, top, x + 6 * len(token), top + 10))
        x += 6 * (len(token) + 1)
    return Line(text, page, index, start, bbox=(50.0, top, x - 6, top + 10), words=words)


def two_lines() -> TextIndex:
    first = placed_line("Recalling resolution 8.11 of", 0)
    second = placed_line("the Conference, and", first.end + 1, index=1, top=120.0)
    return TextIndex([first, second], first.text + "\n" + second.text)


# --- offsets to boxes

BOXES = {
    "one word": ((10, 20), [(1, 50 + 6 * 10, 100.0, 50 + 6 * 20, 110.0)]),
    "two words": ((10, 25), [(1, 50 + 6 * 10, 100.0, 50 + 6 * 25, 110.0)]),
    "part of a word: the whole word": ((12, 14), [(1, 50 + 6 * 10, 100.0, 50 + 6 * 20, 110.0)]),
    "over a line break": ((21, 33), [(1, 50 + 6 * 21, 100.0, 50 + 6 * 28, 110.0), (1, 50.0, 120.0, 50 + 6 * 3, 130.0)]),
    "the space between words only": ((9, 10), []),
    "past the text": ((500, 510), []),
}


@pytest.mark.parametrize(("span", "expected"), list(BOXES.values()), ids=list(BOXES))
def test_a_range_of_the_text_maps_to_the_boxes_of_its_words(span: tuple[int, int], expected: list[tuple]) -> None:
    assert two_lines().boxes(*span) == expected


def test_word_spans_follow_the_line_text_and_skip_words_it_does_not_hold() -> None:
    line = placed_line("a bb ccc", 100)
    line.words.insert(1, Word("zz", 0, 0, 1, 1))
    assert [(s, e) for s, e, *_ in word_spans(line)] == [(100, 101), (102, 104), (105, 108)]


def test_union_is_one_rectangle_per_page_in_order_of_appearance() -> None:
    rects = [(2, 10.0, 10.0, 20.0, 20.0), (1, 0.0, 5.0, 1.0, 6.0), (2, 5.0, 30.0, 15.0, 40.0)]
    assert union(rects) == [(2, 5.0, 10.0, 20.0, 40.0), (1, 0.0, 5.0, 1.0, 6.0)]


def test_furniture_is_found_by_page_and_text_each_line_once() -> None:
    lines = [placed_line("Annex 1", 0), placed_line("Annex 1", 8, 1, top=700.0), placed_line("Annex 1", 16, 2, page=2)]
    index = TextIndex(lines, "Annex 1\nAnnex 1\fAnnex 1")
    entries = [Furniture(kind="header", text="Annex 1", page=1)] * 2 + [
        Furniture(kind="header", text="Annex 1", page=2),
        Furniture(kind="footer", text="Annex 1", page=3),
    ]
    places = furniture_places(index, entries)
    assert [spans for _, spans in places] == [[(0, 7)], [(8, 15)], [(16, 23)], []]
    assert places[1][0] == [(1, 50.0, 700.0, 92.0, 710.0)]


def test_an_element_is_its_own_lines_even_when_they_read_out_of_order() -> None:
    texts = ["1.1 Do this:", "2012", "(a) and that", "2013", "1.2 Other"]
    lines, start = [], 0
    for k, text in enumerate(texts):
        lines.append(Line(text, 1, k, start))
        start += len(text) + 1
    index = TextIndex(lines, "\n".join(texts))
    # the row's text, its item, then its cell; the cell (line 1) stands before the item (line 2)
    provenance = Provenance(lines=(0, 1), start=4, end=lines[2].end, source_text="1.1 Do this:\n(a) and that\n2012")
    assert index.line_spans(provenance) == [(0, lines[2].end)]
    unknown = Provenance(lines=(0, 0), start=4, end=12, source_text="not printed here")
    assert index.line_spans(unknown) == [(4, 12)]


# --- text pieces

PIECES = {
    "nested": (10, [(0, 10), (2, 4)], [(0, 2, [0]), (2, 4, [0, 1]), (4, 10, [0])]),
    "overlapping": (6, [(0, 4), (2, 6)], [(0, 2, [0]), (2, 4, [0, 1]), (4, 6, [1])]),
    "gaps stay uncovered": (6, [(2, 3)], [(0, 2, []), (2, 3, [0]), (3, 6, [])]),
    "outermost first": (4, [(1, 2), (0, 4)], [(0, 1, [1]), (1, 2, [1, 0]), (2, 4, [1])]),
    "clipped to the text": (3, [(2, 9)], [(0, 2, []), (2, 3, [0])]),
}


def spanned(spans: list[tuple[int, int]], kind: str = "activity") -> list[Element]:
    return [Element(f"e{k}", kind, "", -1, "", spans=[span]) for k, span in enumerate(spans)]


@pytest.mark.parametrize(("length", "spans", "expected"), list(PIECES.values()), ids=list(PIECES))
def test_text_pieces_name_the_elements_covering_them(length: int, spans: list, expected: list) -> None:
    assert segments(length, spanned(spans)) == expected


@given(st.integers(0, 60), st.lists(st.tuples(st.integers(0, 70), st.integers(0, 70)), max_size=12))
def test_text_pieces_partition_the_text_and_cover_each_element_exactly(length: int, pairs: list) -> None:
    elements = spanned([(min(a, b), max(a, b)) for a, b in pairs])
    pieces = segments(length, elements)
    starts, ends = [p[0] for p in pieces], [p[1] for p in pieces]
    assert starts[1:] == ends[:-1] and all(s < e for s, e in zip(starts, ends, strict=True))
    assert (starts[0], ends[-1]) == (0, length) if pieces else length == 0
    for k, element in enumerate(elements):
        start, end = element.spans[0]
        covered = sum(e - s for s, e, ids in pieces if k in ids)
        assert covered == max(0, min(end, length) - start)


def test_text_html_escapes_marks_page_breaks_and_leaves_white_space_plain() -> None:
    text = "a <b>\n\fc"
    html = text_html(text, spanned([(0, 5), (5, 6), (7, 8)]))
    page_break = '<span class="pb" data-page="2">page 2</span>'
    assert html == f'<span data-s="0">a &lt;b&gt;</span>\n{page_break}<span data-s="2">c</span>'


# --- the view of real extractions


@pytest.fixture(scope="module")
def seed(rules: Rules) -> tuple:
    data = SEED_PDF.read_bytes()
    layout = read_source(str(SEED_PDF), data, None, rules)
    doc = extract_layout(layout, rules)
    return doc, layout, data, build_view(doc, layout)


def by_kind(view: View, kind: str) -> list[Element]:
    return [e for e in view.elements if e.kind == kind]


def test_the_view_holds_every_element_of_the_document_once(seed: tuple) -> None:
    doc, _, _, view = seed
    counts = {k.kind: len(by_kind(view, k.kind)) for k in KINDS}
    assert counts["plan"] == len(doc.plans) == 1
    assert counts["activity"] == len(doc.activities()) == 24
    assert counts["section"] == len(doc.plans[0].sections)
    assert counts["item"] == sum(len(a.items) for a in doc.activities())
    assert counts["timeframe"] == sum(a.timeframe is not None for a in doc.activities()) == 24
    assert counts["mention"] == sum(len(r.mentions) for r in doc.references) == 23
    assert counts["furniture"] == len(doc.furniture) == 29
    assert counts["document-paragraph"] == len(doc.paragraphs) == 11
    assert len({e.id for e in view.elements}) == len(view.elements)
    assert all(e.parent < k for k, e in enumerate(view.elements))
    assert [heading for heading, _ in view.groups][:3] == ["Plans", "Decisions", "Paragraphs"]


def test_activities_are_placed_by_their_provenance_under_their_section(seed: tuple) -> None:
    doc, _, _, view = seed
    elements = {e.id: e for e in view.elements}
    for activity in doc.activities():
        element = elements[activity.id]
        assert element.boxes == [(b.page, b.x0, b.top, b.x1, b.bottom) for b in activity.provenance.boxes]
        assert view.elements[element.parent].id == f"section:{activity.section}"
    assert elements["activity:1.1/timeframe"].boxes == [(5, *activity_cell(doc, "activity:1.1"))]


def activity_cell(doc, activity_id: str) -> tuple[float, ...]:
    box = next(a for a in doc.activities() if a.id == activity_id).provenance.boxes[-1]
    return (box.x0, box.top, box.x1, box.bottom)


def test_mentions_are_placed_on_the_words_of_their_text(seed: tuple) -> None:
    doc, layout, _, view = seed
    words = [(line.page, w) for line in layout.lines() for w in line.words]
    for reference in doc.references:
        for j, mention in enumerate(reference.mentions):
            element = next(e for e in view.elements if e.id == f"{reference.id}#mention:{j + 1}")
            assert element.boxes and {page for page, *_ in element.boxes} == {mention.page}
            inside = [
                w.text
                for page, w in words
                for p, x0, top, x1, bottom in element.boxes
                if page == p and x0 <= (w.x0 + w.x1) / 2 <= x1 and top <= (w.top + w.bottom) / 2 <= bottom
            ]
            assert "".join(inside).strip("(.,;:)") == "".join(mention.text.split()), mention  # superscripts: words too


def test_warnings_mark_the_element_they_name(seed: tuple) -> None:
    doc, _, _, view = seed
    assert [w.where for w in doc.warnings] == ["activity:5.1"]
    assert view.elements[view.warned[0]].id == "activity:5.1"
    assert view.elements[view.warned[0]].warnings == [0]


def test_a_text_source_is_viewed_by_offsets(rules: Rules) -> None:
    data = SEED_TXT.read_bytes()
    layout = read_source(str(SEED_TXT), data, None, rules)
    doc = extract_layout(layout, rules)
    view = build_view(doc, layout)
    assert view.mode == "text" and not any(e.boxes for e in view.elements)
    for activity in doc.activities():
        element = next(e for e in view.elements if e.id == activity.id)
        printed = "\n".join(layout.text[start:end] for start, end in element.spans)
        assert sorted(printed.split("\n")) == sorted(activity.provenance.source_text.split("\n"))
    timeframe = next(e for e in view.elements if e.id == "activity:2.8/timeframe")
    assert [layout.text[start:end].strip() for start, end in timeframe.spans] == ["2012-14"]
    # a table row's cells are not contiguous in the text: activity 2.8's own lines leave out 2.9's
    text_of_2_8 = [layout.text[start:end] for start, end in view.elements[timeframe.parent].spans]
    assert not any("2.9" in text for text in text_of_2_8)
    html = review_html(doc, layout, data, ReviewOptions())
    assert '<pre id="text">' in html and "<img" not in html


# --- the page


def test_script_json_cannot_close_its_script_element() -> None:
    text = script_json({"a": "</script><script>alert(1)</script>"})
    assert "</" not in text and json.loads(text) == {"a": "</script><script>alert(1)</script>"}


def test_pages_are_rendered_at_the_resolution_asked() -> None:
    data = SEED_PDF.read_bytes()
    images = list(render_pages(str(SEED_PDF), data, 144, 50))
    assert [i.number for i in images] == list(range(1, 9))
    assert abs(images[0].width - 595.28 * 2) <= 1 and abs(images[0].height - 841.89 * 2) <= 1  # A4 at 2 px a point
    assert images[0].uri.startswith("data:image/jpeg;base64,/9j/")


def test_the_page_is_self_contained_and_about_150_kb_a_page(seed: tuple) -> None:
    doc, layout, data, _ = seed
    html = review_html(doc, layout, data, ReviewOptions())
    assert not re.search(r"""(?:src|href|url)\s*[=(]\s*["']?(?:https?:|//|file:)""", html)
    assert "<link" not in html and "@import" not in html and "<script src" not in html
    assert html.count('<img src="data:image/jpeg;base64,') == 8
    per_page = len(html.encode("utf-8")) / 8 / KB
    assert 100 <= per_page <= 200, per_page
    smaller = review_html(doc, layout, data, ReviewOptions(dpi=48, quality=40))
    assert len(smaller) < len(html) / 2


# --- the commands


def test_review_command_writes_the_page_of_a_source_and_of_a_json_and_its_source(tmp_path: Path) -> None:
    run = cli("review", str(SEED_PDF), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    made = tmp_path / "UNEP-CMS-StC38-Doc4.pdf.review.html"
    assert made.is_file()
    extracted = tmp_path / "seed.json"
    assert cli("extract", str(SEED_PDF), "-o", str(extracted)).returncode == 0
    paired = tmp_path / "paired.html"
    run = cli("review", str(extracted), str(SEED_PDF), "-o", str(paired))
    assert run.returncode == 0, run.stderr
    assert paired.read_bytes() == made.read_bytes()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["seed.json", str(SEED_TXT)], 1, "was extracted from another file than"),
        ([str(SEED_PDF), str(SEED_TXT)], 2, "review takes a source, or an extracted .json and its source"),
        (["missing.pdf"], 1, "missing.pdf: no such file"),
        ([str(SEED_PDF), "--dpi", "10"], 2, "Invalid value for '--dpi'"),
        ([str(BAD / "encrypted.pdf")], 1, "encrypted.pdf: encrypted: give --password"),
        ([str(BAD / "truncated.pdf")], 1, "truncated.pdf: truncated or corrupt PDF"),
    ],
    ids=["json-of-another-source", "two-sources", "missing-source", "dpi-too-low", "encrypted", "truncated"],
)
def test_review_command_fails_in_one_line_and_writes_nothing(
    args: list[str], code: int, message: str, tmp_path: Path
) -> None:
    assert cli("extract", str(SEED_PDF), "-o", str(tmp_path / "seed.json")).returncode == 0
    run = cli("review", *args, "-o", str(tmp_path / "out.html"), cwd=tmp_path)
    assert run.returncode == code
    assert message in run.stderr
    if code == 1:
        assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr
    assert not (tmp_path / "out.html").exists()


def test_review_of_an_encrypted_pdf_with_its_password_and_of_standard_input(tmp_path: Path) -> None:
    run = cli("review", str(BAD / "encrypted.pdf"), "--password", "secret", "-o", "-")
    assert run.returncode == 0, run.stderr
    assert run.stdout.count('<img src="data:image/jpeg;base64,') == 8
    piped = subprocess.run(
        [sys.executable, "-m", "jwpextract", "review", "-"], input=SEED_TXT.read_bytes(), capture_output=True, cwd=tmp_path
    )
    assert piped.returncode == 0 and (tmp_path / "stdin.review.html").is_file()


def test_extract_review_writes_a_page_beside_each_output_in_the_workers(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    for path in (SEED_PDF, SEED_TXT):
        (src / path.name).write_bytes(path.read_bytes())
    run = cli("extract", str(src), "-o", str(out), "--review", "--workers", "2", "--quiet")
    assert run.returncode == 0, run.stderr
    pages = sorted(p.name for p in out.glob("*.review.html"))
    assert pages == ["UNEP-CMS-StC38-Doc4.pdf.review.html", "UNEP-CMS-StC38-Doc4.txt.review.html"]
    assert review_path(out / "UNEP-CMS-StC38-Doc4.pdf.json") == out / pages[0]
    again = cli("extract", str(src), "-o", str(out), "--review", "--workers", "1")
    assert again.stderr.count("skipped (up to date)") == 2
    (out / pages[1]).unlink()
    redo = cli("extract", str(src), "-o", str(out), "--review", "--workers", "1")
    assert redo.stderr.count("skipped (up to date)") == 1 and (out / pages[1]).is_file()


def test_extract_review_needs_files_to_write(tmp_path: Path) -> None:
    run = cli("extract", str(SEED_TXT), "-o", "-", "--review")
    assert run.returncode == 2 and "--review writes files" in run.stderr and not run.stdout
