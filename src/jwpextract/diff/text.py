"""Word-level comparison for ``diff`` (the words themselves: :mod:`jwpextract.wording`)."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from rapidfuzz.distance import Indel

from ..wording import fold, words
from .models import TextOp


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
