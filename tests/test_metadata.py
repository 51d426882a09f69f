from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import LETTER

from jwpextract.furniture import mark_furniture
from jwpextract.metadata import convention_of_symbol, conventions_named_in, document_metadata, iso_date
from jwpextract.pipeline import extract_bytes
from jwpextract.rules import Rules
from jwpextract.sources import ReadOptions

from .conftest import layout_of
from .fixtures.make_pdfs import BOLD, Sheet


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("5 October 2011", "2011-10-05"),
        ("3 May 2019", "2019-05-03"),
        ("21st  June 2022", "2022-06-21"),
        ("October 5, 2011", "2011-10-05"),
        ("12 octobre 2018", "2018-10-12"),
        ("32 May 2019", None),
        ("Smarch 3 2019", None),
        (None, None),
    ],
)
def test_iso_date(text: str | None, iso: str | None, rules: Rules) -> None:
    assert iso_date(text, rules) == iso


@pytest.mark.parametrize(
    ("symbol", "short"),
    [
        ("UNEP/CMS/StC38/Doc.4", "CMS"),
        ("AEWA/StC 15.12", "AEWA"),
        ("CBD/COP/DEC/14/8", "CBD"),
        ("UNEP/CBD/COP/10/27", "CBD"),
        ("A/RES/78/272", "UNGA"),
        ("ICCD/COP(15)/21", "UNCCD"),
        ("IPBES/9/1", "IPBES"),
        ("FCCC/SBI/2019/9", "UNFCCC"),
        ("UNEP/AEWA/MOP7.12", "AEWA"),
        ("UNEP/CMS/Resolution 12.25", "CMS"),
        ("XYZ/1", None),
        (None, None),
    ],
)
def test_convention_of_symbol(symbol: str | None, short: str | None, rules: Rules) -> None:
    conv = convention_of_symbol(symbol, rules)
    assert (conv.short if conv else None) == short


@pytest.mark.parametrize(
    ("text", "shorts"),
    [
        (
            "Joint Work Plan for the Secretariats of the Convention on Biological Diversity (CBD) and the "
            "Convention on the Conservation of Migratory Species of Wild Animals (CMS)",
            ["CBD", "CMS"],
        ),
        ("Joint Work Plan 2019-2021 between the Secretariats of AEWA and the Ramsar Convention", ["AEWA", "Ramsar"]),
        ("CONVENTION ON MIGRATORY SPECIES", ["CMS"]),
        ("a plan of the CMSX office", []),
    ],
)
def test_conventions_named_in_order(text: str, shorts: list[str], rules: Rules) -> None:
    assert [c.short for c in conventions_named_in(text, rules)] == shorts


# ------------------------------------------------------------------ mastheads, through the text source

