"""Assembling the canonical plan from the stages: furniture, metadata, structure, references, actors."""

from __future__ import annotations

import hashlib
from collections import Counter

from . import __version__
from .actors import actors_from_lead, actors_in_text
from .footnotes import find_footnotes
from .furniture import mark_furniture
from .layout import LayoutDocument
from .metadata import conventions_named_in, document_metadata
from .models import (
    Activity,
    Box,
    CanonicalPlan,
    Footnote,
    IntroParagraph,
    Item,
    Paragraph,
    Period,
    PlanInfo,
    Provenance,
    Section,
    Source,
    SubParagraph,
    Timeframe,
    Warning,
)
from .references import Passage, document_meeting, find_references
from .rules import Rules
from .structure import ParsedActivity, ParsedItem, Structure, parse_structure
from .textjoin import JoinedText
from .timeframes import find_period, parse_timeframe


def provenance(joined: JoinedText) -> Provenance:
    lines = joined.lines
    boxes = [Box(page=line.page, x0=b[0], top=b[1], x1=b[2], bottom=b[3]) for line in lines if (b := line.bbox)]
    return Provenance(
        pages=sorted({line.page for line in lines}),
        lines=(lines[0].index, lines[-1].index) if lines else (0, 0),
        start=joined.start,
        end=max((line.end for line in lines), default=joined.end),
        boxes=boxes,
        source_text="\n".join(line.text for line in lines),
    )


def _with_items(body: JoinedText, items: list[ParsedItem]) -> JoinedText:
    whole = JoinedText()
    whole.add_text(body)
    for item in items:
        whole.add_text(item.body)
    return whole


def _passage(where: str, key: str, joined: JoinedText) -> Passage:
    page = joined.lines[0].page if joined.lines else None
    return Passage(where=where, key=key, text=joined.text, origin=joined.origin, page=page)


def _activity_ids(activities: list[ParsedActivity]) -> list[str]:
    seen: Counter[str] = Counter()
    ids = []
    for activity in activities:
        seen[activity.number] += 1
        suffix = f"~{seen[activity.number]}" if seen[activity.number] > 1 else ""
        ids.append(f"activity:{activity.number}{suffix}")
    return ids


def _activity(
    parsed: ParsedActivity, joined: JoinedText, act_id: str, period: Period | None, parties: list[str], rules: Rules
) -> tuple[Activity, list[Warning]]:
    """The activity of ``parsed`` (``joined``: its text with its items) and the warnings on it."""
    warnings: list[Warning] = []
    timeframe = None
    if parsed.timeframe is not None:
        timeframe = parse_timeframe(parsed.timeframe.text, period, rules)
        if timeframe.start is None:
            warnings.append(
                Warning(
                    code="unreadable-timeframe",
                    message=f"timeframe {parsed.timeframe.text!r} of activity {parsed.number} gives no years",
                    where=act_id,
                )
            )
    items = []
    item_actors: set[str] = set()
    for item in parsed.items:
        actors = actors_in_text(item.body.text, parties, rules)
        item_actors.update(actors)
        items.append(Item(label=item.label, text=item.body.text, actors=actors, provenance=provenance(item.body)))
    lead = parsed.lead.text if parsed.lead else None
    own = actors_from_lead(lead, parties, rules) if lead else actors_in_text(parsed.body.text, parties, rules)
    lines = [*joined.lines, *parsed.timeframe.lines] if parsed.timeframe else joined.lines
    whole = JoinedText(joined.text, joined.origin, lines)
    activity = Activity(
        id=act_id,
        number=parsed.number,
        section=parsed.section,
        theme=parsed.theme,
        text=parsed.body.text,
        items=items,
        full_text=joined.text,
        timeframe=timeframe or (None if parsed.timeframe is None else Timeframe(text=parsed.timeframe.text)),
        lead=lead,
        actors=sorted(set(own) | item_actors),
        provenance=provenance(whole),
    )
    return activity, warnings


