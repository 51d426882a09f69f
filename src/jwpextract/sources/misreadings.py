"""Misreadings of OCR put right by what else the document and the rules say.

Repeated margin text: a word printed at the same place (its left or right edge or its centre
within ``SHIFT`` points, its top too) in the top or bottom margin of several pages, a running
header's or footer's, reads the same on each. A reading that at least ``CONSENSUS`` of at least
``MIN_PAGES`` pages share replaces the other readings one character away from it, unless that
character is a digit read as another digit (page numbers differ from page to page).

Document symbols: a word that opens with a convention's symbol prefix (rules/conventions.json)
followed on its line, closer than ``SPLIT_GAP`` of the size, by a word holding a slash is one
word with it (a wide letter gap read as a space: "UNEP/CMS/StC 38/Doc.4"). In such a word, a
segment between slashes whose letters are not one of the convention's body abbreviations but one
letter away from exactly one of them is that abbreviation ("AEWA/SIC 15.12": "AEWA/StC 15.12").

Roman numerals of a numbering (a numeral, then "." or "/" and a digit: "XIII.7", "VI/20") hold
a one read as a digit, a bar or an L: a numeral that is none, but one with such characters read
as I ("XIIL.7": "XIII.7", "V1/20": "VI/20"), is that one. A numeral without a roman letter other
than I ("11.5") is a number, left alone.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from rapidfuzz.distance import Levenshtein

from ..rules import Convention
from .raw import RawWord

SHIFT = 6.0  # points
CONSENSUS = 0.6
MIN_PAGES = 3
SPLIT_GAP = 0.3  # a symbol's two halves are closer than this share of the size (a word space: 0.25 to 0.35)
BODY_LETTERS = 3  # body abbreviations of at least this many letters are put right
LETTERS = re.compile(r"[^\W\d_]++")
ONE_LIKE = "1l|!"
ROMAN = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
NUMBERED = re.compile(r"^(?P<open>\(?)(?P<numeral>[IVXLCDM1l|!]{1,12})(?P<rest>[./]\d.*+)$")

Page = tuple[float, list[RawWord]]  # height, words


def _same_place(a: RawWord, b: RawWord) -> bool:
    across = min(abs(a.x0 - b.x0), abs(a.x1 - b.x1), abs((a.x0 + a.x1) - (b.x0 + b.x1)) / 2)
    return across <= SHIFT and abs(a.top - b.top) <= SHIFT


def _close(reading: str, agreed: str) -> bool:
    """One character away from the agreed reading, and not a digit read as another digit."""
    if Levenshtein.distance(reading, agreed, score_cutoff=1) != 1:
        return False
    for kind, source, target in Levenshtein.editops(reading, agreed):
        if kind == "replace" and reading[source].isdigit() and agreed[target].isdigit():
            return False
    return True


def agreed_margins(pages: list[Page], margin: float) -> list[list[RawWord]]:
    """The pages' words with repeated margin text read alike (see the module docstring);
    ``margin``: the share of a page's height at its top and at its bottom that holds furniture."""
    places: list[list[tuple[int, int]]] = []  # (page index, word index) of the words at one place
    for p, (height, words) in enumerate(pages):
        for k, word in enumerate(words):
            if margin * height < word.bottom and word.top < (1 - margin) * height:
                continue
            place = next((g for g in places if g[-1][0] != p and _same_place(pages[g[0][0]][1][g[0][1]], word)), None)
            if place is None:
                places.append([(p, k)])
            else:
                place.append((p, k))
    out = [list(words) for _, words in pages]
    for place in places:
        if len(place) < MIN_PAGES:
            continue
        agreed, count = Counter(out[p][k].text for p, k in place).most_common(1)[0]
        if count < CONSENSUS * len(place):
            continue
        for p, k in place:
            if _close(out[p][k].text, agreed):
                out[p][k] = replace(out[p][k], text=agreed)
    return out


def _segment(segment: str, bodies: set[str]) -> str:
    found = LETTERS.match(segment)
    if found is None or len(found.group()) < BODY_LETTERS or found.group() in bodies:
        return segment
    letters = found.group()
    near = [b for b in bodies if len(b) == len(letters) and sum(x != y for x, y in zip(b, letters, strict=True)) == 1]
    return near[0] + segment[len(letters) :] if len(near) == 1 else segment


def symbol(text: str, conventions: list[Convention]) -> str:
    """``text`` with the body abbreviations of the document symbol it opens with put right."""
    for convention in conventions:
        prefix = next((p for p in convention.symbol_prefixes if text.startswith(p)), None)
        if prefix is not None:
            bodies = {form for forms in convention.bodies.values() for form in forms if form.isalpha()}
            return prefix + "/".join(_segment(segment, bodies) for segment in text[len(prefix) :].split("/"))
    return text


def _roman(found: re.Match[str]) -> str:
    numeral = found.group("numeral")
    if ROMAN.fullmatch(numeral) or not any(c in "VXLCDM" for c in numeral):
        return found.group()
    for wrong in (ONE_LIKE, ONE_LIKE + "L"):  # a one read as a digit or a bar, else as an L too
        mended = numeral.translate(str.maketrans(wrong, "I" * len(wrong)))
        if ROMAN.fullmatch(mended):
            return found.group("open") + mended + found.group("rest")
    return found.group()


def numerals(words: list[RawWord]) -> list[RawWord]:
    """The words with the roman numerals of numberings read right (see the module docstring)."""
    fixed = [NUMBERED.sub(_roman, w.text) for w in words]
    return [w if text == w.text else replace(w, text=text) for w, text in zip(words, fixed, strict=True)]


def _prefixed(text: str, conventions: list[Convention]) -> bool:
    return any(text.startswith(p) for c in conventions for p in c.symbol_prefixes)


def _joined(words: list[RawWord], conventions: list[Convention]) -> list[RawWord]:
    """The words with each symbol read as two put together (see the module docstring)."""
    out: list[RawWord] = []
    for word in words:
        last = out[-1] if out else None
        split = (
            last is not None
            and "/" in word.text
            and abs(word.bottom - last.bottom) < SPLIT_GAP * word.size
            and 0 <= word.x0 - last.x1 < SPLIT_GAP * word.size
            and _prefixed(last.text, conventions)
        )
        if split and last is not None:
            out[-1] = replace(last, text=last.text + word.text, x1=word.x1, top=min(last.top, word.top))
        else:
            out.append(word)
    return out


def symbols(words: list[RawWord], conventions: list[Convention]) -> list[RawWord]:
    """The words with the document symbols among them put right (see the module docstring)."""
    words = _joined(words, conventions)
    fixed = [symbol(w.text, conventions) if "/" in w.text else w.text for w in words]
    return [w if text == w.text else replace(w, text=text) for w, text in zip(words, fixed, strict=True)]