MASTHEAD_CODES = ("masthead-not-found", "symbol-not-found", "date-not-found")
FIELDS = ("symbol", "date", "convention", "meeting", "agenda_item", "distribution", "original_language")
MASTHEADS = [
    pytest.param(
        "United Nations\nGeneral Assembly\nDistr.: General\n3 May 2025\nA/RES/79/301\n"
        "Seventy-ninth session\nAgenda item 14 (b)\nOceans and the law of the sea\n",
        ("A/RES/79/301", "2025-05-03", "UNGA", "unga/meeting/ga/79", "14 (b)", "General", None),
        [],
        id="UNGA resolution",
    ),
    pytest.param(
        "United Nations A/79/L.12*\nGeneral Assembly Distr.: Limited\n2 December 2024\nOriginal: English\n"
        "Seventy-ninth session\nAgenda item 71 (a)\nDraft resolution submitted by the President\n",
        ("A/79/L.12", "2024-12-02", "UNGA", "unga/meeting/ga/79", "71 (a)", "Limited", "English"),
        [],
        id="UNGA draft, symbol beside the organ",
    ),
    pytest.param(
        "CBD/COP/DEC/16/4\n1 November 2024\nCONFERENCE OF THE PARTIES TO THE\nCONVENTION ON BIOLOGICAL DIVERSITY\n"
        "Sixteenth meeting\nCali, Colombia, 21 October–1 November 2024\nAgenda item 9\n"
        "DECISION ADOPTED BY THE CONFERENCE OF THE PARTIES TO THE CONVENTION ON BIOLOGICAL DIVERSITY\n",
        ("CBD/COP/DEC/16/4", "2024-11-01", "CBD", "cbd/meeting/cop/16", "9", None, None),
        [],
        id="CBD decision",
    ),
    pytest.param(
        "CBD\nDistr.\nGENERAL\nUNEP/CBD/COP/DEC/X/31\n29 October 2010\nORIGINAL: ENGLISH\n"
        "CONFERENCE OF THE PARTIES TO THE CONVENTION ON BIOLOGICAL DIVERSITY\nTenth meeting\n"
        "Nagoya, Japan, 18-29 October 2010\nAgenda item 4.4\n",
        ("UNEP/CBD/COP/DEC/X/31", "2010-10-29", "CBD", "cbd/meeting/cop/10", "4.4", "GENERAL", "ENGLISH"),
        [],
        id="CBD, older: Distr. over GENERAL",
    ),
    pytest.param(
        "CBD/COP/15/L.26\n18 December 2022\nOriginal: English\n"
        "Conference of the Parties to the Convention on Biological Diversity\nFifteenth meeting, part two\n"
        "Montreal, Canada, 7-19 December 2022\nItem 9 of the provisional agenda*\n",
        ("CBD/COP/15/L.26", "2022-12-18", "CBD", "cbd/meeting/cop/15", "9", None, "English"),
        [],
        id="CBD, meeting in two parts",
    ),
    pytest.param(
        "CBD/SBSTTA/24/INF/3\n10 March 2022\nEnglish only\n"
        "SUBSIDIARY BODY ON SCIENTIFIC, TECHNICAL AND TECHNOLOGICAL ADVICE\nTwenty-fourth meeting\n"
        "Geneva, Switzerland, 14-29 March 2022\nItem 3 of the provisional agenda*\n",
        ("CBD/SBSTTA/24/INF/3", "2022-03-10", "CBD", "cbd/meeting/sbstta/24", "3", None, "English"),
        [],
        id="CBD information document",
    ),
    pytest.param(
        "United Nations FCCC/SBI/2019/9\nDistr.: General\n10 May 2019\nOriginal: English\n"
        "Subsidiary Body for Implementation\nFiftieth session\nBonn, 17–27 June 2019\n"
        "Item 15 of the provisional agenda\nMatters relating to the least developed countries\n",
        ("FCCC/SBI/2019/9", "2019-05-10", "UNFCCC", "unfccc/meeting/sbi/50", "15", "General", "English"),
        [],
        id="UNFCCC subsidiary body",
    ),
    pytest.param(
        "United Nations FCCC/CP/2019/L.10\nDistr.: Limited\n14 December 2019\nOriginal: English\n"
        "Conference of the Parties\nTwenty-fifth session\nMadrid, 2–13 December 2019\nAgenda item 4\n",
        ("FCCC/CP/2019/L.10", "2019-12-14", "UNFCCC", "unfccc/meeting/cop/25", "4", "Limited", "English"),
        [],
        id="UNFCCC COP",
    ),
    pytest.param(
        "|  | United Nations | FCCC/SBI/2023/10 |\r\n|  |  | Distr.: General 3 August 2023  Original: English |\r\n"
        "\r\nSubsidiary Body for Implementation\r\n"
        "Report of the Subsidiary Body for Implementation on its fifty-eighth session, held in Bonn from 5 to 15 June"
        " 2023\r\n",
        ("FCCC/SBI/2023/10", "2023-08-03", "UNFCCC", "unfccc/meeting/sbi/58", None, "General", "English"),
        [],
        id="UNFCCC report, text conversion with pipe cells",
    ),
    pytest.param(
        "United Nations ICCD/COP(16)/12\nConvention to Combat Desertification Distr.: General\n1 October 2024\n"
        "Original: English\nConference of the Parties\nSixteenth session\nRiyadh, Saudi Arabia, 2–13 December 2024\n"
        "Item 3 (a) of the provisional agenda\n",
        ("ICCD/COP(16)/12", "2024-10-01", "UNCCD", "unccd/meeting/cop/16", "3 (a)", "General", "English"),
        [],
        id="UNCCD",
    ),
    pytest.param(
        "United Nations IPBES/11/1\nScience and Policy for People and Nature Distr.: General\n2 October 2024\n"
        "Original: English\n"
        "Plenary of the Intergovernmental Science-Policy Platform on Biodiversity and Ecosystem Services\n"
        "Eleventh session\nWindhoek, 10–16 December 2024\nItem 1 of the provisional agenda*\n",
        ("IPBES/11/1", "2024-10-02", "IPBES", "ipbes/meeting/plenary/11", "1", "General", "English"),
        [],
        id="IPBES",
    ),
    pytest.param(
        "CONVENTION ON\nMIGRATORY\nSPECIES\nDistribution: General\nUNEP/CMS/COP14/Doc.24.3\n15 November 2023\n"
        "Original: English\n14th MEETING OF THE CONFERENCE OF THE PARTIES\n"
        "Samarkand, Uzbekistan, 12 – 17 February 2024\nAgenda Item 24.3\n",
        ("UNEP/CMS/COP14/Doc.24.3", "2023-11-15", "CMS", "cms/meeting/cop/14", "24.3", "General", "English"),
        [],
        id="CMS meeting document",
    ),
    pytest.param(
        "Convention on the Conservation of Migratory Species of Wild Animals\n"
        "UNEP/CMS/Resolution 12.25 (Rev.COP14)\nOriginal: English\nPROMOTING CONSERVATION OF CRITICAL HABITATS\n",
        ("UNEP/CMS/Resolution 12.25 (Rev.COP14)", None, "CMS", "cms/meeting/cop/14", None, None, "English"),
        ["date-not-found"],
        id="CMS resolution: no date",
    ),
    pytest.param(
        "AGREEMENT ON THE CONSERVATION OF\nAFRICAN-EURASIAN MIGRATORY WATERBIRDS\nDoc: AEWA/StC 16.7\nAgenda item 9\n"
        "4 June 2021\nOriginal: English\n16th MEETING OF THE STANDING COMMITTEE\n",
        ("AEWA/StC 16.7", "2021-06-04", "AEWA", "aewa/meeting/stc/16", "9", None, "English"),
        [],
        id="AEWA Standing Committee",
    ),
    pytest.param(
        "AGREEMENT ON THE CONSERVATION OF\nAFRICAN-EURASIAN MIGRATORY WATERBIRDS\nUNEP/AEWA/MOP7.12\n"
        "Agenda item 17\n5 August 2018\nOriginal: English\n7th SESSION OF THE MEETING OF THE PARTIES\n"
        "4-8 December 2018, Durban, South Africa\n",
        ("UNEP/AEWA/MOP7.12", "2018-08-05", "AEWA", "aewa/meeting/mop/7", "17", None, "English"),
        [],
        id="AEWA Meeting of the Parties",
    ),
    pytest.param(
        "THE CONVENTION ON WETLANDS (Ramsar, Iran, 1971)\n41st Meeting of the Standing Committee\n"
        "Gland, Switzerland, 26 – 30 April 2010\nDOC. SC41-12\nAgenda item 11\n",
        ("SC41-12", None, "Ramsar", "ramsar/meeting/sc/41", "11", None, None),
        ["date-not-found"],
        id="Ramsar, older",
    ),
    pytest.param(
        "CONVENTION ON WETLANDS\n59th Meeting of the Standing Committee\nGland, Switzerland, 23 – 27 May 2022\n"
        "SC59 Doc.18\nStrategic matters\n",
        ("SC59 Doc.18", None, "Ramsar", "ramsar/meeting/sc/59", None, None, None),
        ["date-not-found"],
        id="Ramsar Standing Committee",
    ),
    pytest.param(
        "14th Meeting of the Conference of the Contracting Parties to the Ramsar Convention on Wetlands\n"
        "Wuhan, China, and Geneva, Switzerland\n5-13 November 2022\nRamsar COP14 Doc.18.2\n",
        ("Ramsar COP14 Doc.18.2", None, "Ramsar", "ramsar/meeting/cop/14", None, None, None),
        ["date-not-found"],
        id="Ramsar COP",
    ),
    pytest.param(
        "Original language: English SC77 Doc. 8\n"
        "CONVENTION ON INTERNATIONAL TRADE IN ENDANGERED SPECIES OF WILD FAUNA AND FLORA\n____________\n"
        "Seventy-seventh meeting of the Standing Committee\nGeneva (Switzerland), 6-10 November 2023\n",
        ("SC77 Doc. 8", None, "CITES", "cites/meeting/sc/77", None, None, "English"),
        ["date-not-found"],
        id="CITES Standing Committee",
    ),
    pytest.param(
        "CoP19 Doc. 12.3\nOriginal language: English\n"
        "CONVENTION ON INTERNATIONAL TRADE IN ENDANGERED SPECIES OF WILD FAUNA AND FLORA\n"
        "Nineteenth meeting of the Conference of the Parties\nPanama City (Panama), 14 – 25 November 2022\n",
        ("CoP19 Doc. 12.3", None, "CITES", "cites/meeting/cop/19", None, None, "English"),
        ["date-not-found"],
        id="CITES Conference of the Parties",
    ),
    pytest.param(
        "CONVENTION ON MIGRATORY SPECIES\nDistribution: General\n5 June 2020\nOriginal: English\nBackground\n",
        (None, "2020-06-05", "CMS", None, None, "General", "English"),
        ["symbol-not-found"],
        id="no symbol",
    ),
    pytest.param(
        "CMS/Ramsar joint work plan for the period (draft)\n\n1. The Secretariats agreed on 3 May 2019 to work.\n",
        (None, None, None, None, None, None, None),
        ["masthead-not-found"],
        id="no masthead",
    ),
]


