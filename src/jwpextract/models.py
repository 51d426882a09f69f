"""The canonical plan: every published structure of jwpextract, as pydantic models.

This module is the public contract (``schema_version`` "2"). The JSON Schema in
``schema/plan.schema.json`` is generated from :class:`CanonicalDocument`; field names are fixed and
may only change with a schema version bump (see CHANGELOG.md). New optional fields may be added.

A document holds its own numbered paragraphs (a cover note, a report's body), the decisions whose
text it contains (each with its preamble and operative paragraphs), every plan (work plan, action
plan, work programme) wherever it sits, the annex tables that are not plans, and its annexes.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "2"

ReferenceKind = Literal["resolution", "decision", "recommendation", "document", "meeting", "target"]
TimeframeBasis = Literal["printed", "deadline", "plan-period"]
FurnitureKind = Literal["header", "footer", "page-number", "letterhead", "table-header"]
DocumentKind = Literal["plan", "decision", "decisions", "resolution", "recommendation", "report", "note", "other"]
InstrumentKind = Literal["decision", "resolution", "recommendation"]
Status = Literal["adopted", "draft"]


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
    ocr_pages: list[int] = Field(
        default_factory=list, description="1-based pages whose words OCR (Tesseract) recognised, not read from a text layer"
    )


class Document(Model):
    kind: DocumentKind | None = Field(
        default=None,
        description="plan (a paper whose main content is a plan), decision, decisions (a compilation), resolution, "
        "recommendation, report, note (a meeting document with a cover note), other",
    )
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
    id: str = Field(
        description="unique in the document: 'activity:' + number in the first plan, 'plan:K/activity:' + number in "
        "plan K after it; '~2', '~3' on a number printed again in one plan"
    )
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
    decision: str | None = Field(default=None, description="id of the decision whose text holds the mention")
    preamble: int | None = Field(default=None, description="1-based preambular paragraph of that decision")
    paragraph: str | None = Field(default=None, description="number of the paragraph (the decision's, else the document's)")
    plan: str | None = Field(default=None, description="id of the plan whose activity or introduction holds the mention")
    activity: str | None = Field(default=None, description="id of the activity")
    footnote: str | None = None
    intro: int | None = Field(default=None, description="1-based paragraph of the plan's introduction")
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
    status: Status | None = None
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


class PreambleParagraph(Model):
    """An unnumbered preambular paragraph of a decision ("Recalling its decision 14/8, ...")."""

    text: str
    references: list[str] = Field(default_factory=list, description="ids of references cited")
    provenance: Provenance


class Decision(Model):
    """A decision, resolution or recommendation whose text the document contains, adopted or draft."""

    id: str = Field(description="'decision:' + number as printed, or 'decision:#K' (K-th in the document) unnumbered")
    number: str | None = Field(default=None, description='as printed: "14/8", "3/CP.25", "XIII.5", "12.25"')
    kind: InstrumentKind
    status: Status
    title: str | None = None
    annex: str | None = Field(default=None, description='label of the document annex that holds its text ("Annex III")')
    preamble: list[PreambleParagraph] = Field(default_factory=list)
    paragraphs: list[Paragraph] = Field(default_factory=list, description="numbered operative paragraphs")
    annexes: list[str] = Field(default_factory=list, description="labels of its own annexes")
    adoption: str | None = Field(
        default=None, description='adoption line and its date as printed: "8th plenary meeting 15 December 2019"'
    )
    provenance: Provenance


class Plan(Model):
    """A work plan, action plan or work programme, wherever it sits in the document."""

    id: str = Field(description="'plan:' + its 1-based position in the document")
    title: str | None = None
    period: Period | None = None
    parties: list[str] = Field(default_factory=list, description="short names of the parties")
    where: str | None = Field(default=None, description='"Annex 1", "annex II to decision 4/CP.25"; null: the body')
    intro: list[IntroParagraph] = Field(default_factory=list, description="unnumbered paragraphs before its table")
    sections: list[Section] = Field(default_factory=list)
    activities: list[Activity] = Field(default_factory=list)


class Table(Model):
    """An annex table that is not a plan (indicators, questionnaire, budget, list of Parties, template)."""

    id: str = Field(description="'table:' + its 1-based position in the document")
    caption: str | None = None
    where: str | None = None
    header: list[str] = Field(default_factory=list, description="the header row's cells (repeats over pages dropped)")
    rows: list[list[str]] = Field(default_factory=list, description="body rows, cells in column order")
    provenance: Provenance


class Annex(Model):
    label: str = Field(description='as printed: "Annex II", "Appendix"')
    title: str | None = None
    decision: str | None = Field(default=None, description="id of the decision the annex belongs to")
    pages: list[int] = Field(default_factory=list)


class CanonicalDocument(Model):
    """One extracted source document."""

    schema_version: Literal["2"] = SCHEMA_VERSION
    extractor: str = Field(description="jwpextract version that wrote the file")
    source: Source
    document: Document
    paragraphs: list[Paragraph] = Field(
        default_factory=list, description="the document's own numbered paragraphs outside any decision text"
    )
    decisions: list[Decision] = Field(default_factory=list)
    plans: list[Plan] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    annexes: list[Annex] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    footnotes: list[Footnote] = Field(default_factory=list)
    furniture: list[Furniture] = Field(default_factory=list)
    warnings: list[Warning] = Field(default_factory=list)

    def activities(self) -> list[Activity]:
        """Every plan's activities, plans in document order."""
        return [activity for plan in self.plans for activity in plan.activities]


def json_schema() -> dict:
    """The JSON Schema of the canonical document, generated from the models."""
    schema = CanonicalDocument.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"jwpextract/plan/{SCHEMA_VERSION}"
    return schema
