"""Text normalization and word-level comparison shared by ``diff`` and the reconciliation stage.

Two renderings of one document (a text dump and a PDF) print the same words with different
whitespace, quote and dash styles and line-break hyphens; a *wording* change is a change in the
sequence of words, compared case-insensitively with punctuation ignored.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence

from rapidfuzz.distance import Indel

from .models import TextOp

WORD = re.compile(r"\w+")
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


def word_key(token: str) -> str:
    """The comparison key of one printed token: its words, or the token itself when it has none."""
    return "".join(words(token)) or token


def similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """Indel similarity (0..1) of two word sequences: 1 - (deleted + inserted words) / (len a + len b)."""
    return float(Indel.normalized_similarity(a, b))


def word_diff(old: str, new: str) -> list[TextOp]:
    """Word-level edit script from ``old`` to ``new``: runs of printed words, punctuation-tolerant.

    A replacement is a ``delete`` followed by an ``insert``. Equal runs print the new words.
    """
    old_tokens, new_tokens = fold(old).split(), fold(new).split()
    matcher = difflib.SequenceMatcher(
        a=[word_key(t) for t in old_tokens], b=[word_key(t) for t in new_tokens], autojunk=False
    )
    ops: list[TextOp] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(TextOp(op="equal", text=" ".join(new_tokens[j1:j2])))
            continue
        if i2 > i1:
            ops.append(TextOp(op="delete", text=" ".join(old_tokens[i1:i2])))
        if j2 > j1:
            ops.append(TextOp(op="insert", text=" ".join(new_tokens[j1:j2])))
    return ops
