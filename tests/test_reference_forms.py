"""References as secretariats print them: lists under one keyword, UNFCCC and UN-system instruments,
meetings named in words, document symbols, what is no reference, and the real documents."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jwpextract.errors import RulesError
from jwpextract.furniture import mark_furniture
from jwpextract.layout import Line
from jwpextract.references import Passage, document_meeting, find_references, instrument_id, int_to_roman
from jwpextract.references.spans import uncovered_passages
from jwpextract.rules import Rules, load_rules
from jwpextract.sources import read_source

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REAL = SHARED / "real"


def passage(text: str, where: str = "paragraph", key: str = "1", at: int = 0) -> Passage:
    return Passage(where=where, key=key, text=text, origin=range(at, at + len(text)))


def ids(text: str, rules: Rules, convention: str | None, **kw: object) -> list[str]:
    return [r.id for r in find_references([passage(text)], rules, convention=convention, **kw)]  # type: ignore[arg-type]


def passages_of(*texts: str) -> list[Passage]:
    found, at = [], 0
    for n, text in enumerate(texts, 1):
        found.append(passage(text, key=str(n), at=at))
        at += len(text) + 1
    return found


# --- lists under one keyword -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "convention", "expected"),
    [
        (
            "Recalling decisions 12/3, 12/5 of 17 October 2014, 12/8 and 13/1 of 4 December 2016,",
            "CBD",
            ["cbd/decision/12/3", "cbd/decision/12/5", "cbd/decision/12/8", "cbd/decision/13/1"],
        ),
        ("decisions 4/CP.21, paragraph 3, and 9/CP.23", "UNFCCC", ["unfccc/decision/21/4", "unfccc/decision/23/9"]),
        ("Resolutions 5.2, 6.4 and 9.1", "CMS", ["cms/resolution/5/2", "cms/resolution/6/4", "cms/resolution/9/1"]),
        ("decisions XI/3 and XII/1,4 on", "CBD", ["cbd/decision/11/3", "cbd/decision/12/1"]),
        ("decisions XI/3, XII/1,4 and XIII/5", "CBD", ["cbd/decision/11/3", "cbd/decision/12/1", "cbd/decision/13/5"]),
        (
            "decisions 10/CP.21, paragraph 10, and 18/CP.23, paragraph 2,",
            "UNFCCC",
            ["unfccc/decision/21/10", "unfccc/decision/23/18"],
        ),
        ("decisions 1/CP.24, section V, and 19/CMA.1", "UNFCCC", ["unfccc/decision/24/1", "unfccc/cma/decision/1/19"]),
        ("(decision 7/CMA.1, annex, para. 4(j))", "UNFCCC", ["unfccc/cma/decision/1/7"]),
        ("decision 19/CMA.1, paras. 8 and 24, and", "UNFCCC", ["unfccc/cma/decision/1/19"]),
        ("paragraphs 80–90 of decision 1/CP.18", "UNFCCC", ["unfccc/decision/18/1"]),
        ("annex I to decision 24/CP.19", "UNFCCC", ["unfccc/decision/19/24"]),
        (
            "decision 4/CP.22, paragraph 2, 1. Notes decision 2/CMA.2",
            "UNFCCC",
            ["unfccc/decision/22/4", "unfccc/cma/decision/2/2"],
        ),
        ("Recalling its resolution 72/249 of 24 December 2017, in which it decided", "UNGA", ["unga/resolution/72/249"]),
        (
            "Resolutions 75/239 and 77/248 and decisions 74/543, 75/570, 76/564 and 77/556.",
            "UNGA",
            [
                "unga/resolution/75/239",
                "unga/resolution/77/248",
                "unga/decision/74/543",
                "unga/decision/75/570",
                "unga/decision/76/564",
                "unga/decision/77/556",
            ],
        ),
        ("decisions 14/5 (2018) and 14/8 of the CBD", "CMS", ["cbd/decision/14/5", "cbd/decision/14/8"]),
        ("decisions 14/2, paragraph 3, of the CBD", "CMS", ["cbd/decision/14/2"]),
        ("Decisions 14.12 to 14.15", "CMS", ["cms/decision/14/12", "cms/decision/14/15"]),
        ("decisions 13/1–13/3", "CBD", ["cbd/decision/13/1", "cbd/decision/13/3"]),
        ("Recalling decision 14/5 to promote cooperation and 7/40 of", "CBD", ["cbd/decision/14/5"]),
        ("in its resolution 70/1, the General Assembly adopted", "CBD", ["unga/resolution/70/1"]),
    ],
)
def test_lists(text: str, convention: str, expected: list[str], rules: Rules) -> None:
    assert ids(text, rules, convention) == expected


def test_list_mentions(rules: Rules) -> None:
    text = "decisions 12/3, 12/5 of 17 October 2014 and 13/1"
    (first, second, third) = find_references([passage(text)], rules, convention="CBD")
    assert [m.text for r in (first, second, third) for m in r.mentions] == ["decisions 12/3", "12/5", "13/1"]


# --- UNFCCC and the UN system ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "convention", "expected"),
    [
        ("decision 8/CP.16", "UNFCCC", "unfccc/decision/16/8"),
        ("decision 8/CP.16", None, "unfccc/decision/16/8"),
        ("decision 4/CMA.2", "UNFCCC", "unfccc/cma/decision/2/4"),
        ("Decision 3/CMP.8", "CBD", "unfccc/cmp/decision/8/3"),
        ("decision 3/COP.13", "UNCCD", "unccd/decision/13/3"),
        ("decision IPBES-2/5", "IPBES", "ipbes/decision/2/5"),
        ("resolution 71/312", "UNGA", "unga/resolution/71/312"),
        ("decision 72/548", "UNGA", "unga/decision/72/548"),
        ("General Assembly resolution 70/1", "CBD", "unga/resolution/70/1"),
        ("see A/RES/71/312 on", "CBD", "unga/resolution/71/312"),
        ("Economic and Social Council resolution 2013/18", "CBD", "ecosoc/resolution/2013/18"),
        (
            "the Economic and Social Council, in accordance with Council resolution 1996/31",
            "UNGA",
            "ecosoc/resolution/1996/31",
        ),
        ("Human Rights Council resolution 48/13", "UNGA", "hrc/resolution/48/13"),
        ("UNEP Governing Council decision 25/3", "CBD", "unep/gc/decision/25/3"),
        ("Governing Council decision 25/3", "UNGA", "unep/gc/decision/25/3"),
        ("UNEA resolution 5/2", "CBD", "unep/ea/resolution/5/2"),
        ("(UNEP/EA.4/Res.3)", "CBD", "unep/ea/resolution/4/3"),
        ("a Ramsar paper citing CBD decision VIII/14", "Ramsar", "cbd/decision/8/14"),
    ],
)
def test_instruments_of_other_bodies(text: str, convention: str | None, expected: str, rules: Rules) -> None:
    assert ids(text, rules, convention) == [expected]


def test_a_symbol_that_goes_on_is_a_document(rules: Rules) -> None:
    assert ids("A/RES/71/312/Corr.1", rules, "UNGA") == ["doc/A/RES/71/312/Corr.1"]


@pytest.mark.parametrize(
    ("text", "convention"),
    [
        ("Council resolution 1996/31", "CBD"),  # "Council" names ECOSOC only where it is named
        ("UNEP decision", "CBD"),
        ("decision 25/3", None),
    ],
)
def test_no_instrument(text: str, convention: str | None, rules: Rules) -> None:
    assert ids(text, rules, convention) == []


@pytest.mark.parametrize(
    ("texts", "convention", "expected"),
    [
        # "its resolution" is the speaker's, whatever the text named before
        (
            ["the BBNJ Agreement was adopted on 19 June 2023. Recalling its resolution 77/321 of 1 August 2023,"],
            "UNGA",
            ["unga/resolution/77/321"],
        ),
        (["the Convention on Biological Diversity in its decision VI/20"], "CMS", ["cbd/decision/6/20"]),
        # a convention named far before, as the subject, is not the issuer of a bare instrument
        (
            [
                "Agreement under the BBNJ Agreement The General Assembly, Recalling that it decided to convene a"
                " conference, under the auspices of the United Nations, to consider the recommendations of the"
                " Preparatory Committee established by resolution 69/292 of 19 June 2015"
            ],
            "UNGA",
            ["unga/resolution/69/292"],
        ),
        # a footnote printed inside a passage is not read in the context above it
        (
            ["the Agreement under the BBNJ Agreement, __________________ 2 Resolutions 75/239 and 77/248."],
            "UNGA",
            ["unga/resolution/75/239", "unga/resolution/77/248"],
        ),
    ],
)
def test_context(texts: list[str], convention: str, expected: list[str], rules: Rules) -> None:
    found = find_references(passages_of(*texts), rules, convention=convention)
    assert [r.id for r in found if r.kind != "meeting"] == expected


# --- meetings --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("texts", "convention", "expected"),
    [
        (["at the fourteenth meeting of the Conference of the Parties"], "CBD", ["cbd/meeting/cop/14"]),
        (["Decides to include in the provisional agenda of its seventy-second session"], "UNGA", ["unga/meeting/ga/72"]),
        (["the Third, Fourth and Fifth Meetings of the Parties"], "AEWA", [f"aewa/meeting/mop/{n}" for n in (3, 4, 5)]),
        (
            ["the 11th and 12th meetings of the Conference of the Parties"],
            "CMS",
            ["cms/meeting/cop/11", "cms/meeting/cop/12"],
        ),
        (["SBSTTA-21"], "CMS", ["cbd/meeting/sbstta/21"]),
        (["CoP15"], "CITES", ["cites/meeting/cop/15"]),
        (["SB 48 (May 2018)"], "UNFCCC", ["unfccc/meeting/sb/48"]),
        (["SB 48"], None, ["unfccc/meeting/sb/48"]),
        (["IPBES-7"], "IPBES", ["ipbes/meeting/plenary/7"]),
        (["UNEA-5"], "CBD", ["unep/meeting/ea/5"]),
        (["at the fifty-sixth sessions of the subsidiary bodies (June 2022)"], "UNFCCC", ["unfccc/meeting/sb/56"]),
        (
            ["(for the fifty-second to sixty-third sessions of the subsidiary bodies)"],
            "UNFCCC",
            ["unfccc/meeting/sb/52", "unfccc/meeting/sb/63"],
        ),
        (
            [
                "with sessions of the subsidiary bodies, starting at their fifty-third sessions"
                " and ending at their fifty-fifth sessions"
            ],
            "UNFCCC",
            ["unfccc/meeting/sb/53", "unfccc/meeting/sb/55"],
        ),
        (
            [
                "Requests the Chair of the Subsidiary Body for Scientific and Technological"
                " Advice to convene at its fifty-second session"
            ],
            "UNFCCC",
            ["unfccc/meeting/sbsta/52"],
        ),
        (
            ["Decides to hold, at its twenty-sixth session (November 2020), a round table"],
            "UNFCCC",
            ["unfccc/meeting/cop/26"],
        ),
        (
            ["report to the Subsidiary Body for Implementation; decides at its thirtieth session"],
            "UNFCCC",
            ["unfccc/meeting/cop/30"],
        ),
        (
            [
                "convene an intergovernmental conference on the BBNJ Agreement; the fourth and"
                " fifth sessions of the conference"
            ],
            "UNGA",
            ["bbnj/meeting/igc/4", "bbnj/meeting/igc/5"],
        ),
        (
            [
                "the BBNJ Agreement was opened for signature,",
                "the first meeting of the Conference of the Parties to the Agreement",
            ],
            "UNGA",
            ["bbnj/meeting/cop/1"],
        ),
        (["the fourth and fifth sessions of the conference"], "UNGA", []),  # "conference" names no body alone
        (["A. Plenary\n4. The Plenary is the Platform's decision-making body"], "IPBES", []),
        (["the second session was held"], "CMS", []),
        (["the first meeting of the KCI in the calendar year"], "UNFCCC", []),
        (["At its fifty-first meeting, the Standing Committee agreed"], "Ramsar", ["ramsar/meeting/sc/51"]),
        (["the Standing Committee at its 77th meeting (SC77) agreed"], "CITES", ["cites/meeting/sc/77"]),
    ],
)
def test_meetings(texts: list[str], convention: str | None, expected: list[str], rules: Rules) -> None:
    found = find_references(passages_of(*texts), rules, convention=convention)
    assert [r.id for r in found] == expected


@pytest.mark.parametrize(
    ("symbol", "convention", "heading", "expected"),
    [
        ("FCCC/CP/2019/13/Add.1", "UNFCCC", "", None),  # a year is no session
        (
            "FCCC/CP/2019/13/Add.1",
            "UNFCCC",
            "Report of the Conference of the Parties on its twenty-fifth session, held in Madrid",
            "unfccc/meeting/cop/25",
        ),
        (
            None,
            None,
            "| FCCC/CP/2019/13/Add.1 | Report of the Conference of the Parties on its twenty-fifth session",
            "unfccc/meeting/cop/25",
        ),
        ("A/RES/78/272", "UNGA", "General Assembly Seventy-eighth session Agenda item 75 (c)", "unga/meeting/ga/78"),
        ("UNEP/CMS/StC38/Doc.4", "CMS", "Thirty-ninth session", "cms/meeting/stc/38"),
    ],
)
def test_document_meeting_from_heading(
    symbol: str | None, convention: str | None, heading: str, expected: str | None, rules: Rules
) -> None:
    assert document_meeting(symbol, convention, rules, heading=heading) == expected


# --- document symbols ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "convention", "expected"),
    [
        ("see UNEP/CBD/COP/12/24 14 October 2014", "CBD", ["doc/UNEP/CBD/COP/12/24"]),
        ("in UNEP/CBD/COP/13/INF/63 4 and", "CBD", ["doc/UNEP/CBD/COP/13/INF/63"]),
        ("in UNEP/CBD/COP/13/INF/63,5 and", "CBD", ["doc/UNEP/CBD/COP/13/INF/63"]),
        ("see UNEP/CMS/COP12/Doc..24", "CMS", ["doc/UNEP/CMS/COP12/Doc.24"]),
        ("see FCCC/SBI/2019/15.", "UNFCCC", ["doc/FCCC/SBI/2019/15"]),
        ("see FCCC/SBSTA/2019/INF.1/Rev.1.", "UNFCCC", ["doc/FCCC/SBSTA/2019/INF.1/Rev.1"]),
        (
            "and FCCC/CP/2018/10/Add.1, FCCC/CP/2018/10/Corr.1",
            "UNFCCC",
            ["doc/FCCC/CP/2018/10/Add.1", "doc/FCCC/CP/2018/10/Corr.1"],
        ),
        ("3 A/CONF.232/2023/4. 24-07683 (E) 020524", "UNGA", ["doc/A/CONF.232/2023/4"]),
        ("[without reference to a Main Committee (A/78/L.41)]", "UNGA", ["doc/A/78/L.41"]),
        ("DOC. SC44-7", "Ramsar", ["doc/SC44-7"]),
        ("SC77 Docs 38.2, 38.3 and 38.4", "CITES", ["doc/SC77 Doc. 38.2", "doc/SC77 Doc. 38.3", "doc/SC77 Doc. 38.4"]),
    ],
)
def test_document_symbols(text: str, convention: str, expected: list[str], rules: Rules) -> None:
    assert ids(text, rules, convention) == expected


def test_documents_of_the_own_meeting(rules: Rules) -> None:
    found = ids("(Docs 38.2 and 38.3)", rules, "CITES", own_meeting="cites/meeting/sc/77")
    assert found == ["doc/SC77 Doc. 38.2", "doc/SC77 Doc. 38.3"]
    assert ids("(Docs 38.2 and 38.3)", rules, "CITES") == []


# --- not references --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "convention", "own_symbol"),
    [
        ("A/RES/78/272 Agreement under", "UNGA", "A/RES/78/272"),
        ("GE.19-01234(E)", "UNFCCC", None),
        ("24-07683 (E) 020524 *2407683*", "UNGA", None),
        ("2/4 24-07683", "UNGA", None),
        ("pursuant to article 47, paragraph 2, of the Agreement", "UNGA", None),
        ("Article 8(j) and Articles 4, 5, 6 and 12", "CBD", None),
        ("indicator 15.1.1 and target component 3.2", "CBD", None),
        ("see https://www.cbd.int/doc/decisions/cop-14/cop-14-dec-05-en.pdf and www.cms.int/resolution/12.25", "CBD", None),
        ("United Nations, Treaty Series, vol. 1833, No. 31363.", "UNGA", None),
        ("Agenda item 75 (c)", "UNGA", None),
        ("paragraphs 8 and 9 of the present resolution", "UNGA", None),
    ],
)
def test_not_references(text: str, convention: str, own_symbol: str | None, rules: Rules) -> None:
    assert ids(text, rules, convention, own_symbol=own_symbol) == []


def test_own_instruments(rules: Rules) -> None:
    text = "references to decision 4/CP.5 shall be read as references to decision 6/CP.25"
    found = ids(text, rules, "UNFCCC", own_instruments=["unfccc/decision/25/6"])
    assert found == ["unfccc/decision/5/4"]


def test_headings_of_the_own_meeting(rules: Rules) -> None:
    document = "Decision 2/CP.25\nWarsaw International Mechanism\nRecalling decision 4/CP.22 and decision 3/CP.25,\n"
    lines = document.splitlines()
    starts = [document.index(line) for line in lines]
    passages = [
        Passage("paragraph", str(n), line, range(at, at + len(line)))
        for n, (line, at) in enumerate(zip(lines, starts, strict=True))
    ]
    found = find_references(passages, rules, convention="UNFCCC", own_meeting="unfccc/meeting/cop/25", text=document)
    assert [r.id for r in found] == ["unfccc/decision/22/4", "unfccc/decision/25/3"]


@pytest.mark.parametrize(
    ("printed", "convention", "expected"),
    [
        ("3/CP.25", "UNFCCC", "unfccc/decision/25/3"),
        ("Decision 14/8", "CBD", "cbd/decision/14/8"),
        ("Resolution XI.9", "Ramsar", "ramsar/resolution/11/9"),
        ("78/272", "UNGA", "unga/decision/78/272"),
        ("the plan", "CBD", None),
    ],
)
def test_instrument_id(printed: str, convention: str, expected: str | None, rules: Rules) -> None:
    assert instrument_id(printed, rules, convention=convention) == expected


def test_uncovered_text_is_read(rules: Rules) -> None:
    text = "Header A/RES/1/1\n[without reference (A/78/L.41)]\nparagraph text\nfooter"
    lines, at = [], 0
    for n, line in enumerate(text.split("\n")):
        lines.append(Line(text=line, page=1, index=n, start=at))
        at += len(line) + 1
    lines[0].furniture = "header"
    held = [Passage("paragraph", "1", lines[2].text, range(lines[2].start, lines[2].end))]
    rest = uncovered_passages(lines, held)
    assert [(p.where, p.text) for p in rest] == [("preamble", "[without reference (A/78/L.41)]"), ("preamble", "footer")]
    assert [r.id for r in find_references(rest, rules, convention="UNGA")] == ["doc/A/78/L.41"]


# --- the real documents ----------------------------------------------------------------------------

ROWS = ("decision and document references (F1)", "meetings and targets (F1)")
REAL_DOCUMENTS = ["A-RES-78-272.pdf", "ipbes-functions-2012.pdf", "FCCC-CP-2019-13-Add1.txt"]
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason="the real documents are not here")


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("shared_score", Path(__file__).resolve().parent / "tools" / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@needs_real
@pytest.mark.parametrize("name", REAL_DOCUMENTS)
def test_real_documents(name: str, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    cli = [sys.executable, "-m", "jwpextract", "extract", str(REAL / name), "-o", str(out)]
    run = subprocess.run(cli, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    key = json.loads((REAL / "gold" / f"{Path(name).stem}.gold.json").read_text(encoding="utf-8"))
    rows = {row: value for row, value, _ in _scorer().score(json.loads(out.read_text(encoding="utf-8")), key)}
    assert all(rows[row] >= 0.95 for row in ROWS), {row: rows[row] for row in ROWS}


HEADING_LINES = 12
"""Lines that open a document: its masthead and title, where its own meeting is named."""


@needs_real
@pytest.mark.parametrize("name", REAL_DOCUMENTS)
def test_real_documents_read_whole(name: str, rules: Rules) -> None:
    """Every line of the document but its furniture fed as passages, with the document's symbol, convention
    and decisions as the key gives them (the stages before references): both rows at least 0.95."""
    path = REAL / name
    layout = read_source(str(path), path.read_bytes(), None, rules)
    mark_furniture(layout, rules)
    key = json.loads((REAL / "gold" / f"{path.stem}.gold.json").read_text(encoding="utf-8"))
    symbol, convention = key["document"]["symbol"], key["document"]["convention"]
    heading = "\n".join(line.text for line in layout.lines()[:HEADING_LINES])
    own = [instrument_id(d["number"], rules, convention=convention) for d in key["decisions"] if d["number"]]
    found = find_references(
        uncovered_passages(layout.lines(), []),
        rules,
        convention=convention,
        own_symbol=symbol,
        own_meeting=document_meeting(symbol, convention, rules, heading=heading),
        own_instruments=[i for i in own if i],
        text=layout.text,
    )
    output = {"document": key["document"], "references": [{"id": r.id} for r in found]}
    graded = {k: key[k] for k in ("document", "references", "meetings", "targets")}
    rows = {row: value for row, value, _ in _scorer().score(output, graded)}
    assert all(rows[row] >= 0.95 for row in ROWS), {row: rows[row] for row in ROWS}


# --- generated lists -------------------------------------------------------------------------------

MONTHS = ["January", "March", "June", "October", "December"]
LIST_STYLES = {
    # style: (convention of the document, words printed before the list, kind, sessions)
    "cbd": ("CBD", "decisions", "decision", (1, 60)),
    "cms": ("CMS", "Resolutions", "resolution", (1, 60)),
    "unfccc": ("UNFCCC", "decisions", "decision", (1, 99)),
    "unga": ("UNGA", "resolutions", "resolution", (1, 99)),
    "ecosoc": ("UNGA", "Economic and Social Council resolutions", "resolution", (1946, 2030)),
}
UNFCCC_BODIES = {"CP": "", "CMA": "cma/", "CMP": "cmp/"}


@st.composite
def listed_instruments(draw: st.DrawFn) -> tuple[str, str, set[str]]:
    style = draw(st.sampled_from(sorted(LIST_STYLES)))
    convention, words, kind, (low, high) = LIST_STYLES[style]
    pairs = draw(st.lists(st.tuples(st.integers(low, high), st.integers(1, 999)), min_size=1, max_size=6, unique=True))
    roman = style == "cbd" and draw(st.booleans())
    printed, expected = [], set()
    for session, number in pairs:
        if style == "unfccc":
            body = draw(st.sampled_from(sorted(UNFCCC_BODIES)))
            printed.append(f"{number}/{body}.{session}")
            expected.add(f"unfccc/{UNFCCC_BODIES[body]}{kind}/{session}/{number}")
        else:
            shown = int_to_roman(session) if roman else str(session)
            printed.append(f"{shown}{'.' if style == 'cms' else '/'}{number}")
            expected.add(f"{'ecosoc' if style == 'ecosoc' else LIST_STYLES[style][0].lower()}/{kind}/{session}/{number}")
    gaps = st.sampled_from(
        [
            "",
            " of {day} {month} {year}",
            " ({year})",
            ", paragraph {day},",
            ", annex,",
            ", paras. {day} and {para},",
            ", section V,",
            ",{digit}",
        ]
    )
    text = words
    for n, item in enumerate(printed):
        gap = draw(gaps).format(
            day=draw(st.integers(1, 28)), month=draw(st.sampled_from(MONTHS)), year=draw(st.integers(1990, 2030)),
            digit=draw(st.integers(1, 9)), para=draw(st.integers(1, 150)),
        )  # fmt: skip
        text += f" {item}{gap}"
        if n < len(printed) - 1:
            last = n == len(printed) - 2
            text += (" and" if last else "") if gap.endswith(",") else (" and" if last or gap.startswith(",") else ",")
    return f"Recalling {text} on cooperation, the Parties", convention, expected


@settings(max_examples=200, deadline=None)
@given(listed_instruments())
def test_generated_lists_read_back(case: tuple[str, str, set[str]]) -> None:
    text, convention, expected = case
    assert set(ids(text, load_rules(), convention)) == expected, text


@st.composite
def listed_meetings(draw: st.DrawFn) -> tuple[str, list[str]]:
    rules = load_rules()
    words = {value: word for word, value in rules.references.ordinal_words.items()}
    tens = {value: word for word, value in rules.references.ordinal_tens.items()}
    sessions = draw(st.lists(st.integers(1, 99), min_size=1, max_size=4, unique=True))
    suffixes = {1: "st", 2: "nd", 3: "rd"}

    def ordinal(n: int) -> str:
        if draw(st.booleans()):
            return f"{n}{suffixes.get(n % 10, 'th') if n % 100 not in (11, 12, 13) else 'th'}"
        return words.get(n) or f"{tens[n - n % 10]}-{words[n % 10]}"

    printed = [ordinal(n) for n in sessions]
    listed = (
        printed[0] if len(printed) == 1 else ", ".join(printed[:-1]) + draw(st.sampled_from([" and ", " to "])) + printed[-1]
    )
    word = "meeting" if len(printed) == 1 else "meetings"
    text = f"at the {listed} {word} of the Conference of the Parties to the Convention on Biological Diversity"
    expected = sessions if " to " not in listed else [sessions[0], *sessions[1:]]
    return text, [f"cbd/meeting/cop/{n}" for n in expected]


@settings(max_examples=100, deadline=None)
@given(listed_meetings())
def test_generated_meeting_lists_read_back(case: tuple[str, list[str]]) -> None:
    text, expected = case
    assert sorted(ids(text, load_rules(), "CMS")) == sorted(expected), text


@pytest.mark.parametrize("extra", [{"skip_patterns": ["(unclosed"]}, {"context_break": "[a-"}])
def test_invalid_reference_regex_is_a_rules_error(extra: dict[str, object], tmp_path: Path) -> None:
    (tmp_path / "references.json").write_text(json.dumps(extra), encoding="utf-8")
    with pytest.raises(RulesError, match="invalid regular expression"):
        load_rules([tmp_path])


def test_user_rules_add_a_body_named_only_in_context(tmp_path: Path) -> None:
    extra = {
        "conventions": [
            {"key": "cms", "short": "CMS", "secretariat": "CMS Secretariat", "context_bodies": {"cop": ["Conference"]}}
        ]
    }
    (tmp_path / "conventions.json").write_text(json.dumps(extra), encoding="utf-8")
    rules = load_rules([tmp_path])
    assert ids("the eleventh meeting of the Conference", rules, "CMS") == ["cms/meeting/cop/11"]
    assert ids("the eleventh meeting of the Conference", rules, "CBD") == []
