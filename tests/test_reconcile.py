"""Reconciliation stage: entities, restatement links, numbering warnings, canonical actors."""

from __future__ import annotations

import re
from itertools import combinations

import pytest
from rapidfuzz import fuzz

from jwpextract.models import CanonicalDocument, Mention, Warning
from jwpextract.reconcile import Gazetteer, find_mentions, numbering_warnings, passages, reconcile
from jwpextract.rules import Rules
from jwpextract.sources import read_source
from jwpextract.wording import fold, words

from .conftest import CORPUS
from .test_diff_fixtures import document_from_key, extracted, load_key

# The cover note and annex introduction of UNEP/CMS/StC38/Doc.4 (the answer key has no texts).
SEED_PARAGRAPHS: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "1",
        "In 1996, a Memorandum of Cooperation was concluded between the CMS and CBD Secretariats which continues "
        "to govern our cooperation to date.",
        [],
    ),
    (
        "2",
        "In 2005, CMS Res.8.11 stressed the importance of and the need for enhanced collaboration among "
        "biodiversity-related conventions. In addition, Res.8.2 adopted the CMS Strategic Plan 2006-2011 (which is "
        "expected to be extended to 2014, by CMS COP10 through draft Resolution 10.5/Rev.1). The Strategic Plan has "
        "four main objectives:",
        [
            (
                "a",
                "To ensure that the conservation and management of migratory species are based on the best "
                "available information;",
            ),
            ("b", "To ensure that migratory species benefit from the best possible conservation measures;"),
            (
                "c",
                "To broaden awareness and enhance engagement in the conservation of migratory species amongst key "
                "actors; and",
            ),
            (
                "d",
                "To reinforce CMS’s overarching and unifying role in the conservation and management of migratory species.",
            ),
        ],
    ),
    (
        "3",
        "In 2005, the joint CBD-CMS Joint Work Programme 2006-2008 was endorsed by CMS COP8 (Res.8.18). There has "
        "not been a standalone joint work programme since then. However, the Secretariats’ cooperation has continued "
        "under the auspices of the Biodiversity Liaison Group (as reported in document UNEP/CMS/Conf 10.28: Report "
        "on Synergies and Partnerships).",
        [],
    ),
    (
        "4",
        "In 2008, CMS Res.9.6 reaffirmed the interest and importance for CMS of continuing to develop effective and "
        "practical cooperation with other biodiversity instruments. In Res.9.6, the Parties recognized that the "
        "preferred instruments for such cooperation are renewable joint work plans with agreed and attainable "
        "targets included in a clear timetable, and the necessity to report on progress and to assess "
        "effectiveness of results regularly.",
        [],
    ),
    (
        "5",
        "In September 2010, at a retreat of the Biodiversity Liaison Group, the Secretariats of CBD, CMS, CITES, "
        "Ramsar and the World Heritage Convention recommended that National Biodiversity Strategy and Action Plans "
        "(NBSAPs) should cover the full range of activities needed to implement all the biodiversity-related "
        "conventions, which includes CMS; and this was subsequently confirmed in CBD COP10 decision X/20.",
        [],
    ),
    (
        "6",
        "In October 2010, CBD COP10 decision X/20 recognized the importance of the coherent and synergistic "
        "implementation of the biodiversity-related conventions, and requested the CBD Executive Secretary to "
        "review and, where necessary, update working arrangements, such as the joint work plans, with the other "
        "biodiversity-related conventions.",
        [],
    ),
    (
        "7",
        "CBD COP10 decision X/20 went on to recall that decision VI/20 recognizes the CMS as the lead partner in "
        "conserving and sustainably using migratory species over their entire range, and requested the Executive "
        "Secretary, in collaboration with the Executive Secretary of the CMS, to update the joint work programme "
        "between the two Conventions and to collaborate on providing support and guidance to Parties on the "
        "integration of migratory species considerations in NBSAPs.",
        [],
    ),
    (
        "8",
        "Accordingly, the proposed joint work plan for the CBD and CMS Secretariats for 2012-2014 is attached in "
        "Annex 1. It takes account of the CMS Strategic Plan 2006-2011 (expected to be extended to 2014, by CMS "
        "COP10) and importantly is set within the over-arching framework of the Strategic Plan for Biodiversity "
        "2011-2020 and the Aichi Biodiversity Targets.",
        [],
    ),
    (
        "9",
        "Many of the activities will not incur significant extra cost, but for any that do, the Secretariats will "
        "jointly seek external funding. In addition, carrying out activities jointly should make it possible to "
        "optimize the utilization of the funds secured.",
        [],
    ),
    (
        "10",
        "The CMS Secretariat will submit regular reports on the joint activities to the CMS Standing Committee and, "
        "if appropriate, to other stakeholders, including the other biodiversity-related conventions.",
        [],
    ),
    (
        "11",
        "The 11th Meeting of the Conference of the Parties to the CBD in 2012 will be invited to approve the joint "
        "work plan for 2012-2014. If the document is approved by the two decision-making bodies, the two "
        "Secretariats will move forward with its implementation. Until then, existing and on-going cooperative "
        "activities that are not yet completed will continue to be pursued – one such example is the CBD "
        "Secretariat keeping the CMS Secretariat informed about regional and sub-regional capacity-building "
        "workshops on reviewing NBSAPs, inviting the CMS Secretariat to attend (which CMS will do, resources "
        "permitting), welcoming CMS Parties at such meetings, and disseminating the CMS “Guidelines on the "
        "Integration of Migratory Species into National Biodiversity Strategies and Action Plans (NBSAPs)” to "
        "meeting participants",
        [],
    ),
]

