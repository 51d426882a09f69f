"""A canonical document as the rows of the archive's tables (pure: no database).

:func:`document_rows` gives, for each table of :mod:`.schema`, the rows of one document in the
table's column order. Positions are 1-based in document order; every key a mention carries
(decision, preamble, paragraph, plan, activity, footnote, intro) is also resolved to the id of its
row (the first one, should a number be printed twice), null when the document has no such element.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..models import Activity, CanonicalDocument, Decision, Mention, Paragraph, Plan, Provenance
from .schema import row_id

Row = tuple[object, ...]


def provenance(p: Provenance | None) -> Row:
    """page_first, page_last, line_first, line_last, text_start, text_end."""
    if p is None:
        return (None,) * 6
    return (min(p.pages, default=None), max(p.pages, default=None), p.lines[0], p.lines[1], p.start, p.end)


def full_text(paragraph: Paragraph) -> str:
    """A numbered paragraph's text and its items' texts, as the full-text index reads it."""
    return " ".join([paragraph.text, *(f"({item.label}) {item.text}" for item in paragraph.items)])


@dataclass
class Places:
    """Ids of the elements a mention can name, by the keys the mention carries."""

    decisions: dict[str, int] = field(default_factory=dict)
    preambles: dict[tuple[str, int], int] = field(default_factory=dict)
    paragraphs: dict[tuple[str | None, str], int] = field(default_factory=dict)
    plans: dict[str, int] = field(default_factory=dict)
    activities: dict[str, int] = field(default_factory=dict)
    footnotes: dict[str, int] = field(default_factory=dict)
    intros: dict[tuple[str, int], int] = field(default_factory=dict)

    def mention(self, owner: int, position: int, document_id: int, m: Mention) -> Row:
        paragraph = self.paragraphs.get((m.decision, m.paragraph)) if m.paragraph is not None else None
        preamble = self.preambles.get((m.decision, m.preamble)) if m.decision and m.preamble else None
        intro = self.intros.get((m.plan, m.intro)) if m.plan and m.intro is not None else None
        return (
            owner,
            position,
            document_id,
            m.text,
            m.decision,
            self.decisions.get(m.decision) if m.decision else None,
            m.preamble,
            preamble,
            m.paragraph,
            paragraph,
            m.plan,
            self.plans.get(m.plan) if m.plan else None,
            m.activity,
            self.activities.get(m.activity) if m.activity else None,
            m.footnote,
            self.footnotes.get(m.footnote) if m.footnote else None,
            m.intro,
            intro,
            m.start,
            m.end,
            m.page,
        )


class Rows:
    """The rows of one document, table by table, with ids of its range."""

    def __init__(self, document_id: int) -> None:
        self.document_id = document_id
        self.tables: dict[str, list[Row]] = defaultdict(list)
        self.places = Places()

    def add(self, table: str, *values: object) -> int:
        """A row of a table with ids: (id, document_id, *values); returns the id."""
        rows = self.tables[table]
        new_id = row_id(self.document_id, table, len(rows) + 1)
        rows.append((new_id, self.document_id, *values))
        return new_id

    def children(self, table: str, parent: int, values: list[str]) -> None:
        self.tables[table].extend((parent, position, value) for position, value in enumerate(values, 1))

    def plan(self, position: int, plan: Plan) -> None:
        period = plan.period
        plan_id = self.add(
            "plans", position, plan.id, plan.title, period.start if period else None, period.end if period else None,
            plan.where,
        )  # fmt: skip
        self.places.plans.setdefault(plan.id, plan_id)
        self.children("plan_parties", plan_id, plan.parties)
        for intro in plan.intro:
            intro_id = self.add("intro_paragraphs", plan_id, intro.number, *provenance(intro.provenance), intro.text)
            self.places.intros.setdefault((plan.id, intro.number), intro_id)
        for index, section in enumerate(plan.sections, 1):
            self.add("sections", plan_id, index, section.number, section.title, *provenance(section.provenance))
        for index, activity in enumerate(plan.activities, 1):
            self.activity(plan_id, index, activity)

    def activity(self, plan_id: int, position: int, a: Activity) -> None:
        timeframe = a.timeframe
        activity_id = self.add(
            "activities", plan_id, position, a.id, a.number, a.section, timeframe.start if timeframe else None,
            timeframe.end if timeframe else None, timeframe.basis if timeframe else None,
            timeframe.text if timeframe else None, a.theme, a.lead, *provenance(a.provenance), a.text, a.full_text,
        )  # fmt: skip
        self.places.activities.setdefault(a.id, activity_id)
        self.children("activity_actors", activity_id, a.actors)
        self.children("activity_references", activity_id, a.references)
        for index, item in enumerate(a.items, 1):
            item_id = self.add("items", activity_id, index, item.label, *provenance(item.provenance), item.text)
            self.children("item_actors", item_id, item.actors)

    def paragraph(self, decision: Decision | None, decision_id: int | None, position: int, p: Paragraph) -> None:
        paragraph_id = self.add(
            "paragraphs", decision_id, position, p.number, p.heading, *provenance(p.provenance), p.text, full_text(p)
        )
        self.places.paragraphs.setdefault((decision.id if decision else None, p.number), paragraph_id)
        self.tables["paragraph_items"].extend(
            (paragraph_id, index, item.label, item.text) for index, item in enumerate(p.items, 1)
        )
        self.children("paragraph_references", paragraph_id, p.references)

    def decision(self, position: int, d: Decision) -> None:
        decision_id = self.add(
            "decisions", position, d.id, d.number, d.kind, d.status, d.title, d.annex, d.adoption,
            *provenance(d.provenance),
        )  # fmt: skip
        self.places.decisions.setdefault(d.id, decision_id)
        self.children("decision_annexes", decision_id, d.annexes)
        for index, preamble in enumerate(d.preamble, 1):
            preamble_id = self.add(
                "preamble_paragraphs", decision_id, index, *provenance(preamble.provenance), preamble.text
            )
            self.places.preambles.setdefault((d.id, index), preamble_id)
            self.children("preamble_references", preamble_id, preamble.references)
        for index, paragraph in enumerate(d.paragraphs, 1):
            self.paragraph(d, decision_id, index, paragraph)


def _document_row(document_id: int, file: str, file_sha256: str, doc: CanonicalDocument) -> Row:
    s, d = doc.source, doc.document
    return (
        document_id, file, file_sha256, doc.schema_version, doc.extractor, s.path, s.sha256, s.format, s.pages,
        s.text_sha256, s.encoding, s.engine, d.kind, d.symbol, d.date, d.convention, d.meeting, d.distribution,
        d.original_language, d.title,
    )  # fmt: skip


def document_rows(document_id: int, file: str, file_sha256: str, doc: CanonicalDocument) -> dict[str, list[Row]]:
    """Every table's rows for ``doc``, indexed from ``file`` (whose bytes hash to ``file_sha256``)."""
    rows = Rows(document_id)
    rows.tables["documents"].append(_document_row(document_id, file, file_sha256, doc))
    for index, plan in enumerate(doc.plans, 1):
        rows.plan(index, plan)
    for index, decision in enumerate(doc.decisions, 1):
        rows.decision(index, decision)
    for index, paragraph in enumerate(doc.paragraphs, 1):
        rows.paragraph(None, None, index, paragraph)
    for index, footnote in enumerate(doc.footnotes, 1):
        footnote_id = rows.add(
            "footnotes", index, footnote.number, footnote.page, *provenance(footnote.provenance), footnote.text
        )
        rows.places.footnotes.setdefault(footnote.number, footnote_id)
        rows.children("footnote_references", footnote_id, footnote.references)
    for index, table in enumerate(doc.tables, 1):
        table_id = rows.add("tables", index, table.id, table.caption, table.where, *provenance(table.provenance))
        cells = rows.tables["table_cells"]
        for row_number, cells_of_row in enumerate([table.header, *table.rows]):
            cells.extend((table_id, row_number, col, text) for col, text in enumerate(cells_of_row, 1))
    for index, annex in enumerate(doc.annexes, 1):
        decision_id = rows.places.decisions.get(annex.decision) if annex.decision else None
        pages = annex.pages
        rows.add(
            "annexes", index, annex.label, annex.title, annex.decision, decision_id, min(pages, default=None),
            max(pages, default=None),
        )  # fmt: skip
    places = rows.places
    for index, ref in enumerate(doc.references, 1):
        ref_id = rows.add(
            "refs", index, ref.id, ref.kind, ref.convention, ref.body, ref.session, ref.number, ref.status,
            ref.revision, ref.label,
        )  # fmt: skip
        rows.tables["mentions"].extend(places.mention(ref_id, k, document_id, m) for k, m in enumerate(ref.mentions, 1))
    for index, entity in enumerate(doc.entities, 1):
        entity_id = rows.add("entities", index, entity.id, entity.name)
        rows.tables["entity_mentions"].extend(
            places.mention(entity_id, k, document_id, m) for k, m in enumerate(entity.mentions, 1)
        )
    for index, link in enumerate(doc.links, 1):
        rows.add("links", index, link.from_, link.to, link.similarity)
    for index, furniture in enumerate(doc.furniture, 1):
        rows.add("furniture", index, furniture.kind, furniture.text, furniture.page)
    for index, warning in enumerate(doc.warnings, 1):
        rows.add("warnings", index, warning.code, warning.message, warning.where)
    return dict(rows.tables)
