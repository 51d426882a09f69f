from __future__ import annotations

import re
import time

import pytest

from jwpextract.furniture import mark_furniture
from jwpextract.masthead import is_not_metadata, line_fields, patterns
from jwpextract.rules import Rules

from .conftest import layout_of


@pytest.mark.parametrize(
    ("line", "fields"),
    [
        ("UNEP/CMS/StC38/Doc.4", [("symbol", "UNEP/CMS/StC38/Doc.4")]),
        ("Doc. AEWA/StC 15.12", [("symbol", "AEWA/StC 15.12")]),
        ("SC70 Doc. 12", [("symbol", "SC70 Doc. 12")]),
        ("CBD/COP/DEC/14/8", [("symbol", "CBD/COP/DEC/14/8")]),
        ("5 October 2011", [("date", "5 October 2011")]),
        ("Distribution: General", [("distribution", "General")]),
        ("Original: English", [("original_language", "English")]),
        ("Agenda item 12", [("agenda_item", "12")]),
        ("The Secretariats will cooperate.", None),
        # the symbols of each secretariat
        ("DOC. SC41-12", [("symbol", "SC41-12")]),
        ("SC59 Doc.18", [("symbol", "SC59 Doc.18")]),
        ("SC71 Doc. 8", [("symbol", "SC71 Doc. 8")]),
        ("CoP19 Doc. 12.3", [("symbol", "CoP19 Doc. 12.3")]),
        ("AC30 Doc. 12.3/PC24 Doc. 12.3", [("symbol", "AC30 Doc. 12.3/PC24 Doc. 12.3")]),
        ("SC70 Doc. 25 (Rev. 1)", [("symbol", "SC70 Doc. 25 (Rev. 1)")]),
        ("UNEP/CMS/COP12/Doc.24.3", [("symbol", "UNEP/CMS/COP12/Doc.24.3")]),
        ("UNEP/CMS/Resolution 12.25", [("symbol", "UNEP/CMS/Resolution 12.25")]),
        ("AEWA/StC 15.7", [("symbol", "AEWA/StC 15.7")]),
        ("UNEP/AEWA/MOP7.12", [("symbol", "UNEP/AEWA/MOP7.12")]),
        ("CBD/SBSTTA/24/INF/3", [("symbol", "CBD/SBSTTA/24/INF/3")]),
        ("ICCD/COP(15)/21", [("symbol", "ICCD/COP(15)/21")]),
        ("IPBES/9/1", [("symbol", "IPBES/9/1")]),
        ("FCCC/CP/2019/13/Add.1", [("symbol", "FCCC/CP/2019/13/Add.1")]),
        ("FCCC/SBI/2019/9", [("symbol", "FCCC/SBI/2019/9")]),
        ("A/RES/78/272", [("symbol", "A/RES/78/272")]),
        ("A/78/L.41*", [("symbol", "A/78/L.41")]),
        ("CMS/Ramsar joint work plan for the period (draft)", None),
        ("UNEP/" + "A" * 31 + "!", None),
        # several fields in one line, names beside them
        (
            "Distr.: General 16 March 2020  Original: English",
            [("distribution", "General"), ("date", "16 March 2020"), ("original_language", "English")],
        ),
        ("| | United Nations | FCCC/CP/2019/13/Add.1 |", [("names", "United Nations"), ("symbol", "FCCC/CP/2019/13/Add.1")]),
        ("General Assembly Distr.: Limited", [("names", "General Assembly"), ("distribution", "Limited")]),
        (
            "Economic and Social Council Distr.: General",
            [("names", "Economic and Social Council"), ("distribution", "General")],
        ),
        ("Original language: English SC77 Doc. 8", [("original_language", "English"), ("symbol", "SC77 Doc. 8")]),
        ("English only", [("original_language", "English")]),
        ("Item 4 of the provisional agenda*", [("agenda_item", "4")]),
        ("Agenda item 75 (c)", [("agenda_item", "75 (c)")]),
        ("Seventy-eighth session", [("session", "Seventy-eighth")]),
        ("Fifteenth meeting, part two", [("session", "Fifteenth")]),
        ("Fifteenth meeting – Part II", [("session", "Fifteenth")]),
        ("59th Meeting of the Standing Committee", [("session", "59th")]),
        ("Gland, Switzerland, 23 – 27 May 2022", [("venue", "Gland, Switzerland, 23 – 27 May 2022")]),
        ("28-29 June 2019, Bonn, Germany", [("venue", "28-29 June 2019, Bonn, Germany")]),
        ("Report of the Conference of the Parties on its twenty-fifth session", None),
        ("held in Madrid from 2 to 15 December 2019", None),
        ("Special session", None),
    ],
)
def test_masthead_fields(line: str, fields: list[tuple[str, str]] | None, rules: Rules) -> None:
    found = line_fields(line, rules)
    assert (None if found is None else [(f.name, f.value) for f in found]) == fields