INTRO_HEAD = [
    "The following table comprises a non-exhaustive list of joint activities which implement the mandates and "
    "decisions asking the CBD and CMS Secretariats (“the Secretariats”) to work together.",
    "The secretariats of CMS Agreements and Memoranda of Understanding (MOUs) are invited by the Secretariats to "
    "participate in joint activities. Contact between CMS Agreements and MOUs and the CBD Secretariat would be "
    "coordinated by the CMS Secretariat.",
    "In 1996, a Memorandum of Cooperation was concluded between the CBD and CMS Secretariats which continues to "
    "govern our cooperation to date.",
    "The Joint Work Plan takes account of the shared objectives and targets of most relevance to both "
    "Secretariats. The CMS Strategic Plan 2006-2011 (proposed to be extended to 2014) has four main objectives:",
]
OBJECTIVES = [
    "1. To ensure that the conservation and management of migratory species are based on the best available information;",
    "2. To ensure that migratory species benefit from the best possible conservation measures;",
    "3. To broaden awareness and enhance engagement in the conservation of migratory species amongst key actors; and",
    "4. To reinforce CMS’s overarching and unifying role in the conservation and management of migratory species.",
]
INTRO_TAIL = [
    "In this respect, the most relevant Aichi Biodiversity Targets of the Strategic Plan for Biodiversity 2011-2020 are:",
    "Target 5: By 2020 the rate of loss of all natural habitats, including forests, is at least halved and where "
    "feasible brought close to zero, and degradation and fragmentation is significantly reduced.",
    "Target 9: By 2020, invasive alien species and pathways are identified and prioritized, priority species are "
    "controlled or eradicated, and measures are in place to manage pathways to prevent their introduction and "
    "establishment.",
    "Target 12: By 2020 the extinction of known threatened species has been prevented and their conservation "
    "status, particularly of those most in decline, has been improved and sustained.",
    "Funding of activities: Many of the activities will not incur significant extra cost, but for those that do, "
    "the Secretariats will jointly continue to seek external funding. In addition, carrying out activities "
    "jointly should make it possible to optimize the utilization of the funds secured.",
    "Review and reporting: The activities will be regularly reviewed and updated, and the Secretariats will "
    "submit regular reports on their activities to their respective governing bodies, such as Standing "
    "Committees and, if appropriate, to other stakeholders, including the other biodiversity-related conventions.",
    "Focal Points: The focal points are as follows, for the:",
    "• CBD Secretariat – the Principal Officer for Scientific, Technical and Technological Matters.",
    "• CMS Secretariat – the Inter-Agency Liaison Officer.",
]