@pytest.mark.parametrize(("text", "document", "warnings"), MASTHEADS)
def test_mastheads(text: str, document: tuple[str | None, ...], warnings: list[str], rules: Rules) -> None:
    plan = extract_bytes("masthead.txt", text.encode("utf-8"), rules)
    assert tuple(getattr(plan.document, name) for name in FIELDS) == document
    assert [w.code for w in plan.warnings if w.code in MASTHEAD_CODES] == warnings


# ------------------------------------------------------------------ mastheads, through PDFs drawn here

PARAGRAPHS = [
    "1. Welcomes the report of the secretariat on the work done since the last session;",
    "2. Requests the secretariat to report on progress at the next session.",
]


def un_resolution(folder: Path) -> Path:
    """The UN masthead: organ on the left, symbol top right, Distr. and date under it, session and agenda
    item, a job number, a barcode and 'Please recycle' at the foot; a running header and n/N footers."""
    sheet = Sheet(folder / "un-resolution.pdf", LETTER)
    sheet.text(123, 60, "United Nations", 14)
    sheet.text(123, 86, "General Assembly", 20, BOLD)
    sheet.right(552, 58, "A/RES/81/17", 10)
    sheet.text(397, 88, "Distr.: General", 10)
    sheet.text(397, 100, "9 January 2027", 10)
    sheet.text(60, 222, "Eighty-first session", 10, BOLD)
    sheet.text(60, 234, "Agenda item 21 (a)", 10)
    sheet.text(123, 300, "Resolution adopted by the General Assembly on 4 January 2027", 12, BOLD)
    sheet.paragraph(123, 330, PARAGRAPHS[:1])
    sheet.text(65, 748, "27-00123 (E) 110127", 10)
    sheet.text(65, 760, "*2700123*", 12)
    sheet.right(552, 760, "Please recycle", 8)
    sheet.next_page()
    sheet.text(60, 58, "A/RES/81/17", 8.5, BOLD)
    sheet.paragraph(123, 90, PARAGRAPHS[1:])
    sheet.text(60, 755, "2/2", 8.5, BOLD)
    sheet.right(552, 755, "27-00123", 7)
    return sheet.save()


