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
    where: str | None = None  # "Annex 1", "annex to decision 3/CP.25"; None: the document's body


@dataclass
class ParsedDecision:
    number: str | None
    kind: str
    draft: bool
    title: JoinedText | None
    heading: Line
    preamble: list[JoinedText]
    paragraphs: list[ParsedParagraph]
    adoption: JoinedText | None
    lines: list[Line]
    annex: str | None = None  # the document annex that holds its text
    annexes: list[str] = field(default_factory=list)


@dataclass
class ParsedAnnex:
    label: str
    title: str | None
    heading: Line
    lines: list[Line]
    decision: ParsedDecision | None = None  # the decision it belongs to


@dataclass
class ParsedTable:
    caption: str | None
    where: str | None
    header: list[str]
    rows: list[list[str]]
    lines: list[Line]


@dataclass
class Structure:
    title: JoinedText | None
    paragraphs: list[ParsedParagraph]
    plans: list[ParsedPlan]
    warnings: list[Warning]
    preamble: JoinedText | None = None  # cover text under a heading before paragraph 1 ("Recalling ...")
    decisions: list[ParsedDecision] = field(default_factory=list)
    annexes: list[ParsedAnnex] = field(default_factory=list)
    tables: list[ParsedTable] = field(default_factory=list)