def kinds(text: str, rules: Rules) -> list[tuple[str, str]]:
    doc = layout_of(text)
    furniture, _ = mark_furniture(doc, rules)
    return [(f.kind, f.text) for f in furniture]


def test_letterhead_block_in_the_middle_of_a_dump(rules: Rules) -> None:
    text = (
        "5. In September 2010, the Secretariats recommended that plans cover activities needed\n\n"
        "  CMS\n\nCONVENTION ON\nMIGRATORY\nSPECIES\n\nDistribution: General\n\nUNEP/CMS/StC38/Doc.4\n"
        "5 October 2011\n\nOriginal: English\n\n\n2\n\nto implement all the conventions.\n"
    )
    doc = layout_of(text)
    furniture, masthead = mark_furniture(doc, rules)
    assert [f.kind for f in furniture] == ["letterhead"] * 8 + ["page-number"]
    assert masthead is not None
    assert [(f.name, f.value) for _, f in masthead.fields] == [
        ("names", "CMS"),
        ("distribution", "General"),
        ("symbol", "UNEP/CMS/StC38/Doc.4"),
        ("date", "5 October 2011"),
        ("original_language", "English"),
    ]
    body = [line.text for line in doc.lines() if line.furniture is None]
    assert body[-1] == "to implement all the conventions."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Body text here.\n\n2\n\nMore text.\n\n3\n\nEnd.", [("page-number", "2"), ("page-number", "3")]),
        ("Body.\n\n7\n\nText.", []),
        ("Body.\nPage 2 of 3\nText.", [("page-number", "Page 2 of 3")]),
        ("Activity\n\nResponsibility\n\nTimeframe\n1.1 Do it.", [("table-header", "Activity"),
                                                               ("table-header", "Responsibility"),
                                                               ("table-header", "Timeframe")]),
        ("Activity Timeframe\n1.1 Do it.", [("table-header", "Activity Timeframe")]),
        ("Activities are listed below.", []),
    ],
)
def test_page_numbers_and_header_rows(text: str, expected: list[tuple[str, str]], rules: Rules) -> None:
    assert kinds(text, rules) == expected


def test_running_header_repeated_on_pages(rules: Rules) -> None:
    page = "Annex 1\n\nText of page {n}.\nMore of page {n}.\nAnd more.\nStill more.\nEnd {n}.\n\n{n}"
    pages = [page.format(n=n) for n in range(2, 6)]
    found = kinds("\f".join(pages), rules)
    assert found.count(("header", "Annex 1")) == 4
    assert [t for k, t in found if k == "page-number"] == ["2", "3", "4", "5"]


def test_an_annex_heading_and_a_plan_title_end_the_letterhead(rules: Rules) -> None:
    doc = layout_of("UNEP/CMS/StC58/Doc.4\n2 May 2027\nANNEX\nJOINT WORK PLAN 2027-2029\nACTIVITY TIMEFRAME\n")
    mark_furniture(doc, rules)
    assert [(line.text, line.furniture) for line in doc.lines()][:4] == [
        ("UNEP/CMS/StC58/Doc.4", "letterhead"),
        ("2 May 2027", "letterhead"),
        ("ANNEX", None),
        ("JOINT WORK PLAN 2027-2029", None),
    ]


