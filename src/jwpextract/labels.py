"""Column labels: the header words of the rules (``rules/layout.json``) by the role of the column they
head (number, activity, lead, timeframe, other), for the table readers of PDF pages and of text.

A label matches word by word, in any case and number ("Activities" reads as "Activity"); a header
cell of a text table is one cell whatever its words, so it reads as the longest label it starts
with ("Estimated timeline for implementation"), else the first among its words ("Key actions"),
words parted by a slash being words ("Deliverables/outputs"), Markdown's emphasis ("**Activity**")
and a note marker glued to its last word ("Activity numbera") aside.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from .rules import LayoutFile

ROLES = ("number", "activity", "lead", "timeframe", "other")
PRIMARY = ("number", "activity")
YEAR = re.compile(r"(?:19|20)\d{2}")  # a column headed by a year is a timeline's
CELL_WORDS = re.compile(r"[^\s/*_`]+")  # a header cell's words: slashes part them, Markdown's emphasis aside
GLUED_MARKER = re.compile(r"(?<=[a-z]{3})(?:[a-z]|\d{1,2}|[*†‡]{1,3})$")  # "numbera", "Status2", "Lead*"


@lru_cache(maxsize=1 << 16)  # called for every word of every row of a PDF page
def label_key(token: str) -> str:
    """A label word compared without case, a closing full stop or colon, and its plural."""
    token = token.lower().rstrip(".:")
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    return token[:-1] if token.endswith("s") and len(token) > 3 else token


class ColumnLabels:
    """The labels of the rules, keyed by their words, and the role of the column each one heads."""

    def __init__(self, layout: LayoutFile) -> None:
        roles = (
            ("number", layout.number_labels),
            ("activity", layout.activity_labels),
            ("lead", layout.lead_labels),
            ("timeframe", layout.timeframe_labels),
            ("other", layout.table_header_words),
        )
        self.labels: dict[tuple[str, ...], str] = {}
        for role, labels in roles:
            for label in labels:
                self.labels.setdefault(tuple(label_key(t) for t in label.split()), role)
        self.longest = max(len(k) for k in self.labels)
        self.words = {word for label in self.labels for word in label}

    def role(self, keys: Sequence[str]) -> str | None:
        """The role of the label whose keyed words are ``keys``; a lone year heads a timeline column."""
        if len(keys) == 1 and YEAR.fullmatch(keys[0]):
            return "timeframe"
        return self.labels.get(tuple(keys))

    def cell_role(self, text: str) -> str | None:
        """The role of a header cell of a text table: the longest label its words start with, else the
        first label among its words ("Key actions")."""
        words = CELL_WORDS.findall(text)
        keys = [label_key(w) for w in words]
        for i in range(len(keys)):
            for n in range(min(self.longest, len(keys) - i), 0, -1):
                role = self.role(keys[i : i + n])
                last = words[i + n - 1]
                if role is None and (bare := GLUED_MARKER.sub("", last)) != last:
                    role = self.role([*keys[i : i + n - 1], label_key(bare)])
                if role is not None:
                    return role
        return None


def emission_order(roles: dict[int, str], primary: set[int]) -> list[int]:
    """The column indices of one row's cells as the table readers emit them: the columns left of the
    number or activity column first (an objective heading them), then number, activity, lead,
    timeframe and the others."""
    first = min(primary)
    return sorted(roles, key=lambda k: (k >= first, k not in primary, ROLES.index(roles[k]), k))
