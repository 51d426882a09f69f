"""Numbers as references print them: roman sessions, ordinals in words, session numbers."""

from __future__ import annotations

import re

from ..rules import Rules

ROMAN_DIGITS = [
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
]  # fmt: skip
SESSION_DIGITS = 4
"""Sessions printed in figures have at most this many: "2013" in ECOSOC's "2013/18" is a session, "20130" is not."""
MEETING_DIGITS = 3
"""Meetings are numbered with at most this many figures: "COP 2012" is no meeting, nor the year of "FCCC/CP/2019"."""


def int_to_roman(number: int) -> str:
    """1 -> "I", 13 -> "XIII"."""
    if number < 1:
        raise ValueError(f"no roman numeral for {number}")
    out = []
    for value, digits in ROMAN_DIGITS:
        count, number = divmod(number, value)
        out.append(digits * count)
    return "".join(out)


def roman_to_int(text: str) -> int:
    """ "XIII" -> 13; ValueError unless ``text`` is a well-formed upper-case roman numeral."""
    total, rest = 0, text
    for value, digits in ROMAN_DIGITS:
        while rest.startswith(digits):
            total += value
            rest = rest[len(digits) :]
    if not text or rest or int_to_roman(total) != text:
        raise ValueError(f"not a roman numeral: {text!r}")
    return total


def ordinal_number(text: str, rules: Rules) -> int | None:
    """An ordinal written in words ("eleventh" -> 11, "Twenty-first" -> 21, "twenty first" -> 21), or None."""
    refs = rules.references
    *tens, unit = re.split(r"[\s-]+", text.strip().lower())
    value = refs.ordinal_words.get(unit)
    if value is None or len(tens) > 1:
        return None
    if not tens:
        return value
    ten = refs.ordinal_tens.get(tens[0])
    return ten + value if ten is not None and value < 10 else None


def session_number(text: str) -> int | None:
    """A session printed in arabic (at most ``SESSION_DIGITS`` figures) or roman figures, or None."""
    if text.isdigit():
        return int(text) if len(text) <= SESSION_DIGITS and int(text) else None
    try:
        return roman_to_int(text)
    except ValueError:
        return None
