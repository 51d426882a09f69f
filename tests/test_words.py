"""Characters to words: cut as pdfplumber's ``extract_words`` cuts the same characters."""

from __future__ import annotations

from typing import Any

import pytest
from pdfplumber.utils import extract_words

from jwpextract.sources.words import Char, words


def char(text: str, x0: float, top: float = 100.0, font: str = "F", size: float = 10.0) -> Char:
    return ((font, size), text, x0, top, x0 + 5, top + size)


def plumber_words(chars: list[Char | None]) -> list[str]:
    """pdfplumber's words of the same characters (a mirrored one: not upright, dropped with its word)."""
    objects: list[dict[str, Any]] = []
    for c in chars:
        (font, size), text, x0, top, x1, bottom = c if c is not None else (("F", 10.0), "m", 500, 100.0, 505, 110.0)
        box = {"x0": x0, "top": top, "x1": x1, "bottom": bottom, "doctop": top, "width": x1 - x0, "height": bottom - top}
        objects.append({"text": text, "fontname": font, "size": size, "upright": c is not None, **box})
    found = extract_words(objects, extra_attrs=["fontname", "size"])
    return [w["text"] for w in found if w["upright"]]


WORD_CUTS = {
    "touching": ([char("a", 0), char("b", 5)], ["ab"]),
    "space": ([char("a", 0), char(" ", 5), char("b", 10)], ["a", "b"]),
    "gap within tolerance": ([char("a", 0), char("b", 8)], ["ab"]),
    "gap over tolerance": ([char("a", 0), char("b", 8.5)], ["a", "b"]),
    "x order within a line": ([char("b", 5), char("a", 0)], ["ab"]),
    "overprinted: x order": ([char("a", 0), char("b", 5), char("c", 2)], ["acb"]),
    "lines by top": ([char("a", 0, 100), char("b", 5, 130), char("c", 10, 100)], ["a", "c", "b"]),
    "tops chain within tolerance": ([char("a", 0, 100), char("b", 5, 102), char("c", 10, 104)], ["abc"]),
    "run per font": ([char("a", 0), char("b", 5, font="G")], ["a", "b"]),
    "run per size": ([char("a", 0), char("b", 5, size=7.0)], ["a", "b"]),
    "runs in content order": ([char("a", 0), char("b", 5, font="G"), char("c", 10)], ["a", "b", "c"]),
    "mirrored char ends a run": ([char("a", 0), None, char("b", 5)], ["a", "b"]),
}


@pytest.mark.parametrize(("chars", "expected"), list(WORD_CUTS.values()), ids=list(WORD_CUTS))
def test_words_are_cut_like_pdfplumber(chars: list[Char | None], expected: list[str]) -> None:
    assert [w.text for w in words(chars)] == expected
    assert plumber_words(chars) == expected


def test_a_word_keeps_its_font_size_and_box() -> None:
    (word,) = words([char("a", 0, 100), char("b", 5, 101)])
    assert (word.text, word.fontname, word.size) == ("ab", "F", 10.0)
    assert (word.x0, word.top, word.x1, word.bottom) == (0, 100, 10, 111)