def cites_document(folder: Path) -> Path:
    """A CITES masthead: original language and symbol on one line, the convention's name, a rule of
    underscores, the meeting and its venue; no date."""
    sheet = Sheet(folder / "cites-document.pdf")
    sheet.text(60, 50, "Original language: English", 9)
    sheet.right(535, 50, "SC81 Doc. 14", 9)
    sheet.centred(80, "CONVENTION ON INTERNATIONAL TRADE IN ENDANGERED SPECIES OF WILD FAUNA AND FLORA", 9, BOLD)
    sheet.centred(92, "____________________", 9)
    sheet.centred(110, "Eighty-first meeting of the Standing Committee", 9)
    sheet.centred(122, "Geneva (Switzerland), 3-7 November 2025", 9)
    sheet.text(60, 160, "COOPERATION WITH OTHER CONVENTIONS", 10, BOLD)
    sheet.paragraph(60, 185, PARAGRAPHS)
    return sheet.save()


def cbd_decision(folder: Path) -> Path:
    """An older CBD masthead: a logo, 'Distr.' over 'GENERAL', the symbol, date and original language on
    the right; the symbol and 'Page n' as running header."""
    sheet = Sheet(folder / "cbd-decision.pdf")
    sheet.text(60, 80, "CBD", 30, BOLD)
    sheet.text(400, 50, "Distr.", 10)
    sheet.text(400, 62, "GENERAL", 10)
    sheet.text(400, 86, "UNEP/CBD/COP/DEC/X/99", 10)
    sheet.text(400, 98, "29 October 2010", 10)
    sheet.text(400, 122, "ORIGINAL: ENGLISH", 10)
    sheet.text(60, 160, "CONFERENCE OF THE PARTIES TO THE CONVENTION ON BIOLOGICAL DIVERSITY", 10, BOLD)
    sheet.text(60, 174, "Tenth meeting", 10)
    sheet.text(60, 186, "Nagoya, Japan, 18-29 October 2010", 10)
    sheet.text(60, 198, "Agenda item 4.4", 10)
    sheet.text(60, 230, "X/99. Cooperation with other conventions", 11, BOLD)
    sheet.paragraph(60, 255, PARAGRAPHS[:1])
    sheet.next_page()
    sheet.right(535, 40, "UNEP/CBD/COP/DEC/X/99", 10)
    sheet.right(535, 52, "Page 2", 10)
    sheet.paragraph(60, 90, PARAGRAPHS[1:])
    return sheet.save()


