"""References: the tokenizer, roman numerals, every reference form, mentions, context, and the corpus."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jwpextract.errors import RulesError
from jwpextract.models import Reference
from jwpextract.nlp import parse
from jwpextract.references import (
    Passage,
    document_meeting,
    find_references,
    int_to_roman,
    ordinal_number,
    roman_to_int,
    session_number,
)
from jwpextract.rules import Rules, load_rules

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
GOLD = Path(__file__).resolve().parent / "gold"


def passage(text: str, where: str = "paragraph", key: str = "1", at: int = 0, page: int | None = None) -> Passage:
    return Passage(where=where, key=key, text=text, origin=range(at, at + len(text)), page=page)


def refs(text: str, rules: Rules, convention: str | None = "CMS", **kw: str) -> list[Reference]:
    return find_references([passage(text)], rules, convention=convention, **kw)


def ids(text: str, rules: Rules, convention: str | None = "CMS", **kw: str) -> list[str]:
    return [r.id for r in refs(text, rules, convention, **kw)]


# --- tokenizer -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Res.8.11", ["Res", ".", "8", ".", "11"]),
        ("X/20", ["X", "/", "20"]),
        ("COP10", ["COP", "10"]),
        ("10.5/Rev.1", ["10", ".", "5", "/", "Rev", ".", "1"]),
        ("the 11th", ["the", "11", "th"]),
    ],
)
def test_tokenizer_splits_runs(text: str, tokens: list[str], rules: Rules) -> None:
    assert [t.text for t in parse(text, rules)] == tokens


def test_tokenizer_keeps_offsets_and_whitespace(rules: Rules) -> None:
    text = "CMS  Res.8.11\nand  X / 20 "
    doc = parse(text, rules)
    assert doc.text == text
    for token in doc:
        assert text[token.idx : token.idx + len(token)] == token.text
    spaced = {t.text: t._.space_before for t in doc if not t.is_space}
    assert spaced["/"] is True
    assert spaced["X"] is True  # after a white space token of its own
    assert (spaced["Res"], spaced["8"]) == (True, False)


@pytest.mark.parametrize(
    ("text", "role", "value"),
    [
        ("Convention on Biological Diversity", "convention", "cbd"),
        ("Conference of the Contracting Parties", "body", "Conference of the Contracting Parties"),
        ("UNEP/CMS/", "prefix", "cms"),
        ("Aichi Biodiversity Target", "framework", "aichi"),
        ("decisions", "kind", "decision"),
    ],
)
def test_vocabulary_is_one_marked_token(text: str, role: str, value: str, rules: Rules) -> None:
    doc = parse(text, rules)
    assert [(t.text, t._.role, t._.value) for t in doc] == [(text, role, value)]


# --- roman numerals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "roman"), [(1, "I"), (4, "IV"), (9, "IX"), (10, "X"), (13, "XIII"), (24, "XXIV"), (49, "XLIX")]
)
def test_roman_numerals(number: int, roman: str) -> None:
    assert int_to_roman(number) == roman
    assert roman_to_int(roman) == number


@given(st.integers(min_value=1, max_value=60))
def test_roman_round_trip(number: int) -> None:
    assert roman_to_int(int_to_roman(number)) == number


@pytest.mark.parametrize("text", ["", "IIII", "VX", "IIX", "xiii", "ABC", "XM0"])
def test_not_roman(text: str) -> None:
    with pytest.raises(ValueError):
        roman_to_int(text)
    assert session_number(text) is None


def test_no_roman_below_one() -> None:
    with pytest.raises(ValueError):
        int_to_roman(0)


# --- instruments -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    id: str
    number: str
    label: str
    status: str = "adopted"
    revision: str | None = None
    body: str | None = None


@pytest.mark.parametrize(
    ("text", "convention", "expected"),
    [
        ("CMS Res.8.11 stressed", None, Expected("cms/resolution/8/11", "8.11", "CMS Resolution 8.11")),
        ("CBD decision X/20", "CMS", Expected("cbd/decision/10/20", "X/20", "CBD Decision X/20")),
        ("CBD decision 14/30", "AEWA", Expected("cbd/decision/14/30", "14/30", "CBD Decision 14/30")),
        ("Ramsar Resolution X.22", None, Expected("ramsar/resolution/10/22", "X.22", "Ramsar Resolution X.22")),
        ("Ramsar Resolution XIII.7", None, Expected("ramsar/resolution/13/7", "XIII.7", "Ramsar Resolution XIII.7")),
        ("Resolution Conf. 10.4", "CMS", Expected("cites/resolution/10/4", "10.4", "CITES Resolution Conf. 10.4")),
        (
            "CITES Resolution Conf. 11.3 (Rev. CoP17)",
            None,
            Expected("cites/resolution/11/3", "11.3", "CITES Resolution Conf. 11.3", revision="Rev. CoP17"),
        ),
        ("AEWA Resolution 7.9 on cooperation", None, Expected("aewa/resolution/7/9", "7.9", "AEWA Resolution 7.9")),
        (
            "through draft Resolution 10.5/Rev.1).",
            "CMS",
            Expected("cms/resolution/10/5", "10.5", "CMS Resolution 10.5", status="draft", revision="Rev.1"),
        ),
        (
            "SBSTTA recommendation XXIV/1",
            "CBD",
            Expected("cbd/sbstta/recommendation/24/1", "XXIV/1", "CBD SBSTTA Recommendation XXIV/1", body="sbstta"),
        ),
        (
            "SBSTTA recommendation XXIV/1",
            "CMS",
            Expected("cbd/sbstta/recommendation/24/1", "XXIV/1", "CBD SBSTTA Recommendation XXIV/1", body="sbstta"),
        ),
        ("CITES Decision 17.211", None, Expected("cites/decision/17/211", "17.211", "CITES Decision 17.211")),
        ("In Res.9.6, the Parties", "CMS", Expected("cms/resolution/9/6", "9.6", "CMS Resolution 9.6")),
        ("Res. 10.3", "CMS", Expected("cms/resolution/10/3", "10.3", "CMS Resolution 10.3")),
        (
            "Resolution 12.7 (Rev.COP13)",
            "CMS",
            Expected("cms/resolution/12/7", "12.7", "CMS Resolution 12.7", revision="Rev.COP13"),
        ),
        ("Decision 14/5", "CBD", Expected("cbd/decision/14/5", "14/5", "CBD Decision 14/5")),
        (
            "CITES Res. Conf. 11.3 (Rev. CoP17)",
            "CMS",
            Expected("cites/resolution/11/3", "11.3", "CITES Resolution Conf. 11.3", revision="Rev. CoP17"),
        ),
        ("Ramsar Resolution XIII.20", "CMS", Expected("ramsar/resolution/13/20", "XIII.20", "Ramsar Resolution XIII.20")),
        ("AEWA Resolution 7.1", "CBD", Expected("aewa/resolution/7/1", "7.1", "AEWA Resolution 7.1")),
        ("decision X/20 of the CBD", "CMS", Expected("cbd/decision/10/20", "X/20", "CBD Decision X/20")),
        (
            "Resolution 11.10 of the Convention on Migratory Species",
            "CBD",
            Expected("cms/resolution/11/10", "11.10", "CMS Resolution 11.10"),
        ),
        (
            "Resolution XII.5 of the Ramsar Convention",
            "CMS",
            Expected("ramsar/resolution/12/5", "XII.5", "Ramsar Resolution XII.5"),
        ),
        ("Resolution 7.1 of AEWA", "CMS", Expected("aewa/resolution/7/1", "7.1", "AEWA Resolution 7.1")),
        (
            "Decision 14/5 of the Conference of the Parties to the Convention on Biological Diversity",
            "CMS",
            Expected("cbd/decision/14/5", "14/5", "CBD Decision 14/5"),
        ),
        (
            "recommendation XXIV/1 of the Subsidiary Body on Scientific, Technical and Technological Advice",
            "CMS",
            Expected("cbd/sbstta/recommendation/24/1", "XXIV/1", "CBD SBSTTA Recommendation XXIV/1", body="sbstta"),
        ),
        (
            "Resolution 5.2 of the Scientific Council",
            "AEWA",
            Expected("cms/scc/resolution/5/2", "5.2", "CMS ScC Resolution 5.2", body="scc"),
        ),
        ("Resolution 10.3 of the CBD COP", "CMS", Expected("cbd/resolution/10/3", "10.3", "CBD Resolution 10.3")),
        (
            "Resolution 12.7 (Rev.COP13) of the Ramsar Convention",
            "CMS",
            Expected("ramsar/resolution/12/7", "12.7", "Ramsar Resolution 12.7", revision="Rev.COP13"),
        ),
    ],
)
def test_instrument_forms(text: str, convention: str | None, expected: Expected, rules: Rules) -> None:
    found = [r for r in refs(text, rules, convention) if r.kind != "meeting"]
    assert len(found) == 1
    ref = found[0]
    assert (ref.id, ref.number, ref.label, ref.status, ref.revision, ref.body) == (
        expected.id,
        expected.number,
        expected.label,
        expected.status,
        expected.revision,
        expected.body,
    )
    assert ref.session == int(expected.id.split("/")[-2])
    assert ref.convention is not None and ref.convention.lower() == expected.id.split("/")[0]


@pytest.mark.parametrize(
    ("text", "convention", "expected"),
    [
        (
            "CBD COP10 decision X/20 went on to recall that decision VI/20",
            "CMS",
            ["cbd/decision/10/20", "cbd/decision/6/20"],
        ),
        (
            "In 2005, CMS Res.8.11 stressed ... In addition, Res.8.2 adopted",
            "CBD",
            ["cms/resolution/8/11", "cms/resolution/8/2"],
        ),
        ("decisions 14/2, 14/5 and 14/9", "CBD", ["cbd/decision/14/2", "cbd/decision/14/5", "cbd/decision/14/9"]),
        ("Resolutions 11.2 and 11.3", "CMS", ["cms/resolution/11/2", "cms/resolution/11/3"]),
        ("Resolution 7.1", "AEWA", ["aewa/resolution/7/1"]),
        ("Resolution 7.1", None, []),
        ("the Convention on Biological Diversity in its decision VI/20", "CMS", ["cbd/decision/6/20"]),
        ("CBD COP 11 and later Resolution 4.2", "CMS", ["cbd/resolution/4/2"]),
        ("the Ramsar Convention; CMS Resolution 8.1; Resolution 4.2", "CBD", ["cms/resolution/8/1", "cms/resolution/4/2"]),
        ("page 7/40", "CBD", []),
        ("7/40", "CBD", []),
        ("the CMS Resolution on synergies", "CMS", []),
        ("decision-making bodies 12/3", "CBD", []),
        ("the decisions of CBD COP 11", "CMS", []),
        ("decisions 14/2, 14/5 and 14/9 of the CBD", "CMS", ["cbd/decision/14/2", "cbd/decision/14/5", "cbd/decision/14/9"]),
        ("decision X/20 of the CBD and decision VI/20", "CMS", ["cbd/decision/10/20", "cbd/decision/6/20"]),
        ("Resolution 4.2, the CBD Secretariat", "CMS", ["cms/resolution/4/2"]),
        ("Resolution 4.2 and the CBD", "CMS", ["cms/resolution/4/2"]),
        ("Resolution 4.2 of the Parties to the CBD", "CMS", ["cms/resolution/4/2"]),
        ("the CBD; Resolution 4.2 of the Convention on Migratory Species", "AEWA", ["cms/resolution/4/2"]),
    ],
)
def test_instrument_context_and_lists(text: str, convention: str | None, expected: list[str], rules: Rules) -> None:
    found = [r.id for r in refs(text, rules, convention) if r.kind in ("resolution", "decision", "recommendation")]
    assert found == expected


def test_list_mentions_are_separate(rules: Rules) -> None:
    text = "See decisions 14/2, 14/5 and 14/9."
    found = refs(text, rules, "CBD")
    assert [[m.text for m in r.mentions] for r in found] == [["decisions 14/2"], ["14/5"], ["14/9"]]
    for ref in found:
        (mention,) = ref.mentions
        assert text[mention.start : mention.end] == mention.text


# --- meetings --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "convention", "expected"),
    [
        ("CBD COP10", "CMS", "cbd/meeting/cop/10"),
        ("CBD COP 11", "CMS", "cbd/meeting/cop/11"),
        ("by CMS COP8 (2005)", "CBD", "cms/meeting/cop/8"),
        ("The 11th Meeting of the Conference of the Parties to the CBD in 2012", "CMS", "cbd/meeting/cop/11"),
        ("The 11 th Meeting of the Conference of the Parties to the CBD", "CMS", "cbd/meeting/cop/11"),
        ("the 13th meeting of the Ramsar Conference of the Parties (Dubai)", "AEWA", "ramsar/meeting/cop/13"),
        ("the 7th Meeting of the Parties to AEWA", "CMS", "aewa/meeting/mop/7"),
        ("CITES CoP17", "CMS", "cites/meeting/cop/17"),
        ("SC70", "CITES", "cites/meeting/sc/70"),
        ("the CITES Secretariat reported to SC70", "CMS", "cites/meeting/sc/70"),
        ("SBSTTA 24", "CMS", "cbd/meeting/sbstta/24"),
        ("COP-12", "Ramsar", "ramsar/meeting/cop/12"),
        ("Res. Conf. 11.3 (Rev. CoP17)", "CMS", "cites/meeting/cop/17"),
        ("the eleventh meeting of the Conference of the Parties", "CMS", "cms/meeting/cop/11"),
        ("The Eleventh Meeting of the Conference of the Parties to the CBD", "CMS", "cbd/meeting/cop/11"),
        ("at its twenty-first meeting of the Conference of the Parties to the CBD", "CMS", "cbd/meeting/cop/21"),
        ("the twenty first session of the Standing Committee", "CITES", "cites/meeting/sc/21"),
        ("the seventh Meeting of the Parties to AEWA", "CMS", "aewa/meeting/mop/7"),
        ("the thirtieth meeting of the Animals Committee", "CMS", "cites/meeting/ac/30"),
        ("the ninety-ninth meeting of the Standing Committee", "CITES", "cites/meeting/sc/99"),
        ("Resolution 12.7 (Rev.COP13) of the Ramsar Convention", "CMS", "ramsar/meeting/cop/13"),
    ],
)
def test_meetings(text: str, convention: str | None, expected: str, rules: Rules) -> None:
    found = [r for r in refs(text, rules, convention) if r.kind == "meeting"]
    assert [r.id for r in found] == [expected]
    _, _, body, session = expected.split("/")
    assert (found[0].body, found[0].session) == (body, int(session))


@pytest.mark.parametrize(
    ("text", "convention"),
    [
        ("SC70", "CMS"),
        ("StC 38", "CBD"),
        ("COP", "CMS"),
        ("Conference of the Parties", "CBD"),
        ("COP 2012", "CBD"),
        ("the annual meeting of the Conference of the Parties", "CMS"),
        ("one meeting of the Conference of the Parties", "CMS"),
        ("the twenty meeting of the Conference of the Parties", "CMS"),
        ("the twenty-eleventh meeting of the Conference of the Parties", "CMS"),
        ("the first Standing Committee workshop", "CMS"),
        ("firstly, the meeting of the Conference of the Parties", "CMS"),
    ],
)
def test_no_meeting(text: str, convention: str, rules: Rules) -> None:
    assert ids(text, rules, convention) == []


def test_a_number_word_before_a_meeting_hides_nothing(rules: Rules) -> None:
    assert ids("the two COP11 decisions", rules, "CMS") == ["cms/meeting/cop/11"]


@pytest.mark.parametrize(
    ("text", "number"),
    [("eleventh", 11), ("Twentieth", 20), ("twenty-first", 21), ("Thirty Second", 32), ("eleven", None), ("twenty", None)],
)
def test_ordinal_number(text: str, number: int | None, rules: Rules) -> None:
    assert ordinal_number(text, rules) == number


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 99), st.sampled_from(["-", " "]), st.sampled_from([str.lower, str.title, str.upper]))
def test_ordinals_in_words_read_back(number: int, joint: str, case: Callable[[str], str]) -> None:
    rules = load_rules()
    words = {value: word for word, value in rules.references.ordinal_words.items()}
    tens = {value: word for word, value in rules.references.ordinal_tens.items()}
    spelled = words.get(number) or f"{tens[number - number % 10]}{joint}{words[number % 10]}"
    assert ordinal_number(case(spelled), rules) == number
    text = f"at its {case(spelled)} meeting of the Conference of the Parties to the CBD,"
    assert ids(text, rules, "CMS") == [f"cbd/meeting/cop/{number}"]


def test_own_meeting_is_no_reference(rules: Rules) -> None:
    text = "the CMS StC38 and CMS StC39"
    assert ids(text, rules, "CMS", own_meeting="cms/meeting/stc/38") == ["cms/meeting/stc/39"]


# --- documents -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "convention", "symbol", "doc_convention"),
    [
        ("(as reported in document UNEP/CMS/Conf 10.28: Report on Synergies)", "CBD", "UNEP/CMS/Conf.10.28", "CMS"),
        ("the report in document AEWA/MOP 7.14.", "AEWA", "AEWA/MOP 7.14", "AEWA"),
        ("see SC69 Doc. 8.1 on trade", "CITES", "SC69 Doc. 8.1", "CITES"),
        ("see UNEP/CBD/COP/10/27 for", "CMS", "UNEP/CBD/COP/10/27", "CBD"),
        ("see UNEP/CMS/StC38/Doc.4.", "CBD", "UNEP/CMS/StC38/Doc.4", "CMS"),
        ("decision UNEP/CBD/COP/DEC/X/2 adopted", "CMS", "UNEP/CBD/COP/DEC/X/2", "CBD"),
        ("(CBD/COP/DEC/14/30)", "CMS", "CBD/COP/DEC/14/30", "CBD"),
        ("in UNEP/CMS/Resolution 11.2, the Parties", "CBD", "UNEP/CMS/Resolution 11.2", "CMS"),
    ],
)
def test_documents(text: str, convention: str, symbol: str, doc_convention: str, rules: Rules) -> None:
    found = refs(text, rules, convention)
    assert [(r.id, r.kind, r.number, r.convention) for r in found] == [(f"doc/{symbol}", "document", symbol, doc_convention)]


@pytest.mark.parametrize(
    ("text", "own"),
    [
        ("see UNEP/CMS/StC38/Doc.4 and AEWA/StC 15.12", "UNEP/CMS/StC38/Doc.4"),
        ("see UNEP/CMS/StC38/Doc.4 and AEWA/StC 15.12", "unep/cms/stc38/doc 4"),
    ],
)
def test_own_symbol_is_no_reference(text: str, own: str, rules: Rules) -> None:
    assert ids(text, rules, "CMS", own_symbol=own) == ["doc/AEWA/StC 15.12"]


def test_symbol_holds_no_other_reference(rules: Rules) -> None:
    assert ids("AEWA/MOP 7.14 and UNEP/CMS/StC38/Doc.4 and UNEP/CMS/Resolution 11.2", rules, "AEWA") == [
        "doc/AEWA/MOP 7.14",
        "doc/UNEP/CMS/StC38/Doc.4",
        "doc/UNEP/CMS/Resolution 11.2",
    ]


def test_prefix_without_number_is_no_document(rules: Rules) -> None:
    assert ids("the AEWA/Ramsar joint plan", rules, "AEWA") == []


@pytest.mark.parametrize(
    ("symbol", "convention", "expected"),
    [
        ("UNEP/CMS/StC38/Doc.4", "CMS", "cms/meeting/stc/38"),
        ("UNEP/CMS/StC38/Doc.4", None, "cms/meeting/stc/38"),
        ("AEWA/StC 15.12", "AEWA", "aewa/meeting/stc/15"),
        ("SC69 Doc. 8.1", "CITES", "cites/meeting/sc/69"),
        ("UNEP/CBD/COP/10/27", None, "cbd/meeting/cop/10"),
        ("CBD/COP/DEC/15/13", None, "cbd/meeting/cop/15"),
        ("UNEP/CBD/COP/DEC/X/2", None, "cbd/meeting/cop/10"),
        ("CBD/SBSTTA/REC/24/1", None, "cbd/meeting/sbstta/24"),
        ("UNEP/CBD/COP/10/INF/2", None, "cbd/meeting/cop/10"),
        ("UNEP/CMS/Conf.10.28", "CMS", None),
        ("SC69 Doc. 8.1", None, None),
        (None, "CMS", None),
        ("", "CMS", None),
    ],
)
def test_document_meeting(symbol: str | None, convention: str | None, expected: str | None, rules: Rules) -> None:
    assert document_meeting(symbol, convention, rules) == expected


# --- targets ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["contributes to Aichi Target 11."], ["aichi/target/11"]),
        (["contributes to Aichi Biodiversity Target 11."], ["aichi/target/11"]),
        (["Aichi Biodiversity Targets 11 and 12"], ["aichi/target/11", "aichi/target/12"]),
        (["progress towards Aichi Targets, including"], []),
        (["Target 5: By 2020 the rate of loss"], []),
        (
            ["the most relevant Aichi Biodiversity Targets are:", "Target 5: By 2020", "Target 9: By 2020"],
            ["aichi/target/5", "aichi/target/9"],
        ),
        (["Target 5: By 2020", "the Aichi Biodiversity Targets"], []),
    ],
)
def test_targets(texts: list[str], expected: list[str], rules: Rules) -> None:
    passages, at = [], 0
    for i, text in enumerate(texts, 1):
        passages.append(passage(text, "intro", str(i), at))
        at += len(text) + 1
    found = find_references(passages, rules, convention="CMS")
    assert [r.id for r in found] == expected
    assert all(r.kind == "target" and r.label.startswith("Aichi") for r in found)


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["SDG 14.2"], [("sdg/target/14.2", "SDG Target 14.2")]),
        (["contributes to SDG target 15.5."], [("sdg/target/15.5", "SDG Target 15.5")]),
        (
            ["SDGs 14.2, 14.4 and 15.5"],
            [
                ("sdg/target/14.2", "SDG Target 14.2"),
                ("sdg/target/14.4", "SDG Target 14.4"),
                ("sdg/target/15.5", "SDG Target 15.5"),
            ],
        ),
        (["SDG 14.c"], [("sdg/target/14.c", "SDG Target 14.c")]),
        (["target 14.2 of the Sustainable Development Goals"], [("sdg/target/14.2", "SDG Target 14.2")]),
        (["SDG 14.2 and 15"], [("sdg/target/14.2", "SDG Target 14.2")]),
        (["Sustainable Development Goal 14"], []),
        (["SDG 14 and 15"], []),
        (["SDG 14. 2"], []),
        (
            ["Kunming-Montreal Global Biodiversity Framework Target 3"],
            [("gbf/target/3", "Kunming-Montreal Global Biodiversity Framework Target 3")],
        ),
        (
            ["Kunming–Montreal Global Biodiversity Framework Targets 2 and 3"],
            [
                ("gbf/target/2", "Kunming-Montreal Global Biodiversity Framework Target 2"),
                ("gbf/target/3", "Kunming-Montreal Global Biodiversity Framework Target 3"),
            ],
        ),
        (
            ["GBF Target 3", "KMGBF Target 23"],
            [
                ("gbf/target/3", "Kunming-Montreal Global Biodiversity Framework Target 3"),
                ("gbf/target/23", "Kunming-Montreal Global Biodiversity Framework Target 23"),
            ],
        ),
        (
            ["Target 3 of the Kunming-Montreal Global Biodiversity Framework"],
            [("gbf/target/3", "Kunming-Montreal Global Biodiversity Framework Target 3")],
        ),
        (
            ["the Kunming-Montreal Global Biodiversity Framework, in particular", "Target 3"],
            [("gbf/target/3", "Kunming-Montreal Global Biodiversity Framework Target 3")],
        ),
        (
            ["Targets 11 and 12 of the Aichi Biodiversity Targets"],
            [("aichi/target/11", "Aichi Biodiversity Target 11"), ("aichi/target/12", "Aichi Biodiversity Target 12")],
        ),
        (["SPMS Target 2"], [("spms/target/2", "Strategic Plan for Migratory Species Target 2")]),
        (["the Strategic Plan for Migratory Species 2015-2023"], []),
        (
            ["the Aichi Biodiversity Targets and the SDGs:", "Target 5 and Target 14.2"],
            [("aichi/target/5", "Aichi Biodiversity Target 5"), ("sdg/target/14.2", "SDG Target 14.2")],
        ),
        (["the Aichi Biodiversity Targets:", "Target 14.2"], []),
        (
            ["the most relevant Aichi Biodiversity\n   Targets are:", "Target 5: By 2020"],
            [("aichi/target/5", "Aichi Biodiversity Target 5")],
        ),
    ],
)
def test_targets_of_other_frameworks(texts: list[str], expected: list[tuple[str, str]], rules: Rules) -> None:
    passages, at = [], 0
    for i, text in enumerate(texts, 1):
        passages.append(passage(text, "intro", str(i), at))
        at += len(text) + 1
    found = find_references(passages, rules, convention="CMS")
    assert [(r.id, r.label) for r in found] == expected
    assert all(r.kind == "target" and r.number == r.id.rsplit("/", 1)[1] for r in found)


# --- mentions and places ---------------------------------------------------------------------------


def test_mentions_carry_document_offsets_and_places(rules: Rules) -> None:
    doc_text = "xxxx CMS Res.8.11 yy. Res.8.11 again. AEWA Resolution 6.12 zz CBD decision 14/30"
    first = Passage("paragraph", "2", doc_text[5:21], range(5, 21), page=1)
    second = Passage("item", "2.1", doc_text[22:58], range(22, 58), page=2)
    third = Passage("footnote", "3", doc_text[59:], range(59, len(doc_text)), page=3)
    intro = Passage("intro", "4", doc_text[:4], range(0, 4))
    found = {r.id: r for r in find_references([first, second, third, intro], rules, convention="CMS")}
    assert list(found) == ["cms/resolution/8/11", "aewa/resolution/6/12", "cbd/decision/14/30"]
    mentions = found["cms/resolution/8/11"].mentions
    assert [(m.text, m.paragraph, m.activity, m.page) for m in mentions] == [
        ("CMS Res.8.11", "2", None, 1),
        ("Res.8.11", None, "2.1", 2),
    ]
    for ref in found.values():
        for m in ref.mentions:
            assert doc_text[m.start : m.end] == m.text
    assert found["cbd/decision/14/30"].mentions[0].footnote == "3"


def test_intro_place_is_a_number(rules: Rules) -> None:
    (ref,) = find_references([passage("Aichi Target 11", "intro", "3")], rules, convention="CBD")
    assert ref.mentions[0].intro == 3


def test_mentions_across_line_breaks(rules: Rules) -> None:
    text = "endorsed by CMS \n\nCOP8 (Res.8.18)"
    found = find_references([passage(text)], rules, convention="CBD")
    assert [(r.id, r.mentions[0].text) for r in found] == [
        ("cms/meeting/cop/8", "CMS COP8"),
        ("cms/resolution/8/18", "Res.8.18"),
    ]
    assert text[found[0].mentions[0].start : found[0].mentions[0].end] == "CMS \n\nCOP8"


def test_unknown_passage_kind(rules: Rules) -> None:
    with pytest.raises(ValueError, match="unknown passage kind"):
        find_references([passage("x", where="table")], rules, convention="CMS")


def test_draft_status_wins_and_revision_kept(rules: Rules) -> None:
    text = "Resolution 10.5 and later draft Resolution 10.5/Rev.2"
    (ref,) = refs(text, rules, "CMS")
    assert (ref.status, ref.revision, len(ref.mentions)) == ("draft", "Rev.2", 2)


# --- rules as data ---------------------------------------------------------------------------------


def test_user_rules_extend_kind_words(tmp_path: Path) -> None:
    extra = {"kind_words": {"resolution": ["res", "resolution", "resolutions", "résolution"]}}
    (tmp_path / "references.json").write_text(json.dumps(extra), encoding="utf-8")
    rules = load_rules([tmp_path])
    assert ids("la Résolution 8.11 de la CMS", rules, "CMS") == ["cms/resolution/8/11"]


def test_unknown_pattern_kind_is_a_rules_error(tmp_path: Path) -> None:
    extra = {"patterns": [{"id": "odd", "kind": "treaty", "pattern": [{"ORTH": "x"}]}]}
    (tmp_path / "references.json").write_text(json.dumps(extra), encoding="utf-8")
    with pytest.raises(RulesError, match="unknown kind 'treaty'"):
        ids("x", load_rules([tmp_path]), "CMS")


def test_invalid_pattern_is_a_rules_error(tmp_path: Path) -> None:
    extra = {"patterns": [{"id": "bad", "kind": "meeting", "pattern": [{"NOT_AN_ATTR": "x"}]}]}
    (tmp_path / "references.json").write_text(json.dumps(extra), encoding="utf-8")
    with pytest.raises(RulesError, match="invalid meeting pattern"):
        ids("x", load_rules([tmp_path]), "CMS")


# --- generated references --------------------------------------------------------------------------

STYLES = {
    # convention: (separator, roman sessions?, kind words, marker)
    "CMS": (".", False, ["Resolution", "Res.", "Resolutions"], ""),
    "CBD": ("/", None, ["decision", "Decision", "decisions"], ""),
    "Ramsar": (".", True, ["Resolution", "Resolutions", "Recommendation"], ""),
    "CITES": (".", False, ["Resolution", "Decision", "Resolutions"], "Conf. "),
    "AEWA": (".", False, ["Resolution", "Resolutions"], ""),
}
KINDS = {"res": "resolution", "dec": "decision", "rec": "recommendation"}
NAMES = {
    "CMS": ["CMS", "Convention on Migratory Species", "Bonn Convention"],
    "CBD": ["CBD", "Convention on Biological Diversity"],
    "Ramsar": ["Ramsar Convention", "Convention on Wetlands"],
    "CITES": ["CITES", "Convention on International Trade in Endangered Species"],
    "AEWA": ["AEWA", "African-Eurasian Waterbird Agreement"],
}
"""Names of each convention that may follow its instruments: "decision X/20 of the CBD"."""


def listed(printed: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return printed[0] if len(printed) == 1 else ", ".join(printed[:-1]) + " and " + printed[-1]


@st.composite
def printed_references(draw: st.DrawFn) -> tuple[str, list[tuple[str, str | None]], bool]:
    short = draw(st.sampled_from(sorted(STYLES)))
    separator, roman, words, marker = STYLES[short]
    word = draw(st.sampled_from(words))
    kind = KINDS[word.lower()[:3]]
    marker = marker if kind == "resolution" else ""
    numbers = draw(st.lists(st.tuples(st.integers(1, 60), st.integers(1, 300)), min_size=1, max_size=4, unique=True))
    use_roman = draw(st.booleans()) if roman is None else roman
    draft = draw(st.booleans())
    printed, expected = [], []
    for session, number in numbers:
        revision = draw(st.one_of(st.none(), st.integers(1, 9).map(lambda n: f"Rev.{n}")))
        shown = f"{int_to_roman(session) if use_roman else session}{separator}{number}"
        printed.append(shown + (f"/{revision}" if revision else ""))
        expected.append((f"{short.lower()}/{kind}/{session}/{number}", revision))
    if draw(st.booleans()):
        text = f"{'draft ' if draft else ''}{word} {marker}{listed(printed)} of the {draw(st.sampled_from(NAMES[short]))}"
    else:
        text = f"{'draft ' if draft else ''}{short} {word} {marker}{listed(printed)}"
    return text, expected, draft


@settings(max_examples=150, deadline=None)
@given(printed_references())
def test_generated_references_parse_back(case: tuple[str, list[tuple[str, str | None]], bool]) -> None:
    text, expected, draft = case
    rules = load_rules()
    found = find_references([passage(f"As noted, {text}, the Parties")], rules, convention=None)
    by_id = {r.id: r for r in found}
    assert sorted(by_id) == sorted({i for i, _ in expected})
    for ref_id, revision in expected:
        ref = by_id[ref_id]
        assert ref.status == ("draft" if draft else "adopted")
        if revision:
            assert ref.revision == revision


TARGET_STYLES = {
    # framework: (names printed before the numbers, names printed after "Targets N of the", dotted numbers?)
    "aichi": (["Aichi Biodiversity Targets", "Aichi Target"], ["Aichi Biodiversity Targets"], False),
    "gbf": (["Kunming-Montreal Global Biodiversity Framework Target", "GBF Targets", "KMGBF target"], ["GBF"], False),
    "spms": (["SPMS Targets", "Strategic Plan for Migratory Species Target"], ["SPMS"], False),
    "sdg": (["SDG", "SDGs", "SDG target", "Sustainable Development Goal"], ["SDGs", "Sustainable Development Goals"], True),
}


@st.composite
def printed_targets(draw: st.DrawFn) -> tuple[str, list[str]]:
    framework = draw(st.sampled_from(sorted(TARGET_STYLES)))
    before, after, dotted = TARGET_STYLES[framework]
    if dotted:
        part = st.one_of(st.integers(1, 19).map(str), st.sampled_from("abcd"))
        number = st.tuples(st.integers(1, 17), part).map(lambda goal_target: ".".join(map(str, goal_target)))
    else:
        number = st.integers(1, 23).map(str)
    numbers = draw(st.lists(number, min_size=1, max_size=4, unique=True))
    if draw(st.booleans()):
        text = f"{draw(st.sampled_from(before))} {listed(numbers)}"
    else:
        text = f"Target{'s' if len(numbers) > 1 else ''} {listed(numbers)} of the {draw(st.sampled_from(after))}"
    return text, [f"{framework}/target/{n}" for n in numbers]


@settings(max_examples=100, deadline=None)
@given(printed_targets())
def test_generated_targets_parse_back(case: tuple[str, list[str]]) -> None:
    text, expected = case
    found = find_references([passage(f"This contributes to {text}, as agreed.")], load_rules(), convention="CBD")
    assert [r.id for r in found] == expected


# --- the corpus ------------------------------------------------------------------------------------

PARAGRAPH = re.compile(r"(?m)^\s*(\d{1,2}(?:\.\d)?)\.? +(?=[A-Z(])")


def corpus_passages(name: str, annex: str, intro_end: str | None) -> list[Passage]:
    """Passages of a corpus text dump: cover-note paragraphs, the annex introduction, activities."""
    text = (CORPUS / name).read_text(encoding="utf-8")
    annex_at = text.index(annex)
    intro_at = text.index(intro_end, annex_at) if intro_end else annex_at
    starts = [(m.start(), m.group(1)) for m in PARAGRAPH.finditer(text) if not annex_at <= m.start() < intro_at]
    bounds = sorted([*starts, (annex_at, ""), (intro_at, ""), (len(text), "")])
    passages = []
    for (start, key), (end, _) in itertools.pairwise(bounds):
        if start == annex_at and intro_end:
            passages.append(Passage("intro", "1", text[start:end], range(start, end)))
        elif key:
            where = "activity" if "." in key and start > annex_at else "paragraph"
            passages.append(Passage(where, key, text[start:end], range(start, end)))
    return passages


def gold_id(entry: dict[str, str]) -> str:
    if entry["kind"] == "document":
        return "doc/" + entry["number"]
    session, number = re.split(r"[./]", entry["number"])
    value = int(session) if session.isdigit() else roman_to_int(session)
    return f"{entry['convention'].lower()}/{entry['kind']}/{value}/{int(number)}"


def test_corpus_cms_stc38(rules: Rules) -> None:
    passages = corpus_passages("UNEP-CMS-StC38-Doc4.txt", "Annex 1", "Activities:")
    own_meeting = document_meeting("UNEP/CMS/StC38/Doc.4", "CMS", rules)
    assert own_meeting == "cms/meeting/stc/38"
    found = find_references(passages, rules, convention="CMS", own_symbol="UNEP/CMS/StC38/Doc.4", own_meeting=own_meeting)
    by_id = {r.id: r for r in found}
    gold = json.loads((GOLD / "UNEP-CMS-StC38-Doc4.gold.json").read_text(encoding="utf-8"))
    expected = [gold_id(r) for r in gold["references"]]
    assert expected == [
        "cms/resolution/8/11",
        "cms/resolution/8/2",
        "cms/resolution/10/5",
        "cms/resolution/8/18",
        "cms/resolution/9/6",
        "cbd/decision/10/20",
        "cbd/decision/6/20",
        "doc/UNEP/CMS/Conf.10.28",
    ]
    meetings = ["cms/meeting/cop/8", "cms/meeting/cop/10", "cbd/meeting/cop/10", "cbd/meeting/cop/11"]
    targets = [f"aichi/target/{n}" for n in (5, 9, 11, 12)]
    assert sorted(by_id) == sorted(expected + meetings + targets)
    for entry in gold["references"]:
        ref = by_id[gold_id(entry)]
        assert sorted({m.paragraph for m in ref.mentions if m.paragraph}) == entry["in_paragraphs"]
        if entry["kind"] != "document":
            assert (ref.status, ref.revision) == (entry.get("status", "adopted"), entry.get("revision"))
    assert all(m.intro == 1 for t in targets for m in by_id[t].mentions)
    assert [r.id for r in found] == sorted(by_id, key=lambda i: by_id[i].mentions[0].start)


def test_corpus_aewa_ramsar(rules: Rules) -> None:
    passages = corpus_passages("aewa-ramsar-jwp-2019.txt", "Annex", None)
    own_meeting = document_meeting("AEWA/StC 15.12", "AEWA", rules)
    assert own_meeting == "aewa/meeting/stc/15"
    found = find_references(passages, rules, convention="AEWA", own_symbol="AEWA/StC 15.12", own_meeting=own_meeting)
    by_id = {r.id: r for r in found}
    gold = json.loads((GOLD / "aewa-ramsar-jwp-2019.gold.json").read_text(encoding="utf-8"))
    expected = [gold_id(r) for r in gold["references"]]
    assert expected == [
        "aewa/resolution/7/9",
        "ramsar/resolution/13/7",
        "aewa/resolution/7/1",
        "doc/AEWA/MOP 7.14",
        "aewa/resolution/6/12",
        "cbd/decision/14/30",
    ]
    assert list(by_id) == [*expected[:2], "ramsar/meeting/cop/13", *expected[2:]]
    assert [m.activity for m in by_id["aewa/resolution/6/12"].mentions] == ["2.1"]
    assert [m.activity for m in by_id["cbd/decision/14/30"].mentions] == ["3.1"]
