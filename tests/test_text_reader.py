from __future__ import annotations

import pytest

from jwpextract.errors import SourceError
from jwpextract.rules import Rules
from jwpextract.sources import read_source
from jwpextract.sources.monospace import CHAR_WIDTH, LINE_HEIGHT, laid_out, raw_pages
from jwpextract.sources.text import decode, read_text, split_lines


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\nb", [(1, "a", 0, False), (1, "b", 2, False)]),
        ("a\n\n  b  \n", [(1, "a", 0, False), (1, "b", 5, True)]),
        ("a\n\fb\n", [(1, "a", 0, False), (2, "b", 3, False)]),
        ("a\fb", [(1, "a", 0, False), (2, "b", 2, False)]),
        ("\n\n x", [(1, "x", 3, True)]),
    ],
)
def test_split_lines_keeps_pages_offsets_and_blank_lines(text: str, expected: list) -> None:
    lines = [line for page in split_lines(text) for line in page.lines]
    assert [(li.page, li.text, li.start, li.blank_before) for li in lines] == expected
    assert all(text[li.start : li.end] == li.text for li in lines)


@pytest.mark.parametrize(
    ("data", "text", "encoding", "warned"),
    [
        ("Convention’s plan".encode(), "Convention’s plan", "utf-8", False),
        (b"\xef\xbb\xbfplan", "plan", "utf-8", False),
        ("Fran\u00e7ais".encode("latin-1"), "Fran\u00e7ais", "cp1252", True),
    ],
)
def test_decode_utf8_or_declared_fallback(data: bytes, text: str, encoding: str, warned: bool) -> None:
    decoded, used, warnings = decode("x.txt", data)
    assert (decoded, used, bool(warnings)) == (text, encoding, warned)
    if warned:
        assert warnings[0].code == "encoding-fallback"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("x.txt", b"", "empty file"),
        ("x.txt", b"\x00\x01\x02binary", "not text (binary data)"),
        ("x.pdf", b"just text", "not a PDF (no %PDF signature)"),
    ],
)
def test_bad_text_sources_are_rejected(name: str, data: bytes, reason: str) -> None:
    with pytest.raises(SourceError) as err:
        read_source(name, data)
    assert err.value.reason == reason


LAID_OUT_TABLE = "\n".join(["Activity       Timeframe"] + [f"{k}.1 Do task {k}      20{20 + k}" for k in range(1, 6)])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(LAID_OUT_TABLE, True, id="columns in gutters"),
        pytest.param(LAID_OUT_TABLE.replace("      ", "  "), False, id="two spaces are no gutter"),
        pytest.param("\n".join(["One line of prose."] * 60 + LAID_OUT_TABLE.split("\n")), False, id="rows in prose"),
        pytest.param("Activity\tTimeframe\n" * 6, True, id="tabs"),
    ],
)
def test_laid_out(text: str, expected: bool) -> None:
    assert laid_out(text) is expected


def test_laid_out_words_are_placed_by_column_and_line() -> None:
    (page,) = raw_pages("ab  cd\n    ef")
    assert [(w.text, w.x0 / CHAR_WIDTH, w.x1 / CHAR_WIDTH, w.top / LINE_HEIGHT) for w in page.words] == [
        ("ab", 0, 2, 0),
        ("cd", 4, 6, 0),
        ("ef", 4, 6, 1),
    ]


def test_a_laid_out_text_is_read_by_position(rules: Rules) -> None:
    doc = read_text("t.txt", LAID_OUT_TABLE.encode(), rules)
    assert doc.format == "text"
    assert [(line.column, line.text) for line in doc.lines()][:3] == [
        ("activity", "Activity"),
        ("timeframe", "Timeframe"),
        ("activity", "1.1 Do task 1"),
    ]
