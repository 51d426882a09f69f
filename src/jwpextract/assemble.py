"""Assembling the canonical document from the stages: furniture, metadata, structure, references, actors."""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

from . import __version__
from .actors import actors_from_lead, actors_in_text
from .footnotes import find_footnotes
from .furniture import mark_furniture
from .layout import LayoutDocument
from .metadata import conventions_named_in, document_metadata
from .models import (
    Activity,
    Annex,
    Box,
    CanonicalDocument,
    Decision,
    Document,
    Footnote,
    IntroParagraph,
    Item,
    Paragraph,
    Period,
    Plan,
    PreambleParagraph,
    Provenance,
    Reference,
    Section,
    Source,
    SubParagraph,
    Table,
    Timeframe,
    Warning,
)
from .references import Passage, document_meeting, find_references, instrument_id
from .rules import Rules
from .structure import ParsedActivity, ParsedItem, ParsedParagraph, ParsedPlan, Structure, parse_structure
from .structure.parsed import ParsedDecision, ParsedTable
from .textjoin import JoinedText
from .timeframes import find_period, implied_period, parse_timeframe, session_years


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


def _passage(where: str, key: str, joined: JoinedText, place: dict[str, Any] | None = None) -> Passage:
    page = joined.lines[0].page if joined.lines else None
    return Passage(where=where, key=key, text=joined.text, origin=joined.origin, page=page, place=place)


def _activity_ids(activities: list[ParsedActivity], prefix: str = "") -> list[str]:
    seen: Counter[str] = Counter()
    ids = []
    for activity in activities:
        seen[activity.number] += 1
        suffix = f"~{seen[activity.number]}" if seen[activity.number] > 1 else ""
        ids.append(f"{prefix}activity:{activity.number}{suffix}")
    return ids


def _activity(
    parsed: ParsedActivity,
    joined: JoinedText,
    act_id: str,
    period: Period | None,
    parties: list[str],
    rules: Rules,
    sessions: dict[str, int],
) -> tuple[Activity, list[Warning]]:
    """The activity of ``parsed`` (``joined``: its text with its items) and the warnings on it."""
    warnings: list[Warning] = []
    timeframe = None
    if parsed.timeframe is not None:
        timeframe = parse_timeframe(parsed.timeframe.text, period, rules, sessions)
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
        ocr_pages=layout.ocr_pages,
    )


def _plan(
    parsed: ParsedPlan, k: int, rules: Rules, warnings: list[Warning], sessions: dict[str, int]
) -> tuple[Plan, list[Passage]]:
    """The ``k``-th plan (0-based) of the document and the passages that may cite references."""
    plan_id = f"plan:{k + 1}"
    title = parsed.title.text if parsed.title else None
    period = find_period(title) if title else None
    timeframes = (a.timeframe.text for a in parsed.activities if a.timeframe)
    if period is None and (period := implied_period(timeframes, rules, sessions)) is not None:
        message = f"{plan_id}: its title gives no period; {period.start}-{period.end} spans its timeframes"
        warnings.append(Warning(code="plan-period-from-timeframes", message=message, where=plan_id))
    parties = [c.short for c in conventions_named_in(title or "", rules)]
    sections = [Section(number=s.number, title=s.title.text, provenance=provenance(s.title)) for s in parsed.sections]
    activities = []
    passages = []
    prefix = f"{plan_id}/" if k else ""
    for activity_parsed, act_id in zip(parsed.activities, _activity_ids(parsed.activities, prefix), strict=True):
        joined = _with_items(activity_parsed.body, activity_parsed.items)
        activity, extra = _activity(activity_parsed, joined, act_id, period, parties, rules, sessions)
        activities.append(activity)
        warnings.extend(extra)
        place = {"plan": plan_id, "activity": act_id}
        cells = [cell for cell in (activity_parsed.timeframe, activity_parsed.lead) if cell is not None]
        passages.extend(_passage("activity", act_id, text, place) for text in [joined, *cells])
    intro = [IntroParagraph(number=i, text=p.text, provenance=provenance(p)) for i, p in enumerate(parsed.intro, 1)]
    passages.extend(_passage("intro", str(i), p, {"plan": plan_id, "intro": i}) for i, p in enumerate(parsed.intro, 1))
    plan = Plan(
        id=plan_id,
        title=title,
        period=period,
        parties=parties,
        where=parsed.where,
        intro=intro,
        sections=sections,
        activities=activities,
    )
    return plan, passages


