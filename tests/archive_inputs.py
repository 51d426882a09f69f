"""Inputs of the archive and lineage tests: the corpus extracted once, and a generated document that
has every element of the contract (decisions with preamble and annexes, tables, footnotes, mentions
in every kind of place, entities, links, furniture, warnings)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jwpextract.models import (
    Activity,
    Annex,
    CanonicalDocument,
    Decision,
    Document,
    Entity,
    Footnote,
    Furniture,
    IntroParagraph,
    Item,
    Link,
    Mention,
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
from jwpextract.pipeline import extract_bytes
from jwpextract.rules import load_rules
from jwpextract.writers import to_json

from .conftest import CORPUS

CORPUS_SOURCES = (
    "UNEP-CMS-StC38-Doc4.txt",
    "UNEP-CMS-StC38-Doc4.pdf",
    "UNEP-CMS-StC38-Doc4-borderless.pdf",
    "aewa-ramsar-jwp-2019.txt",
    "aewa-ramsar-jwp-2019.pdf",
    "versions/UNEP-CMS-StC44-JWP-2015.txt",
    "versions/UNEP-CMS-StC44-JWP-2015.pdf",
)


@cache
def extracted(name: str) -> CanonicalDocument:
    """``corpus/<name>`` extracted (once per test session), named as ``extract corpus/`` names it."""
    return extract_bytes(f"corpus/{name}", (CORPUS / name).read_bytes(), load_rules())


def write_corpus(folder: Path) -> list[Path]:
    """The corpus's extractions as ``<folder>/<source>.json``, mirroring ``corpus/``."""
    written = []
    for name in CORPUS_SOURCES:
        path = folder / f"{name}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(to_json(extracted(name)), encoding="utf-8")
        written.append(path)
    return written


def _at(start: int, text: str, page: int = 1) -> Provenance:
    return Provenance(pages=[page], lines=(start, start), start=start * 100, end=start * 100 + len(text), source_text=text)


def _mention(text: str, start: int, **where: object) -> Mention:
    return Mention.model_validate({"text": text, "start": start, "end": start + len(text), "page": 1, **where})


def complete_document(path: str = "generated/complete.txt") -> CanonicalDocument:
    """A document holding one of every element, with mentions in each place a mention can be."""
    activity = Activity(
        id="activity:1.1",
        number="1.1",
        section="1",
        theme="Flyways",
        text="The CMS Secretariat will review flyway monitoring, recalling decision X/20",
        items=[Item(label="a", text="wetland census", actors=["Ramsar Secretariat"], provenance=_at(3, "(a) census"))],
        full_text="The CMS Secretariat will review flyway monitoring, recalling decision X/20 wetland census",
        timeframe=Timeframe(text="2014-16", start=2014, end=2016, basis="printed"),
        lead="CMS",
        actors=["CMS Secretariat", "CBD Secretariat"],
        references=["cbd/decision/10/20"],
        provenance=_at(2, "1.1 The CMS Secretariat will review"),
    )
    second = Activity(
        id="plan:2/activity:1",
        number="1",
        text="Share data on invasive species",
        full_text="Share data on invasive species",
        provenance=_at(20, "1. Share data", page=3),
    )
    decision = Decision(
        id="decision:14/8",
        number="14/8",
        kind="decision",
        status="adopted",
        title="Protected areas and other effective conservation measures",
        annex="Annex III",
        preamble=[
            PreambleParagraph(text="Recalling decision X/20,", references=["cbd/decision/10/20"], provenance=_at(10, "R")),
            PreambleParagraph(text="Noting the work plan,", provenance=_at(11, "N")),
        ],
        paragraphs=[
            Paragraph(
                number="1",
                text="Welcomes the joint work plan;",
                items=[SubParagraph(label="a", text="on peatlands")],
                references=["cbd/decision/10/20"],
                provenance=_at(12, "1. Welcomes"),
            )
        ],
        annexes=["Annex I"],
        adoption="8th plenary meeting 15 December 2019",
        provenance=_at(9, "Decision 14/8"),
    )
    mentions = [
        _mention("decision X/20", 250, plan="plan:1", activity="activity:1.1"),
        _mention("decision X/20", 1010, decision="decision:14/8", preamble=1),
        _mention("decision X/20", 1210, decision="decision:14/8", paragraph="1"),
        _mention("decision X/20", 4010, footnote="1"),
        _mention("decision X/20", 110, plan="plan:1", intro=1),
        _mention("decision X/20", 510, paragraph="2"),
    ]
    return CanonicalDocument(
        extractor="test",
        source=Source(path=path, sha256="a" * 64, format="text", pages=3, text_sha256="b" * 64, encoding="utf-8"),
        document=Document(kind="note", symbol="UNEP/GEN/1", date="2020-01-31", convention="CMS", title="A note"),
        paragraphs=[
            Paragraph(number="1", heading="Background", text="The plan is annexed.", provenance=_at(5, "1.")),
            Paragraph(
                number="2", text="It recalls decision X/20.", references=["cbd/decision/10/20"], provenance=_at(6, "2.")
            ),
        ],
        decisions=[decision],
        plans=[
            Plan(
                id="plan:1",
                title="Joint work plan 2014-2016",
                period=Period(start=2014, end=2016),
                parties=["CMS", "CBD"],
                where="Annex 1",
                intro=[IntroParagraph(number=1, text="Under decision X/20 the parties agreed", provenance=_at(1, "U"))],
                sections=[Section(number="1", title="Flyways", provenance=_at(2, "1. Flyways"))],
                activities=[activity],
            ),
            Plan(id="plan:2", title="Action plan", activities=[second]),
        ],
        tables=[
            Table(
                id="table:1",
                caption="Indicators",
                where="Annex 2",
                header=["Indicator", "Baseline", "Target"],
                rows=[["Sites", "10", "20"], ["Species", "3", "5"]],
                provenance=_at(30, "Indicators", page=3),
            )
        ],
        annexes=[
            Annex(label="Annex 1", title="Joint work plan", pages=[2]),
            Annex(label="Annex III", decision="decision:14/8", pages=[2, 3]),
        ],
        references=[
            Reference(
                id="cbd/decision/10/20",
                kind="decision",
                convention="CBD",
                session=10,
                number="20",
                status="adopted",
                label="CBD decision X/20",
                mentions=mentions,
            )
        ],
        entities=[
            Entity(
                id="cms-secretariat",
                name="CMS Secretariat",
                mentions=[_mention("CMS Secretariat", 204, activity="activity:1.1")],
            )
        ],
        links=[Link.model_validate({"from": "paragraph:2", "to": "activity:1.1", "similarity": 0.87})],
        footnotes=[
            Footnote(
                number="1", text="See decision X/20.", page=3, references=["cbd/decision/10/20"], provenance=_at(40, "1 See")
            )
        ],
        furniture=[Furniture(kind="page-number", text="3", page=3)],
        warnings=[Warning(code="plan-period-from-timeframes", message="period read from timeframes", where="plan:2")],
    )