PDF_MASTHEADS = [
    pytest.param(
        un_resolution,
        ("A/RES/81/17", "2027-01-09", "UNGA", "unga/meeting/ga/81", "21 (a)", "General", None),
        [],
        [
            (1, "footer", "27-00123 (E) 110127"),
            (1, "footer", "*2700123*"),
            (1, "footer", "Please recycle"),
            (2, "header", "A/RES/81/17"),
            (2, "footer", "27-00123"),
            (2, "page-number", "2/2"),
        ],
        "Agenda item 21 (a)",
        id="UN General Assembly",
    ),
    pytest.param(
        cites_document,
        ("SC81 Doc. 14", None, "CITES", "cites/meeting/sc/81", None, None, "English"),
        ["date-not-found"],
        [],
        "Geneva (Switzerland), 3-7 November 2025",
        id="CITES",
    ),
    pytest.param(
        cbd_decision,
        ("UNEP/CBD/COP/DEC/X/99", "2010-10-29", "CBD", "cbd/meeting/cop/10", "4.4", "GENERAL", "ENGLISH"),
        [],
        [(2, "header", "UNEP/CBD/COP/DEC/X/99"), (2, "page-number", "Page 2")],
        "Agenda item 4.4",
        id="CBD, older",
    ),
]


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
@pytest.mark.parametrize(("build", "document", "warnings", "furniture", "last"), PDF_MASTHEADS)
def test_pdf_mastheads(
    engine: str,
    build: Callable[[Path], Path],
    document: tuple[str | None, ...],
    warnings: list[str],
    furniture: list[tuple[int, str, str]],
    last: str,
    rules: Rules,
    tmp_path: Path,
) -> None:
    path = build(tmp_path)
    plan = extract_bytes(str(path), path.read_bytes(), rules, ReadOptions(engine=engine))
    assert tuple(getattr(plan.document, name) for name in FIELDS) == document
    assert [w.code for w in plan.warnings if w.code in MASTHEAD_CODES] == warnings
    assert [(f.page, f.kind, f.text) for f in plan.furniture if f.kind != "letterhead"] == furniture
    masthead = [f.text for f in plan.furniture if f.kind == "letterhead"]
    assert any(str(plan.document.symbol) in text for text in masthead)
    assert masthead[-1] == last


