from __future__ import annotations

import pytest

from jwpextract.metadata import convention_of_symbol, conventions_named_in, iso_date
from jwpextract.rules import Rules


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
