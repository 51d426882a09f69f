"""Hostile and unlucky inputs: each gives a named error or a plan, never an internal error.

In process: the readers and the PDF preflight on hand-written PDFs (tests/fixtures/hostile.py) and
odd encodings. The same files through the CLI, under a memory cap, are in tests/test_limits.py.
"""

from __future__ import annotations

import codecs
import time
from collections.abc import Callable

import pytest

from jwpextract.errors import SourceError
from jwpextract.pipeline import extract_bytes
from jwpextract.rules import Rules
from jwpextract.sources import ReadOptions, pdfium, preflight, read_source
from jwpextract.sources.text import decode

from .conftest import CORPUS
from .fixtures import hostile

ENGINES = ("pdfium", "pdfplumber")


FORMS = "nested form XObjects expand past 256 MB to parse on page 1"
BOMB = "decompression bomb: stream 4 inflates past 256 MB"


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        pytest.param(hostile.nested_forms, FORMS, id="nested-forms"),
        pytest.param(hostile.self_drawing_form, FORMS, id="form-cycle"),
        pytest.param(lambda: hostile.inflating_stream(300 << 20), BOMB, id="bomb"),
        pytest.param(lambda: hostile.inflating_stream(300 << 20, layers=2), BOMB, id="bomb-deflated-twice"),
        pytest.param(hostile.no_pages, "no pages", id="no-pages"),
    ],
)
@pytest.mark.parametrize("engine", ENGINES)
def test_hostile_pdfs_are_refused_before_the_engine_expands_them(
    make: Callable[[], bytes], reason: str, engine: str
) -> None:
    data = make()
    started = time.monotonic()
    with pytest.raises(SourceError) as failure:
        read_source("hostile.pdf", data, ReadOptions(engine=engine))
    assert failure.value.reason == reason
    assert time.monotonic() - started < 30


@pytest.mark.parametrize(
    ("make", "ok"),
    [
        pytest.param(lambda: hostile.nested_forms(levels=6, fanout=8), True, id="8**5-drawings-of-a-tiny-form"),
        pytest.param(lambda: hostile.nested_forms(levels=7, fanout=8), False, id="8**6-drawings"),
        pytest.param(lambda: hostile.self_drawing_form(fanout=1), True, id="a-cycle-drawn-once-per-level"),
        pytest.param(lambda: hostile.inflating_stream(200 << 20), True, id="200-MB-stream"),
    ],
)
def test_preflight_limits(make: Callable[[], bytes], ok: bool) -> None:
    data = make()
    if ok:
        preflight.check_pdf("p.pdf", data, None, 10)
    else:
        with pytest.raises(SourceError, match="nested form XObjects expand past"):
            preflight.check_pdf("p.pdf", data, None, 10)


def test_pdfium_refuses_a_page_of_too_many_objects_and_enters_forms_40_deep(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdfium, "MAX_OBJECTS", 5000)  # 1,000,000 in use: the same, a little slower
    with pytest.raises(SourceError) as failure:
        read_source("wide.pdf", hostile.wide_form(draws=60, squares=100), ReadOptions(engine="pdfium"))
    assert failure.value.reason == "more than 5,000 objects on page 1 (forms drawn included)"
    read_source("fits.pdf", hostile.wide_form(draws=40, squares=100), ReadOptions(engine="pdfium"))
    deep = read_source("deep.pdf", hostile.nested_forms(levels=100, fanout=1), ReadOptions(engine="pdfium"))
    assert "Joint work plan" in deep.text


def test_preflight_passes_every_corpus_pdf() -> None:
    for path in sorted(CORPUS.rglob("*.pdf")):
        preflight.check_pdf(str(path), path.read_bytes(), None, 2000)


@pytest.mark.parametrize("engine", ENGINES)
def test_lone_surrogates_become_replacement_characters_with_a_warning(engine: str, rules: Rules) -> None:
    plan = extract_bytes("s.pdf", hostile.lone_surrogates(), rules, ReadOptions(engine=engine))
    plan.model_dump_json()  # encodable
    text = read_source("s.pdf", hostile.lone_surrogates(), ReadOptions(engine=engine)).text
    assert not any(0xD800 <= ord(char) <= 0xDFFF for char in text)
    assert "The Secretariats" in text
    if "\ufffd" in text:  # PDFium keeps the mapped code points; pdfminer drops them
        assert [w.code for w in plan.warnings] == ["lone-surrogate", "masthead-not-found"]  # the snippet has no masthead


def test_pdfplumber_malformed_pdf_is_a_named_error() -> None:
    with pytest.raises(SourceError) as failure:
        read_source("box.pdf", hostile.bad_media_box(), ReadOptions(engine="pdfplumber"))
    assert failure.value.reason == "truncated or corrupt PDF"


PLAN = "1.1 The Secretariats will cooperate on sites \U0001f426 and wetlands.\n"


@pytest.mark.parametrize(
    ("data", "encoding", "text"),
    [
        pytest.param(PLAN.encode("utf-16"), "utf-16", PLAN, id="utf-16-native"),
        pytest.param(codecs.BOM_UTF16_BE + PLAN.encode("utf-16-be"), "utf-16", PLAN, id="utf-16-be"),
        pytest.param(codecs.BOM_UTF16_LE + PLAN.encode("utf-16-le"), "utf-16", PLAN, id="utf-16-le"),
        pytest.param(codecs.BOM_UTF32_LE + PLAN.encode("utf-32-le"), "utf-32", PLAN, id="utf-32-le"),
        pytest.param(codecs.BOM_UTF32_BE + PLAN.encode("utf-32-be"), "utf-32", PLAN, id="utf-32-be"),
        pytest.param(
            codecs.BOM_UTF16_LE + "a\ud800b".encode("utf-16-le", "surrogatepass"), "utf-16", "a\ufffdb", id="lone"
        ),
    ],
)
def test_text_with_a_byte_order_mark_is_decoded_by_it(data: bytes, encoding: str, text: str) -> None:
    decoded, used, warnings = decode("x.txt", data)
    assert (decoded, used) == (text, encoding)
    assert [w.code for w in warnings] == (["lone-surrogate"] if "\ufffd" in text else [])


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (codecs.BOM_UTF16_LE + b"a\x00b", "not text (invalid UTF-16 at byte 4)"),
        (codecs.BOM_UTF16_LE + "\x01\x02\x03\x04".encode("utf-16-le"), "not text (binary data)"),
        (codecs.BOM_UTF32_LE + b"\xff\xff\xff\xff", "not text (invalid UTF-32 at byte 4)"),
        ("plan".encode("utf-16-le"), "not text (binary data)"),  # no mark: NUL bytes
    ],
)
def test_bad_utf16_and_utf32(data: bytes, reason: str) -> None:
    with pytest.raises(SourceError) as failure:
        decode("x.txt", data)
    assert failure.value.reason == reason


def test_a_utf16_plan_extracts_like_its_utf8_original(rules: Rules) -> None:
    source = (CORPUS / "UNEP-CMS-StC38-Doc4.txt").read_text(encoding="utf-8")
    utf8 = extract_bytes("p.txt", source.encode("utf-8"), rules)
    utf16 = extract_bytes("p.txt", source.encode("utf-16"), rules)
    assert [a.text for a in utf16.activities()] == [a.text for a in utf8.activities()]
    assert utf16.source.encoding == "utf-16"