@pytest.mark.parametrize(
    ("line", "furniture"),
    [
        ("GE.19-07812(E)", True),
        ("GE.19-07812 (E) *1907812*", True),
        ("19-12345 (E)    101219", True),
        ("V.03-80680 (E) 270203 280203", True),
        ("K2301234 120323", True),
        ("24-07683 (E) 020524", True),
        ("*2407683*", True),
        ("24-07683", True),
        ("2/4 24-07683", True),
        ("24-07683 3/4", True),
        ("Please recycle", True),
        ("♲ Please recycle", True),
        ("* Reissued for technical reasons on 3 May 2024.", True),
        ("Advance unedited version", True),
        ("Downloaded from https://example.org/a-res-81-17.pdf on 3 June 2027", True),
        ("https://example.org/guidance-on-sites", False),
        ("19 December 2022", False),
        ("2019-2021", False),
        ("The job number GE.19-07812(E) is printed below.", False),
    ],
)
def test_print_job_numbers_and_banners_are_furniture(line: str, furniture: bool, rules: Rules) -> None:
    assert is_not_metadata(line, rules) == furniture
    if furniture:
        assert not any(f.name in ("symbol", "date") for f in line_fields(line, rules) or [])


def test_masthead_and_running_furniture_of_a_paged_text(rules: Rules) -> None:
    words = ["first", "second", "third"]
    body = "{n}. The {w} paragraph goes on for a while.\nIts {w} line follows.\nThe {w} one ends here.\n"
    pages = [
        "United Nations\nFCCC/SBI/2031/9\nDistr.: General\n10 May 2031\nOriginal: English\n"
        "Subsidiary Body for Implementation\nSixtieth session\nItem 5 of the provisional agenda\n\n"
        + body.format(n=1, w=words[0])
        + "GE.31-07812(E)\n*3107812*\nPlease recycle\n",
        "FCCC/SBI/2031/9\n\n" + body.format(n=2, w=words[1]) + "2/3 31-07812\n",
        "FCCC/SBI/2031/9 Page 3\n\n" + body.format(n=3, w=words[2]) + "31-07812 3/3\n",
    ]
    found = kinds("\f".join(pages), rules)
    assert [t for k, t in found if k == "letterhead"] == pages[0].split("\n\n")[0].split("\n")
    assert [(k, t) for k, t in found if k != "letterhead"] == [
        ("footer", "GE.31-07812(E)"),
        ("footer", "*3107812*"),
        ("footer", "Please recycle"),
        ("header", "FCCC/SBI/2031/9"),
        ("footer", "2/3 31-07812"),
        ("header", "FCCC/SBI/2031/9 Page 3"),
        ("footer", "31-07812 3/3"),
    ]


ADVERSARIAL = [
    "UNEP/" + "A" * 5000 + "!",
    "A/" * 2500,
    "A/1" * 2000 + "!",
    "1" * 5000,
    "1." * 2500 + "x",
    "1 " * 2500 + "x",
    "Item " * 1000,
    "Item 1 and " * 500 + "x",
    "Original: English, " * 300 + "x",
    "English and " * 500 + "x",
    "Seventy-" * 600 + "x",
    "First meeting, part " * 250,
    "Gland, " * 700 + "1",
    "12 May " * 700,
    "Distr. " * 700,
    "SC1 Doc. 1." * 400,
    "CMS/Ramsar joint work plan for the period (draft) " * 100,
    "a " * 2500 + "!",
    " " * 5000 + "x",
    "-" * 5000,
    "(" * 5000,
    "*" * 5000,
    "12-12345 " * 500 + "x",
]


@pytest.mark.parametrize("line", ADVERSARIAL, ids=range(len(ADVERSARIAL)))
def test_masthead_patterns_run_in_linear_time(line: str, rules: Rules) -> None:
    compiled = patterns(rules)
    regexes = [p for _, p in compiled.fields] + [compiled.labels, *compiled.not_metadata]
    regexes.append(re.compile(rules.layout.masthead.report_session))
    for regex in regexes:
        began = time.perf_counter()
        list(regex.finditer(line))
        regex.fullmatch(line)
        assert time.perf_counter() - began < 0.2, regex.pattern
    began = time.perf_counter()
    line_fields(line, rules)
    is_not_metadata(line, rules)
    assert time.perf_counter() - began < 1.0