# ------------------------------------------------------------------ real documents, read in place

REAL = Path(__file__).resolve().parents[2] / "shared" / "real"


@pytest.mark.skipif(not REAL.is_dir(), reason="the real documents are in ../shared/real")
@pytest.mark.parametrize(
    ("name", "meeting"),
    [
        ("A-RES-78-272.pdf", "unga/meeting/ga/78"),  # the UN masthead
        ("FCCC-CP-2019-13-Add1.txt", "unfccc/meeting/cop/25"),  # a text conversion: its masthead in pipe cells
        ("ipbes-functions-2012.pdf", None),  # no masthead: no symbol, no date
    ],
)
def test_real_mastheads(name: str, meeting: str | None, rules: Rules) -> None:
    key = json.loads((REAL / "gold" / f"{Path(name).stem}.gold.json").read_text(encoding="utf-8"))["document"]
    path = REAL / name
    plan = extract_bytes(str(path), path.read_bytes(), rules)
    assert (plan.document.symbol, plan.document.date, plan.document.meeting) == (key["symbol"], key["date"], meeting)
    assert plan.document.convention == (key["convention"] if key["symbol"] else None)


@pytest.mark.parametrize(
    ("text", "meeting"),
    [
        ("United Nations\nGeneral Assembly\nDistr.: General\nEightieth session\n", "unga/meeting/ga/80"),
        (
            "CBD/SBSTTA/REC/27/1\nSUBSIDIARY BODY ON SCIENTIFIC, TECHNICAL AND\nTECHNOLOGICAL ADVICE\n"
            "Twenty-seventh meeting\n",
            "cbd/meeting/sbstta/27",
        ),
        ("Distribution: General\nUNEP/CMS/Doc.9\n13th MEETING OF THE CONFERENCE OF THE PARTIES\n", "cms/meeting/cop/13"),
        (
            "FCCC/PA/CMA/2030/2\nDistr.: General\n"
            "Conference of the Parties serving as the meeting of the Parties to the Paris Agreement\nTwelfth session\n",
            "unfccc/meeting/cma/12",
        ),
        (
            "FCCC/SB/2030/1\nDistr.: General\n"
            "Report of the Subsidiary Body for Implementation on its seventy-\nsecond session, held in Bonn\n",
            "unfccc/meeting/sbi/72",
        ),
        (
            "IPBES/12/9\nDistr.: General\nReport of the Plenary of the Intergovernmental Science-Policy Platform on"
            " Biodiversity and Ecosystem Services on the work of its twelfth session\n",
            "ipbes/meeting/plenary/12",
        ),
        ("XYZ/COP/9/1\nDistr.: General\nConference of the Parties\nNinth session\n", None),
    ],
)
def test_meeting_of_the_masthead(text: str, meeting: str | None, rules: Rules) -> None:
    _, masthead = mark_furniture(layout_of(text), rules)
    document, _ = document_metadata(masthead, rules)
    assert document.meeting == meeting