def seed_document(joined_objectives: bool = False) -> tuple[CanonicalDocument, str]:
    """The seed document; the structure stage may keep the objectives apart or join them to their lead."""
    if joined_objectives:
        intro = [*INTRO_HEAD[:-1], " ".join([INTRO_HEAD[-1], *OBJECTIVES]), *INTRO_TAIL]
    else:
        intro = [*INTRO_HEAD, *OBJECTIVES, *INTRO_TAIL]
    return document_from_key(load_key("UNEP-CMS-StC38-Doc4"), paragraphs=SEED_PARAGRAPHS, intro=intro)


def intro_number(doc: CanonicalDocument, start: str) -> int:
    return next(p.number for p in doc.plans[0].intro if p.text.startswith(start))


# --- links ------------------------------------------------------------------------------------


@pytest.mark.parametrize("joined", [False, True], ids=["objectives-apart", "objectives-joined"])
def test_seed_restatements_are_linked(rules: Rules, joined: bool) -> None:
    doc, _ = seed_document(joined)
    links = {(link.from_, link.to) for link in reconcile(doc, rules).links}
    memorandum = intro_number(doc, "In 1996")
    assert ("paragraph:11", "activity:4.2") in links
    assert (f"intro:{memorandum}", "paragraph:1") in links
    objectives = [p.number for p in doc.plans[0].intro if "To ensure that" in p.text]
    assert len(objectives) == (1 if joined else 2)
    assert all((f"intro:{n}", "paragraph:2") in links for n in objectives)


def test_no_links_between_unrelated_activities(rules: Rules) -> None:
    """All activities start "The Secretariats will ...": boilerplate must not link them."""
    for name in ("UNEP-CMS-StC38-Doc4", "aewa-ramsar-jwp-2019"):
        doc, _ = document_from_key(load_key(name))
        assert reconcile(doc, rules).links == []


def test_each_passage_links_to_what_it_restates_best(rules: Rules) -> None:
    doc, _ = seed_document()
    links = reconcile(doc, rules).links
    froms = [link.from_ for link in links]
    assert len(froms) == len(set(froms))
    assert all(link.from_ != link.to for link in links)
    assert all(0.0 <= link.similarity <= 1.0 for link in links)
    # the restatement points at the original: cover note and introduction -> activities, intro -> cover note
    assert not any(link.from_.startswith("activity:") and not link.to.startswith("activity:") for link in links)


def test_link_threshold_is_calibrated(rules: Rules) -> None:
    """Every expected link clears the threshold with a margin, every other pair stays below it."""
    doc, _ = seed_document()
    links = reconcile(doc, rules).links
    threshold = rules.entities.links.threshold / 100
    assert min(link.similarity for link in links) >= threshold
    expected = {"paragraph:11", "paragraph:10", "paragraph:9"} | {f"intro:{p.number}" for p in doc.plans[0].intro}
    assert {link.from_ for link in links} <= expected


# --- entities ---------------------------------------------------------------------------------


