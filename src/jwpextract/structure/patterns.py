"""The numbering styles and labels of the rules, compiled once per extraction, and line tests."""

from __future__ import annotations

import re

from ..rules import Rules

DASH_BULLETS = ("-", "–", "—")
SHORT_HEADING = 4


class Patterns:
    """The numbering styles and labels of the rules, compiled once per extraction."""

    def __init__(self, rules: Rules) -> None:
        numbering = rules.layout.numbering
        self.rules = rules
        self.paragraph = re.compile(numbering["paragraph"])
        self.activity = re.compile(numbering["activity"])
        self.labelled_activity = re.compile(numbering["labelled_activity"])
        self.section = re.compile(numbering["section"])
        self.item = re.compile(numbering["item"])
        self.labelled_section = self._optional(numbering, "labelled_section")
        self.caption = self._optional(numbering, "caption")
        self.number_cell = self._optional(numbering, "number_cell")
        self.cell_activity = self._optional(numbering, "cell_activity")
        self.annex = re.compile(rules.layout.annex_heading)
        self.activity_labels = {label.lower() for label in rules.layout.activity_labels}
        self.bullets = tuple(rules.layout.bullet_chars)
        self.timeframe_label = self._label(rules.layout.timeframe_labels)
        self.lead_label = self._label(rules.layout.lead_labels)
        words = "|".join(re.escape(word) for word in sorted(rules.documents.table_title_words, key=len, reverse=True))
        self.table_title = re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE) if words else None

    @staticmethod
    def _optional(numbering: dict[str, str], key: str) -> re.Pattern[str] | None:
        return re.compile(numbering[key]) if key in numbering else None

    @staticmethod
    def _label(labels: list[str]) -> re.Pattern[str]:
        names = "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))
        return re.compile(rf"^(?:{names})\s*:\s*(?P<rest>\S.*)$", re.IGNORECASE)

    def activity_start(self, text: str) -> tuple[str, str] | None:
        """(number, rest of line) when the line starts an activity."""
        for pattern in (self.activity, self.labelled_activity):
            match = pattern.match(text)
            if not match:
                continue
            label = match.group("label")
            if label and label.lower() not in self.activity_labels:
                continue
            if pattern is self.labelled_activity and not label:
                continue
            return match.group("number"), match.group("rest") or ""
        return None

    def section_start(self, text: str) -> tuple[str, str] | None:
        """(number, title) when the line opens a section: "B. Capacity-building", "Priority area B: ..."."""
        if self.activity_start(text):
            return None
        match = self.section.match(text) or (self.labelled_section and self.labelled_section.match(text))
        return (match.group("number"), match.group("rest")) if match else None

    def is_caption(self, text: str) -> bool:
        """A table's or figure's caption: "Table 2", "Table 1: Activities" (a heading, not a sentence)."""
        match = self.caption.match(text) if self.caption else None
        if match is None:
            return False
        rest = match.group("rest") or ""
        return word_count(rest) < self.rules.layout.heading_max_words and not rest.endswith((".", ";", ","))

    def cell_number(self, text: str) -> str | None:
        """The activity number a number column's cell prints: "A.1", "12", "a", "(b)"."""
        match = self.number_cell.match(text.strip()) if self.number_cell else None
        return match.group("number") if match else None

    def cell_activity_start(self, text: str) -> tuple[str, str] | None:
        """(number, rest) when a table's activity cell opens with a plain number or letter: "1 Explore ..."."""
        found = self.activity_start(text)
        if found is None and self.cell_activity is not None and (match := self.cell_activity.match(text)):
            return match.group("number"), match.group("rest")
        return found

    def item_start(self, text: str, after_colon: bool) -> tuple[str, str] | None:
        match = self.item.match(text)
        if match:
            return match.group("label") or match.group("label2"), match.group("rest")
        for bullet in self.bullets:
            if text.startswith(bullet) and len(text) > len(bullet):
                rest = text[len(bullet) :]
                dash = bullet in DASH_BULLETS
                if (dash and not (rest.startswith(" ") and after_colon)) or (bullet.isalnum() and rest[0] != " "):
                    continue
                return "•", rest.strip()
        return None

    def is_plan_title(self, text: str) -> bool:
        """A title naming a plan ("Joint work plan"), not a table about one ("Indicators for the work plan")."""
        return self.rules.layout.names_plan(text) and not (self.table_title and self.table_title.search(text))


def word_count(text: str) -> int:
    return len(text.split())


def starts_upper(text: str) -> bool:
    first = next((c for c in text if c.isalnum()), "")
    return first.isupper() or first.isdigit()


def numbered(text: str, pat: Patterns) -> bool:
    """The line opens a section, an activity or a numbered paragraph."""
    return bool(pat.section_start(text) or pat.activity_start(text) or pat.paragraph.match(text))

