"""What the structure stage finds: joined texts of paragraphs, plans, sections, activities, items."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..layout import Line
from ..models import Warning
from ..textjoin import JoinedText


@dataclass
class ParsedItem:
    label: str
    body: JoinedText = field(default_factory=JoinedText)


@dataclass
class ParsedParagraph:
    number: str
    heading: str | None
    body: JoinedText = field(default_factory=JoinedText)
    items: list[ParsedItem] = field(default_factory=list)


@dataclass
class ParsedSection:
    number: str
    title: JoinedText = field(default_factory=JoinedText)


@dataclass
class ParsedActivity:
    number: str
    section: str | None
    theme: str | None
    line: Line
    body: JoinedText = field(default_factory=JoinedText)
    items: list[ParsedItem] = field(default_factory=list)
    timeframe: JoinedText | None = None
    lead: JoinedText | None = None


@dataclass
class ParsedPlan:
    title: JoinedText | None
    intro: list[JoinedText]
    sections: list[ParsedSection]
    activities: list[ParsedActivity]


@dataclass
class Structure:
    title: JoinedText | None
    paragraphs: list[ParsedParagraph]
    plan: ParsedPlan | None
    warnings: list[Warning]
    preamble: JoinedText | None = None  # cover text under a heading before paragraph 1 ("Recalling ...")