def test_seed_entities_and_mention_offsets(rules: Rules) -> None:
    doc, text = seed_document()
    entities = {e.id: e for e in reconcile(doc, rules).entities}
    for expected in (
        "cbd/sbstta",
        "blg",
        "jlg",
        "cbd/powpa",
        "cms/stf-wildlife-diseases",
        "csab",
        "cbd/lifeweb",
        "cbd/aichi-targets-task-force",
        "cbd/gbo",
        "cms/scientific-council",
        "cms/standing-committee",
        "cbd/nbsaps",
        "cms/scientific-council-climate-change-wg",
    ):
        assert expected in entities, expected
    for entity in entities.values():
        for mention in entity.mentions:
            printed = text[mention.start : mention.end]
            assert words(printed) == words(mention.text), (entity.id, printed, mention.text)
    blg = {m.text for m in entities["blg"].mentions}
    assert {"Liaison Group of Biodiversity-related Conventions", "BLG", "Biodiversity Liaison Group"} <= blg
    wherever = {(m.paragraph, m.plan, m.activity, m.intro) for m in entities["cbd/powpa"].mentions}
    assert wherever == {
        (None, "plan:1", "activity:2.1", None),
        (None, "plan:1", "activity:2.4", None),
        (None, "plan:1", "activity:2.5", None),
    }


def test_longest_best_match_wins(rules: Rules) -> None:
    gazetteer = Gazetteer(rules.entities)
    text = "The CMS Scientific Council Working Group on Climate Change and the CMS Standing Committee."
    found = [(text[c.start : c.end], c.entity) for c in find_mentions(text, gazetteer)]
    assert found == [
        ("CMS Scientific Council Working Group on Climate Change", "cms/scientific-council-climate-change-wg"),
        ("CMS Standing Committee", "cms/standing-committee"),
    ]


def test_printed_variants_match_but_acronyms_are_exact(rules: Rules) -> None:
    gazetteer = Gazetteer(rules.entities)
    text = (
        "the Liaison Group of the Biodiversity related Conventions, the Programme of Work on Protected Area, "
        "the CSABs, the symbol UNEP/CMS/StC38 and the Scientific Task Force on Avian Influenza and Wild Birds"
    )
    found = {c.entity for c in find_mentions(text, gazetteer)}
    assert found == {"blg", "cbd/powpa", "cms/stf-avian-influenza"}


def test_no_two_entities_are_within_the_fuzzy_threshold(rules: Rules) -> None:
    """Calibration: the threshold tells different entities' names apart (docs/diff-thresholds.md).

    A name nested in another ("Standing Committee" in "CMS Standing Committee") is not a confusion:
    the exact, longer match wins over the fuzzy, shorter one.
    """
    gaz = rules.entities
    names = [
        (rule.id, " ".join(words(alias)))
        for rule in gaz.entities
        for alias in [rule.name, *rule.aliases]
        if len(alias) > gaz.exact_max_chars
    ]
    closest = max(
        fuzz.ratio(a, b)
        for (i, a), (j, b) in combinations(names, 2)
        if i != j and f" {a} " not in f" {b} " and f" {b} " not in f" {a} "
    )
    assert closest < gaz.fuzzy_threshold - 5


def test_entities_on_an_empty_plan(rules: Rules) -> None:
    doc, _ = document_from_key({"activities": []})
    result = reconcile(doc, rules)
    assert result.entities == [] and result.links == [] and result.warnings == []


# --- numbering --------------------------------------------------------------------------------


def test_gap_and_duplicate_warnings() -> None:
    numbered = [(n, f"activity:{n}") for n in ("1.1", "1.3", "2.1", "2.1", "2.2", "3.2", "3.6", "4.a", "4.c")]
    warnings = numbering_warnings("activity", numbered)
    assert {(w.code, w.where) for w in warnings} == {
        ("numbering-gap", "activity:1.3"),
        ("duplicate-number", "activity:2.1"),
        ("numbering-gap", "activity:3.2"),
        ("numbering-gap", "activity:3.6"),
        ("numbering-gap", "activity:4.c"),
    }
    messages = " | ".join(w.message for w in warnings)
    assert "1.2 missing" in messages and "3.3 to 3.5 missing" in messages and "4.b missing" in messages


def test_seed_numbering_has_no_gap_and_out_of_section_is_not_repeated(rules: Rules) -> None:
    doc, _ = seed_document()
    out_of_section = Warning(code="out-of-section", message="activity 5.1 is printed under section 1", where="activity:5.1")
    doc = doc.model_copy(update={"warnings": [out_of_section]})
    assert reconcile(doc, rules).warnings == [out_of_section]