def _paragraph(parsed: ParsedParagraph) -> tuple[Paragraph, JoinedText]:
    whole = _with_items(parsed.body, parsed.items)
    paragraph = Paragraph(
        number=parsed.number,
        heading=parsed.heading,
        text=parsed.body.text,
        items=[SubParagraph(label=i.label, text=i.body.text) for i in parsed.items],
        provenance=provenance(whole),
    )
    return paragraph, whole


def _decision_ids(decisions: list[ParsedDecision]) -> list[str]:
    seen: Counter[str] = Counter()
    ids = []
    for k, decision in enumerate(decisions, 1):
        base = f"decision:{decision.number}" if decision.number else f"decision:#{k}"
        seen[base] += 1
        ids.append(base if seen[base] == 1 else f"{base}~{seen[base]}")
    return ids


def _decision(parsed: ParsedDecision, decision_id: str) -> tuple[Decision, list[Passage]]:
    """The decision and its passages: its title (read for the conventions it names, the context of
    what follows), preambular and operative paragraphs."""
    passages = [] if parsed.title is None else [_passage("preamble", "", parsed.title, {"decision": decision_id})]
    preamble = []
    for k, joined in enumerate(parsed.preamble, 1):
        preamble.append(PreambleParagraph(text=joined.text, provenance=provenance(joined)))
        passages.append(_passage("preamble", str(k), joined, {"decision": decision_id, "preamble": k}))
    paragraphs = []
    for parsed_paragraph in parsed.paragraphs:
        paragraph, whole = _paragraph(parsed_paragraph)
        paragraphs.append(paragraph)
        place = {"decision": decision_id, "paragraph": paragraph.number}
        passages.append(_passage("paragraph", paragraph.number, whole, place))
    whole = JoinedText()
    for line in parsed.lines:
        whole.add(line)
    decision = Decision(
        id=decision_id,
        number=parsed.number,
        kind=parsed.kind,  # type: ignore[arg-type]
        status="draft" if parsed.draft else "adopted",
        title=parsed.title.text if parsed.title else None,
        annex=parsed.annex,
        preamble=preamble,
        paragraphs=paragraphs,
        annexes=parsed.annexes,
        adoption=parsed.adoption.text if parsed.adoption else None,
        provenance=provenance(whole),
    )
    return decision, passages


def _table(parsed: ParsedTable, k: int) -> Table:
    whole = JoinedText()
    for line in parsed.lines:
        whole.add(line)
    return Table(
        id=f"table:{k}",
        caption=parsed.caption,
        where=parsed.where,
        header=parsed.header,
        rows=parsed.rows,
        provenance=provenance(whole),
    )


def _kind(document: Document, structure: Structure, paragraphs: list[Paragraph], rules: Rules) -> str:
    """The document's kind: what its main content is (its title, or the heading over its first
    paragraph, tells a report)."""
    decisions = structure.decisions
    first_heading = structure.paragraphs[0].heading if structure.paragraphs else None
    title = " ".join(filter(None, [document.title, first_heading])).lower()
    reported = any(word.lower() in title.split() for word in rules.documents.report_words)
    if decisions and not paragraphs:
        return "decisions" if len(decisions) > 1 else decisions[0].kind
    if reported:
        return "report"
    if structure.plans and not decisions:
        return "plan"
    return "note" if document.symbol and (paragraphs or decisions) else "other"


def _cited(references: list[Reference]) -> dict[tuple[Any, ...], list[str]]:
    """Place of a mention (its locating fields) -> ids of the references cited there, in order."""
    cited: dict[tuple[Any, ...], list[str]] = {}
    for ref in references:
        for mention in ref.mentions:
            key = (mention.decision, mention.preamble, mention.paragraph, mention.activity, mention.footnote)
            if ref.id not in cited.setdefault(key, []):
                cited[key].append(ref.id)
    return cited


