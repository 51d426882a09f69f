"""Wording: the words of a text, whatever its whitespace, quotes and dashes (reconcile and diff).

Two renderings of one document (a text dump and a PDF) print the same words with different
whitespace, quote and dash styles and line-break hyphens; a *wording* change is a change in the
sequence of words, compared case-insensitively with punctuation ignored.
"""

from __future__ import annotations

import re
import unicodedata

WORD = re.compile(r"\w+")
TERMINAL = re.compile(r"[.!?][\"”’')\]]*$")
"""Text that ends a sentence."""
SENTENCE_END = re.compile(r"[.!?:;][\"”’')\]]*$")
"""Text that ends a sentence or a clause."""
SPACE = re.compile(r"\s+")


def _fold_table() -> dict[int, str]:
    """Every Unicode dash becomes "-", every single quote "'" and every double quote '"'."""
    table: dict[int, str] = {}
    for code in range(0x80, 0x3000):
        char = chr(code)
        category = unicodedata.category(char)
        if category == "Pd":
            table[code] = "-"
        elif category in ("Pi", "Pf"):
            table[code] = '"' if "DOUBLE" in unicodedata.name(char, "") else "'"
    table[0xAD] = ""  # soft hyphen
    return table


FOLD = _fold_table()


def fold(text: str) -> str:
    """Compatibility-normalized text with one quote, one dash and single spaces."""
    return SPACE.sub(" ", unicodedata.normalize("NFKC", text).translate(FOLD)).strip()


def words(text: str) -> list[str]:
    """The words of ``text`` (letters and digits), case-folded: what a wording change compares."""
    return WORD.findall(fold(text).casefold())


