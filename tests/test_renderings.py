"""A document gives the same plan whatever its rendering: text dump, ruled PDF, borderless PDF."""

from __future__ import annotations

import pytest

from jwpextract.models import CanonicalDocument
from jwpextract.pipeline import extract_bytes
from jwpextract.rules import Rules

from .conftest import CORPUS

RENDERINGS = {
    "UNEP-CMS-StC38-Doc4": ["UNEP-CMS-StC38-Doc4.txt", "UNEP-CMS-StC38-Doc4.pdf", "UNEP-CMS-StC38-Doc4-borderless.pdf"],
    "aewa-ramsar-jwp-2019": ["aewa-ramsar-jwp-2019.txt", "aewa-ramsar-jwp-2019.pdf"],
    "UNEP-CMS-StC44-JWP-2015": ["versions/UNEP-CMS-StC44-JWP-2015.txt", "versions/UNEP-CMS-StC44-JWP-2015.pdf"],
}


def content(doc: CanonicalDocument) -> dict:
    return {
        "sections": [(plan.id, s.number, s.title) for plan in doc.plans for s in plan.sections],
        "activities": [
            (
                a.number,
                a.section,
                a.theme,
                a.text,
                [(i.label, i.text) for i in a.items],
                a.timeframe.model_dump() if a.timeframe else None,
                a.actors,
            )
            for a in doc.activities()
        ],
        "references": sorted(r.id for r in doc.references),
        "plans": [plan.model_dump(include={"id", "title", "period", "parties", "where"}) for plan in doc.plans],
        "paragraphs": [(p.number, p.heading) for p in doc.paragraphs],
    }


@pytest.mark.parametrize("document", list(RENDERINGS))
def test_renderings_give_the_same_plan(document: str, rules: Rules) -> None:
    contents = [content(extract_bytes(name, (CORPUS / name).read_bytes(), rules)) for name in RENDERINGS[document]]
    assert contents[0]["activities"], "no activities extracted"
    for other in contents[1:]:
        for key in contents[0]:
            assert other[key] == contents[0][key], key
