from __future__ import annotations

import pytest

from jwpextract.errors import SourceError
from jwpextract.sources import read_source
from jwpextract.sources.text import decode, split_lines


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
