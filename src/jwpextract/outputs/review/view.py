"""The review page's data: every element of a canonical document with its place (pure functions).

An element is a node of the side panel's tree (plans -> sections -> activities -> items and cells;
decisions -> preamble and paragraphs; the document's paragraphs; tables; references -> mentions;
footnotes; furniture) with the rectangles it covers on its pages (PDF sources) and its range of the
document text (both kinds of source), the JSON path of its entry in the document, and the warnings
that name it. Containers (plans, decisions, tables) are drawn as one outline per page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...layout import LayoutDocument
from ...models import Activity, CanonicalDocument, Decision, Plan, Provenance, Reference
from .locate import Place, Rect, Span, TextIndex, furniture_places, rect, union

LABEL_CHARS = 80


@dataclass(frozen=True)
class Kind:
    kind: str
    label: str
    colour: str
    layer: int  # drawing order: higher layers lie on top and take the click
    overlay: bool = True  # drawn on the page (references are tree nodes over their mentions)


KINDS = (
    Kind("plan", "Plans", "#6a3d9a", 0),
    Kind("decision", "Decisions", "#8c564b", 0),
    Kind("table", "Tables", "#1b9e77", 0),
    Kind("intro", "Plan introductions", "#a6761d", 1),
    Kind("section", "Sections", "#1f78b4", 1),
    Kind("activity", "Activities", "#33a02c", 1),
    Kind("preamble", "Preambles", "#7570b3", 1),
    Kind("paragraph", "Decision paragraphs", "#386cb0", 1),
    Kind("document-paragraph", "Document paragraphs", "#0f7b8a", 1),
    Kind("footnote", "Footnotes", "#e7298a", 1),
    Kind("furniture", "Furniture", "#7f7f7f", 1),
    Kind("item", "Items", "#17becf", 2),
    Kind("timeframe", "Timeframe cells", "#ff7f00", 3),
    Kind("lead", "Lead cells", "#c9a100", 3),
    Kind("mention", "Reference mentions", "#e31a1c", 4),
    Kind("reference", "References", "#e31a1c", 4, overlay=False),
)
CONTAINERS = frozenset({"plan", "decision", "table"})
LAYER = {k.kind: k.layer for k in KINDS}


@dataclass(slots=True)
class Element:
    id: str
    kind: str
    label: str
    parent: int  # index of the parent element, -1 for a root of its group
    path: str  # where its entry is in the document's JSON: "plans.0.activities.3"
    boxes: list[Rect] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)  # its ranges of the document text
    warnings: list[int] = field(default_factory=list)  # indexes into the document's warnings


@dataclass
class View:
    mode: str  # "pdf": pages with boxes; "text": the document text with ranges
    pages: list[tuple[int, float, float]]  # number, width, height in points
    elements: list[Element]
    groups: list[tuple[str, list[int]]]  # side panel headings and their root elements
    warned: list[int]  # for each warning of the document, the element it names (-1: none)


def label(*parts: str | None) -> str:
    text = " ".join(" ".join(p.split()) for p in parts if p)
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


Where = Provenance | Place | None


class _Builder:
    def __init__(self, index: TextIndex) -> None:
        self.index = index
        self.elements: list[Element] = []
        self.ids: dict[str, int] = {}
        self.groups: list[tuple[str, list[int]]] = []

    def group(self, heading: str) -> None:
        self.groups.append((heading, []))

    def add(self, id_: str, kind: str, text: str, parent: int, path: str, where: Where = None) -> int:
        """A new element (its id made unique with "~2", "~3"); ``parent`` -1: a root of the last group."""
        unique, n = id_, 1
        while unique in self.ids:
            n += 1
            unique = f"{id_}~{n}"
        k = len(self.elements)
        boxes, spans = where if isinstance(where, tuple) else self.place(where)
        self.elements.append(Element(unique, kind, text, parent, path, union(boxes) if kind in CONTAINERS else boxes, spans))
        self.ids[unique] = k
        if parent < 0:
            self.groups[-1][1].append(k)
        return k

    def place(self, provenance: Provenance | None) -> Place:
        if provenance is None:
            return [], []
        return [rect(b) for b in provenance.boxes], self.index.line_spans(provenance)

    def around(self, k: int) -> None:
        """A container without provenance of its own (a plan): the outline of its elements (added last)."""
        inner = [e for e in self.elements[k + 1 :] if self._within(e, k)]
        self.elements[k].boxes = union([b for e in inner for b in e.boxes])
        spans = [s for e in inner for s in e.spans]
        self.elements[k].spans = [(min(s[0] for s in spans), max(s[1] for s in spans))] if spans else []

    def _within(self, element: Element, k: int) -> bool:
        parent = element.parent
        while parent > k:
            parent = self.elements[parent].parent
        return parent == k

    # -- the document's parts

    def plan(self, k: int, plan: Plan) -> None:
        path = f"plans.{k}"
        p = self.add(plan.id, "plan", label(plan.id, plan.title), -1, path)
        for j, intro in enumerate(plan.intro):
            self.add(f"{plan.id}/intro:{intro.number}", "intro", label(intro.text), p, f"{path}.intro.{j}", intro.provenance)
        prefix = f"{plan.id}/" if k else ""
        sections: dict[str, int] = {}
        for j, sec in enumerate(plan.sections):
            text = label(sec.number, sec.title)
            s = self.add(f"{prefix}section:{sec.number}", "section", text, p, f"{path}.sections.{j}", sec.provenance)
            sections.setdefault(sec.number, s)
        for j, activity in enumerate(plan.activities):
            self.activity(activity, sections.get(activity.section or "", p), f"{path}.activities.{j}")
        self.around(p)

    def activity(self, activity: Activity, parent: int, path: str) -> None:
        name = activity.id
        a = self.add(name, "activity", label(activity.number, activity.text), parent, path, activity.provenance)
        for j, item in enumerate(activity.items):
            text = label(f"({item.label})" if item.label else "", item.text)
            self.add(f"{name}/item:{item.label or j + 1}", "item", text, a, f"{path}.items.{j}", item.provenance)
        timeframe = activity.timeframe.text if activity.timeframe else None
        for role, printed in (("timeframe", timeframe), ("lead", activity.lead)):
            found = self.index.cell(activity, role, printed) if printed else None
            if found is not None:
                self.add(f"{name}/{role}", role, label(f"{role}:", printed), a, f"{path}.{role}", found)

    def decision(self, k: int, decision: Decision) -> None:
        name, path = decision.id, f"decisions.{k}"
        d = self.add(name, "decision", label(decision.number or name, decision.title), -1, path, decision.provenance)
        for j, pre in enumerate(decision.preamble):
            self.add(f"{name}/preamble:{j + 1}", "preamble", label(pre.text), d, f"{path}.preamble.{j}", pre.provenance)
        for j, para in enumerate(decision.paragraphs):
            text = label(f"{para.number}.", para.text)
            self.add(f"{name}/paragraph:{para.number}", "paragraph", text, d, f"{path}.paragraphs.{j}", para.provenance)

    def reference(self, k: int, reference: Reference) -> None:
        path = f"references.{k}"
        r = self.add(reference.id, "reference", label(reference.label), -1, path)
        for j, m in enumerate(reference.mentions):
            text = label(m.text, f"(p. {m.page})" if m.page else None)
            where = (self.index.boxes(m.start, m.end), [(m.start, m.end)])
            self.add(f"{reference.id}#mention:{j + 1}", "mention", text, r, f"{path}.mentions.{j}", where)


def build_view(doc: CanonicalDocument, layout: LayoutDocument) -> View:
    """The review data of ``doc``, placed on ``layout`` (the document it was extracted from)."""
    b = _Builder(TextIndex.of(layout))
    b.group("Plans")
    for k, plan in enumerate(doc.plans):
        b.plan(k, plan)
    b.group("Decisions")
    for k, decision in enumerate(doc.decisions):
        b.decision(k, decision)
    b.group("Paragraphs")
    for k, para in enumerate(doc.paragraphs):
        text = label(f"{para.number}.", para.heading, para.text)
        b.add(f"paragraph:{para.number}", "document-paragraph", text, -1, f"paragraphs.{k}", para.provenance)
    b.group("Tables")
    for k, table in enumerate(doc.tables):
        b.add(table.id, "table", label(table.id, table.caption), -1, f"tables.{k}", table.provenance)
    b.group("References")
    for k, reference in enumerate(doc.references):
        b.reference(k, reference)
    b.group("Footnotes")
    for k, note in enumerate(doc.footnotes):
        b.add(f"footnote:{note.number}", "footnote", label(note.text), -1, f"footnotes.{k}", note.provenance)
    b.group("Furniture")
    for k, (entry, where) in enumerate(zip(doc.furniture, furniture_places(b.index, doc.furniture), strict=True)):
        text = label(f"{entry.kind}:", entry.text, f"(p. {entry.page})")
        b.add(f"furniture:{k + 1}", "furniture", text, -1, f"furniture.{k}", where)
    warned = [b.ids.get(w.where or "", -1) for w in doc.warnings]
    for w, k in enumerate(warned):
        if k >= 0:
            b.elements[k].warnings.append(w)
    pages = [(p.number, p.width or 0.0, p.height or 0.0) for p in layout.pages]
    return View("pdf" if layout.format == "pdf" else "text", pages, b.elements, b.groups, warned)