def _fallback_warnings(plans: list[Plan], decisions: list[Decision], tables: list[Table]) -> list[Warning]:
    """What a user should check: elements read without the part that usually anchors them."""
    warnings = [
        Warning(code="plan-without-title", message=f"{p.id} has no title: found by its table header", where=p.id)
        for p in plans
        if not p.title
    ]
    warnings += [
        Warning(code="decision-without-paragraphs", message=f"{d.id} has no numbered operative paragraph", where=d.id)
        for d in decisions
        if not d.paragraphs
    ]
    warnings += [
        Warning(code="table-without-header", message=f"{t.id} was read without a header row", where=t.id)
        for t in tables
        if not t.header
    ]
    return warnings


def assemble(layout: LayoutDocument, rules: Rules) -> CanonicalDocument:
    furniture, masthead = mark_furniture(layout, rules)
    document, masthead_warnings = document_metadata(masthead, rules)
    structure = parse_structure(layout.lines(), rules)
    warnings = [*layout.warnings, *masthead_warnings, *structure.warnings]
    if structure.title is not None:
        document.title = structure.title.text
    heading = document.title or ""
    document.meeting = document.meeting or document_meeting(document.symbol, document.convention, rules, heading=heading)
    sessions = session_years(layout.text, rules)
    plans, passages = [], []
    for k, parsed_plan in enumerate(structure.plans):
        plan, found = _plan(parsed_plan, k, rules, warnings, sessions)
        plans.append(plan)
        passages.extend(found)
    if structure.preamble is not None:
        passages.append(_passage("preamble", "", structure.preamble))
    paragraphs = []
    for parsed in structure.paragraphs:
        paragraph, whole = _paragraph(parsed)
        paragraphs.append(paragraph)
        passages.append(_passage("paragraph", parsed.number, whole))
    decisions = []
    for parsed_decision, decision_id in zip(structure.decisions, _decision_ids(structure.decisions), strict=True):
        decision, found = _decision(parsed_decision, decision_id)
        decisions.append(decision)
        passages.extend(found)
    footnotes = []
    for number, _text, page, lines in find_footnotes(layout):
        joined = JoinedText()
        for line in lines:
            joined.add(line)
        passages.append(_passage("footnote", number, joined))
        footnotes.append(Footnote(number=number, text=joined.text, page=page, provenance=provenance(joined)))
    own = [instrument_id(d.number, rules, convention=document.convention, kind=d.kind) for d in decisions if d.number]
    references = find_references(
        passages,
        rules,
        convention=document.convention,
        own_symbol=document.symbol,
        own_meeting=document.meeting,
        own_instruments=[i for i in own if i],
        text=layout.text,
    )
    cited = _cited(references)
    for paragraph in paragraphs:
        paragraph.references = cited.get((None, None, paragraph.number, None, None), [])
    for decision in decisions:
        for k, preamble in enumerate(decision.preamble, 1):
            preamble.references = cited.get((decision.id, k, None, None, None), [])
        for paragraph in decision.paragraphs:
            paragraph.references = cited.get((decision.id, None, paragraph.number, None, None), [])
    for plan in plans:
        for activity in plan.activities:
            activity.references = cited.get((None, None, None, activity.id, None), [])
    for footnote in footnotes:
        footnote.references = sorted({r.id for r in references for m in r.mentions if m.footnote == footnote.number})
    document.kind = _kind(document, structure, paragraphs, rules)  # type: ignore[assignment]
    tables = [_table(t, k) for k, t in enumerate(structure.tables, 1)]
    warnings += _fallback_warnings(plans, decisions, tables)
    return CanonicalDocument(
        extractor=__version__,
        source=_source(layout),
        document=document,
        paragraphs=paragraphs,
        decisions=decisions,
        plans=plans,
        tables=tables,
        annexes=[
            Annex(
                label=a.label,
                title=a.title,
                decision=decisions[structure.decisions.index(a.decision)].id if a.decision else None,
                pages=sorted({line.page for line in a.lines}),
            )
            for a in structure.annexes
        ],
        references=references,
        footnotes=footnotes,
        furniture=furniture,
        warnings=warnings,
    )
