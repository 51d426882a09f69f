"""The canonical plan: every published structure of jwpextract, as pydantic models.

This module is the public contract (``schema_version`` "1"). The JSON Schema in
``schema/plan.schema.json`` is generated from :class:`CanonicalPlan`; field names are fixed and
may only change with a schema version bump (see CHANGELOG.md). New optional fields may be added.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1"

ReferenceKind = Literal["resolution", "decision", "recommendation", "document", "meeting", "target"]
TimeframeBasis = Literal["printed", "deadline", "plan-period"]
FurnitureKind = Literal["header", "footer", "page-number", "letterhead", "table-header"]


class Model(BaseModel):
    """Base of every canonical structure: unknown fields are rejected, so typos fail validation."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Box(Model):
    """A rectangle on a page, in PDF points from the page's top-left corner."""

    page: int = Field(description="1-based page number")
    x0: float
    top: float
    x1: float
    bottom: float


class Provenance(Model):
    """Where an element comes from: source lines, character offsets into the document text, boxes."""

    pages: list[int] = Field(default_factory=list, description="1-based pages the element spans")
    lines: tuple[int, int] = Field(description="first and last source line (0-based, inclusive)")
    start: int = Field(description="character offset of the first character in the document text")
    end: int = Field(description="character offset just past the last character in the document text")
    boxes: list[Box] = Field(default_factory=list, description="bounding boxes (PDF sources only)")
    source_text: str = Field(description="the source lines as printed, furniture excluded")


class Source(Model):
    path: str
    sha256: str
    format: Literal["text", "pdf"]
    pages: int
    text_sha256: str = Field(description="sha256 of the document text (`jwpextract text SOURCE`)")
    encoding: str | None = Field(default=None, description="text encoding used to decode a text source")
    engine: str | None = Field(default=None, description="PDF engine that read the source")


class Document(Model):
    symbol: str | None = None
    date: str | None = Field(default=None, description="ISO 8601 date of the document")
    convention: str | None = Field(default=None, description="short name of the issuing convention")
    meeting: str | None = Field(default=None, description="canonical id of the document's own meeting")
    distribution: str | None = None
    original_language: str | None = None
    agenda_item: str | None = Field(default=None, description='the agenda item the masthead names: "75 (c)"')
    title: str | None = None


class Period(Model):
    start: int
    end: int


class PlanInfo(Model):
    title: str | None = None
    period: Period | None = None
    parties: list[str] = Field(default_factory=list, description="short names of the parties")


class SubParagraph(Model):
    label: str
    text: str


class Paragraph(Model):
    number: str
    heading: str | None = None
    text: str
    items: list[SubParagraph] = Field(default_factory=list)
    references: list[str] = Field(default_factory=list, description="ids of references cited")
    provenance: Provenance


class IntroParagraph(Model):
    """An unnumbered paragraph of the annex introduction (``intro:N`` in links)."""

    number: int = Field(description="1-based position in the annex introduction")
    text: str
    provenance: Provenance


class Section(Model):
    number: str
    title: str
    provenance: Provenance | None = None


class Item(Model):
    label: str = Field(description='"a", "i", "•" for bullets, "" for a trailing paragraph')
    text: str
    actors: list[str] = Field(default_factory=list)
    provenance: Provenance | None = None


class Timeframe(Model):
    text: str = Field(description="as printed")
    start: int | None = None
    end: int | None = None
    basis: TimeframeBasis | None = None


class Activity(Model):
    id: str = Field(description="stable id: 'activity:' + number, suffixed on duplicates")
    number: str
    section: str | None = None
    theme: str | None = None
    text: str
    items: list[Item] = Field(default_factory=list)
    full_text: str
    timeframe: Timeframe | None = None
    lead: str | None = Field(default=None, description="responsibility cell or line as printed")
    actors: list[str] = Field(default_factory=list)
    references: list[str] = Field(default_factory=list)
    provenance: Provenance


class Mention(Model):
    text: str = Field(description="as printed")
    paragraph: str | None = None
    activity: str | None = None
    footnote: str | None = None
    intro: int | None = None
    start: int = Field(description="character offset in the document text")
    end: int
    page: int | None = None


class Reference(Model):
    id: str
    kind: ReferenceKind
    convention: str | None = None
    body: str | None = Field(default=None, description="issuing body when not the COP/MOP")
    session: int | None = None
    number: str | None = None
    status: Literal["adopted", "draft"] | None = None
    revision: str | None = None
    label: str
    mentions: list[Mention] = Field(default_factory=list)


class Warning(Model):
    code: str
    message: str
    where: str | None = None


class Furniture(Model):
    kind: FurnitureKind
    text: str
    page: int


class Footnote(Model):
    number: str
    text: str
    page: int
    references: list[str] = Field(default_factory=list)
    provenance: Provenance | None = None


class Entity(Model):
    id: str
    name: str
    mentions: list[Mention] = Field(default_factory=list)


class Link(Model):
    from_: str = Field(alias="from")
    to: str
    similarity: float


class CanonicalPlan(Model):
    """One extracted source document."""

    schema_version: Literal["1"] = SCHEMA_VERSION
    extractor: str = Field(description="jwpextract version that wrote the file")
    source: Source
    document: Document
    plan: PlanInfo
    paragraphs: list[Paragraph] = Field(default_factory=list)
    intro: list[IntroParagraph] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    activities: list[Activity] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    footnotes: list[Footnote] = Field(default_factory=list)
    furniture: list[Furniture] = Field(default_factory=list)
    warnings: list[Warning] = Field(default_factory=list)


def json_schema() -> dict:
    """The JSON Schema of the canonical plan, generated from the models."""
    schema = CanonicalPlan.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"jwpextract/plan/{SCHEMA_VERSION}"
    return schema