def test_gap_in_a_plan(rules: Rules) -> None:
    key = load_key("aewa-ramsar-jwp-2019")
    key["activities"] = [a for a in key["activities"] if a["number"] != "1.2"]
    doc, _ = document_from_key(key)
    warnings = reconcile(doc, rules).warnings
    assert [(w.code, w.where) for w in warnings] == [("numbering-gap", "activity:1.3")]


# --- actors and the stage as a whole ------------------------------------------------------------


def test_actors_sorted_unique_canonical(rules: Rules) -> None:
    key = load_key("aewa-ramsar-jwp-2019")
    key["activities"][0]["actors"] = ["Ramsar Secretariat", "AEWA Secretariat", "Ramsar Secretariat"]
    doc, _ = document_from_key(key)
    assert reconcile(doc, rules).plans[0].activities[0].actors == ["AEWA Secretariat", "Ramsar Secretariat"]


def test_reconcile_is_idempotent_and_pure(rules: Rules) -> None:
    doc, _ = seed_document()
    before = doc.model_dump_json()
    once = reconcile(doc, rules)
    assert doc.model_dump_json() == before
    assert reconcile(once, rules) == once


def test_mentions_survive_reflowed_source_lines(rules: Rules) -> None:
    """Source lines broken inside a name (and hyphenated) still give offsets inside the element."""
    doc, _ = seed_document()
    activity = doc.plans[0].activities[0]
    source = re.sub(r"Biodiversity-related", "Biodiversity-\nrelated", activity.provenance.source_text)
    moved = activity.provenance.model_copy(update={"source_text": source})
    doc.plans[0].activities[0] = activity.model_copy(update={"provenance": moved})
    entity = next(e for e in reconcile(doc, rules).entities if e.id == "blg")
    mention = next(m for m in entity.mentions if m.activity == "activity:1.1")
    assert moved.start <= mention.start < mention.end <= moved.end + 1
    assert fold(mention.text) == "Liaison Group of Biodiversity-related Conventions"


PLACE_FIELDS = ("decision", "preamble", "paragraph", "plan", "activity", "footnote", "intro")


def place(mention: Mention) -> frozenset[tuple[str, str | int]]:
    """The fields that locate a mention, as a passage's ``place`` names them."""
    return frozenset((f, v) for f in PLACE_FIELDS if (v := getattr(mention, f)) is not None)


@pytest.mark.parametrize("name", ["UNEP-CMS-StC38-Doc4.txt", "aewa-ramsar-jwp-2019.txt"])
def test_mention_offsets_in_extracted_documents(rules: Rules, name: str) -> None:
    """With the document text offsets are exact; without it they stay inside their element."""
    path = CORPUS / name
    document = read_source(str(path), path.read_bytes()).text
    doc = extracted(name)
    spans = {frozenset(p.place.items()): (p.provenance.start, p.provenance.end) for p in passages(doc) if p.provenance}
    for text in (document, None):
        mentions = [m for e in reconcile(doc, rules, text=text).entities for m in e.mentions]
        assert mentions
        for m in mentions:
            where = place(m)
            assert spans[where][0] <= m.start <= m.end <= spans[where][1]
            if text is not None:
                assert words(document[m.start : m.end]) == words(m.text), (m.text, document[m.start : m.end])


def test_seed_extraction_links(rules: Rules) -> None:
    doc = reconcile(extracted("UNEP-CMS-StC38-Doc4.txt"), rules)
    links = {(link.from_, link.to) for link in doc.links}
    assert ("paragraph:11", "activity:4.2") in links
    memorandum = intro_number(doc, "In 1996")
    assert (f"intro:{memorandum}", "paragraph:1") in links
    assert any(to == "paragraph:2" and src.startswith("intro:") for src, to in links)
    assert not any(src.startswith("activity:") and to.startswith("activity:") for src, to in links)
