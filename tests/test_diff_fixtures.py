"""Canonical documents built from the answer keys (no extraction needed), for the reconcile and diff tests.

:class:`DocumentBuilder` writes a synthetic document text, wrapping each element's lines as a
printed page would, so that provenance offsets and ``source_text`` behave like an extraction's.
"""

from __future__ import annotations

import hashlib
import json
import textwrap
from functools import cache
from typing import Any

from jwpextract.diff import PlanDiff
from jwpextract.models import (
    Activity,
    CanonicalDocument,
    Document,
    IntroParagraph,
    Item,
    Paragraph,
    Period,
    Plan,
    Provenance,
    Section,
    Source,
    SubParagraph,
    Timeframe,
)
from jwpextract.pipeline import extract_bytes
from jwpextract.rules import load_rules

from .conftest import CORPUS, GOLD

Key = dict[str, Any]


def load_key(name: str) -> Key:
    return json.loads((GOLD / f"{name}.gold.json").read_text(encoding="utf-8"))


@cache
def extracted(name: str) -> CanonicalDocument:
    """The extraction of ``corpus/<name>`` (once per test session)."""
    path = CORPUS / name
    return extract_bytes(str(path), path.read_bytes(), load_rules())


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


def document_from_key(
    key: Key,
    *,
    path: str = "plan.txt",
    paragraphs: list[tuple[str, str, list[tuple[str, str]]]] | None = None,
    intro: list[str] | None = None,
) -> tuple[CanonicalDocument, str]:
    """The document of an answer key (its one plan: plan info, sections, activities) and its
    synthetic document text.

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
    plan = Plan(
        id="plan:1",
        title=plan_key.get("title"),
        period=Period(**period) if period else None,
        parties=plan_key.get("parties", []),
        intro=intros,
        sections=sections,
        activities=activities,
    )
    document = CanonicalDocument(
        extractor="test",
        source=Source(path=path, sha256=digest, format="text", pages=1, text_sha256=digest),
        document=Document(**{k: key.get("document", {}).get(k) for k in ("symbol", "date", "convention")}),
        paragraphs=paras,
        plans=[plan],
    )
    return document, doc.text


# --- the 2015-2017 version of the seed plan, as a key derived from the 2012-2014 key ---------------

NEW_TEXTS = {
    "2.2": "The Secretariats will collaborate through their joint membership of the Scientific Task Force on "
    "Wildlife and Ecosystem Health.",
    "2.9": "The Secretariats will cooperate in implementing the Strategic Plan for Migratory Species 2015-2023 and "
    "in reporting on its contribution to the Aichi Biodiversity Targets.",
    "4.1": "The CMS Secretariat will promote its “Guidelines on the Integration of Migratory Species into National "
    "Biodiversity Strategies and Action Plans (NBSAPs)”, and the CBD Secretariat will disseminate them at its "
    "regional and sub-regional capacity-building workshops on reviewing NBSAPs, to which it will invite the CMS "
    "Secretariat.",
}
NEW_SECTION_2 = (
    "Joint activities to support achieving the Strategic Plan for Migratory Species and Aichi Biodiversity Targets "
    "of key shared interest"
)
# old number -> (new number, new section); None: dropped
NEW_NUMBERS = {"5.1": ("1.2", "1"), "1.2": ("1.3", "1"), "1.3": ("1.4", "1"), "1.4": ("1.5", "1"), "2.8": None}
NEW_NUMBERS |= {"2.9": ("2.8", "2"), "4.2": None, "5.2": ("5.1", "5"), "5.3": ("6.5", "6")}


def seed_2015_key() -> Key:
    """UNEP/CMS/StC44 (2015-2017) rebuilt from the 2012-2014 key with the changes of
    ``versions-2012-2015.gold.json`` and the new texts as printed in ``corpus/versions/``."""
    old = load_key("UNEP-CMS-StC38-Doc4")
    period = {"text": "2015-17", "start": 2015, "end": 2017}
    activities = []
    for entry in old["activities"]:
        number = entry["number"]
        if number in NEW_NUMBERS and NEW_NUMBERS[number] is None:
            continue
        new = dict(entry, timeframe=period)
        new["number"], new["section"] = NEW_NUMBERS.get(number) or (number, entry["section"])
        if number == "6.4":
            new["items"] = entry["items"][:-1]
        if number == "4.1":
            new |= {"text": NEW_TEXTS["4.1"], "actors": ["CBD Secretariat", "CMS Secretariat"]}
            new["timeframe"] = {"text": "2015-16", "start": 2015, "end": 2016}
        if number == "2.2":
            new["text"] = NEW_TEXTS["2.2"]
        activities.append(new)
    added = dict(activities[0], number="2.9", section="2", theme="Threatened species", text=NEW_TEXTS["2.9"])
    activities.insert(next(i for i, a in enumerate(activities) if a["number"] == "2.8") + 1, added)
    activities.append(activities.pop(next(i for i, a in enumerate(activities) if a["number"] == "6.5")))
    sections = [dict(s, title=NEW_SECTION_2) if s["number"] == "2" else s for s in old["sections"]]
    title = old["plan"]["title"].replace("2012-2014", "2015-2017")
    plan = dict(old["plan"], title=title, period={"start": 2015, "end": 2017})
    document = {"symbol": "UNEP/CMS/StC44/Doc.17", "date": "2015-10-02", "convention": "CMS"}
    return {"document": document, "plan": plan, "sections": sections, "activities": activities}


def as_gold(diff: PlanDiff) -> dict[str, Any]:
    """A diff in the form of ``versions-2012-2015.gold.json`` (pairs sorted)."""
    entries = diff.activities
    return {
        "pairs": sorted([a.old, a.new, list(a.changes)] for a in entries if a.old and a.new),
        "removed": sorted(a.old for a in entries if a.status == "removed"),
        "added": sorted(a.new for a in entries if a.status == "added"),
        "plan": {
            "period": diff.plan.period is not None,
            "title": diff.plan.title is not None,
            "section_titles": [s.number for s in diff.plan.section_titles],
        },
    }


def gold_versions() -> dict[str, Any]:
    key = json.loads((GOLD / "versions-2012-2015.gold.json").read_text(encoding="utf-8"))
    return {
        "pairs": sorted(key["pairs"]),
        "removed": sorted(key["removed"]),
        "added": sorted(key["added"]),
        "plan": key["plan"],
    }