def _source(layout: LayoutDocument) -> Source:
    return Source(
        path=layout.path,
        sha256=layout.sha256,
        format="pdf" if layout.format == "pdf" else "text",
        pages=len(layout.pages),
        text_sha256=hashlib.sha256(layout.text.encode("utf-8")).hexdigest(),
        encoding=layout.encoding,
        engine=layout.engine,
    )


def _plan_parts(
    structure: Structure, rules: Rules, warnings: list[Warning]
) -> tuple[PlanInfo, list[Section], list[Activity], list[IntroParagraph], list[Passage]]:
    plan = structure.plan
    if plan is None:
        return PlanInfo(), [], [], [], []
    title = plan.title.text if plan.title else None
    period = find_period(title) if title else None
    parties = [c.short for c in conventions_named_in(title or "", rules)]
    sections = [Section(number=s.number, title=s.title.text, provenance=provenance(s.title)) for s in plan.sections]
    activities = []
    passages = []
    for parsed, act_id in zip(plan.activities, _activity_ids(plan.activities), strict=True):
        joined = _with_items(parsed.body, parsed.items)
        activity, extra = _activity(parsed, joined, act_id, period, parties, rules)
        activities.append(activity)
        warnings.extend(extra)
        passages.append(_passage("activity", parsed.number, joined))
    intro = [IntroParagraph(number=i, text=p.text, provenance=provenance(p)) for i, p in enumerate(plan.intro, 1)]
    passages.extend(_passage("intro", str(i), p) for i, p in enumerate(plan.intro, 1))
    return PlanInfo(title=title, period=period, parties=parties), sections, activities, intro, passages


def assemble(layout: LayoutDocument, rules: Rules) -> CanonicalPlan:
    furniture, fields = mark_furniture(layout, rules)
    letterhead = " ".join(line.text for line in layout.lines() if line.furniture == "letterhead")
    document = document_metadata(fields, letterhead, rules)
    structure = parse_structure(layout.lines(), rules)
    warnings = [*layout.warnings, *structure.warnings]
    if structure.title is not None:
        document.title = structure.title.text
    heading = f"{letterhead}\n{document.title or ''}"
    document.meeting = document_meeting(document.symbol, document.convention, rules, heading=heading)
    plan_info, sections, activities, intro, passages = _plan_parts(structure, rules, warnings)
    if structure.preamble is not None:
        passages.append(_passage("preamble", "", structure.preamble))
    paragraphs = []
    for parsed in structure.paragraphs:
        whole = _with_items(parsed.body, parsed.items)
        passages.append(_passage("paragraph", parsed.number, whole))
        paragraphs.append(
            Paragraph(
                number=parsed.number,
                heading=parsed.heading,
                text=parsed.body.text,
                items=[SubParagraph(label=i.label, text=i.body.text) for i in parsed.items],
                provenance=provenance(whole),
            )
        )
    footnotes = []
    for number, _text, page, lines in find_footnotes(layout):
        joined = JoinedText()
        for line in lines:
            joined.add(line)
        passages.append(_passage("footnote", number, joined))
        footnotes.append(Footnote(number=number, text=joined.text, page=page, provenance=provenance(joined)))
    references = find_references(
        passages,
        rules,
        convention=document.convention,
        own_symbol=document.symbol,
        own_meeting=document.meeting,
        text=layout.text,
    )
    cited: dict[tuple[str, str], list[str]] = {}
    for ref in references:
        for mention in ref.mentions:
            key = ("paragraph", mention.paragraph) if mention.paragraph else ("activity", mention.activity or "")
            if ref.id not in cited.setdefault(key, []):
                cited[key].append(ref.id)
    for paragraph in paragraphs:
        paragraph.references = cited.get(("paragraph", paragraph.number), [])
    for activity in activities:
        activity.references = cited.get(("activity", activity.number), [])
    for footnote in footnotes:
        footnote.references = sorted({r.id for r in references for m in r.mentions if m.footnote == footnote.number})
    return CanonicalPlan(
        extractor=__version__,
        source=_source(layout),
        document=document,
        plan=plan_info,
        paragraphs=paragraphs,
        intro=intro,
        sections=sections,
        activities=activities,
        references=references,
        footnotes=footnotes,
        furniture=furniture,
        warnings=warnings,
    )
