"""Canonical plans built from the answer keys (no extraction needed), for the reconcile and diff tests.

:class:`DocumentBuilder` writes a synthetic document text, wrapping each element's lines as a
printed page would, so that provenance offsets and ``source_text`` behave like an extraction's.
"""

from __future__ import annotations

import hashlib
import json
import textwrap
from typing import Any

from jwpextract.models import (
    Activity,
    CanonicalPlan,
    Document,
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
)

from .conftest import GOLD

Key = dict[str, Any]


def load_key(name: str) -> Key:
    return json.loads((GOLD / f"{name}.gold.json").read_text(encoding="utf-8"))


class DocumentBuilder:
    """Appends elements to a document text; each element gets its provenance."""

    def __init__(self, width: int = 72) -> None:
        self.text = ""
        self.width = width
        self.line = 0

    def add(self, body: str, prefix: str = "") -> Provenance:
        lines = textwrap.wrap(prefix + body, self.width, break_on_hyphens=False) or [prefix]
        source = "\n".join(lines)
        first = len(self.text)
        self.text += source + "\n\n"
        provenance = Provenance(
            pages=[1],
            lines=(self.line, self.line + len(lines) - 1),
            start=first + len(prefix),
            end=first + len(source),
            source_text=source,
        )
        self.line += len(lines) + 1
        return provenance


def _activity_ids(numbers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    ids = []
    for number in numbers:
        seen[number] = seen.get(number, 0) + 1
        ids.append(f"activity:{number}" + (f"~{seen[number]}" if seen[number] > 1 else ""))
    return ids


def activity_from_key(entry: Key, act_id: str, doc: DocumentBuilder) -> Activity:
    items = [Item(label=i["label"], text=i["text"]) for i in entry.get("items", [])]
    full_text = " ".join([entry["text"], *(i.text for i in items)])
    timeframe = entry.get("timeframe")
    return Activity(
        id=act_id,
        number=entry["number"],
        section=entry.get("section"),
        theme=entry.get("theme"),
        text=entry["text"],
        items=items,
        full_text=full_text,
        timeframe=Timeframe(**timeframe) if timeframe else None,
        actors=list(entry.get("actors", [])),
        references=list(entry.get("references", [])),
        provenance=doc.add(full_text, prefix=f"{entry['number']} "),
    )


def plan_from_key(
    key: Key,
    *,
    path: str = "plan.txt",
    paragraphs: list[tuple[str, str, list[tuple[str, str]]]] | None = None,
    intro: list[str] | None = None,
) -> tuple[CanonicalPlan, str]:
    """The plan of an answer key (activities, sections, plan info) and its synthetic document text.

    ``paragraphs`` are (number, text, [(label, item text)]); ``intro`` the annex introduction.
    """
    doc = DocumentBuilder()
    paras = [
        Paragraph(
            number=number,
            text=text,
            items=[SubParagraph(label=label, text=item) for label, item in items],
            provenance=doc.add(" ".join([text, *(item for _, item in items)]), prefix=f"{number}. "),
        )
        for number, text, items in paragraphs or []
    ]
    intros = [IntroParagraph(number=n, text=text, provenance=doc.add(text)) for n, text in enumerate(intro or [], 1)]
    sections = [Section(number=s["number"], title=s["title"]) for s in key.get("sections", [])]
    entries = key["activities"]
    ids = _activity_ids([e["number"] for e in entries])
    activities = [activity_from_key(e, i, doc) for e, i in zip(entries, ids, strict=True)]
    plan_key = key.get("plan", {})
    period = plan_key.get("period")
    digest = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
    plan = CanonicalPlan(
        extractor="test",
        source=Source(path=path, sha256=digest, format="text", pages=1, text_sha256=digest),
        document=Document(**{k: key.get("document", {}).get(k) for k in ("symbol", "date", "convention")}),
        plan=PlanInfo(
            title=plan_key.get("title"),
            period=Period(**period) if period else None,
            parties=plan_key.get("parties", []),
        ),
        paragraphs=paras,
        intro=intros,
        sections=sections,
        activities=activities,
    )
    return plan, doc.text
