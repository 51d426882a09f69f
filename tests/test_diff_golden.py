"""``jwpextract diff`` against ``tests/gold/versions-2012-2015.gold.json``, for every pairing of renderings.

The old plan is UNEP/CMS/StC38/Doc.4 (text dump, ruled PDF, borderless PDF), the new one its
2015-2017 version (text dump, PDF); each pairing must give exactly the expected alignment, kinds
of change, additions, removals and plan-level changes.
"""

from __future__ import annotations

import pytest

from jwpextract.diff import diff_plans
from jwpextract.rules import Rules

from .test_diff_fixtures import as_gold, document_from_key, extracted, gold_versions, load_key, seed_2015_key

OLD = ("UNEP-CMS-StC38-Doc4.txt", "UNEP-CMS-StC38-Doc4.pdf", "UNEP-CMS-StC38-Doc4-borderless.pdf")
NEW = ("versions/UNEP-CMS-StC44-JWP-2015.txt", "versions/UNEP-CMS-StC44-JWP-2015.pdf")


@pytest.mark.parametrize("new", NEW)
@pytest.mark.parametrize("old", OLD)
def test_every_rendering_pair_reproduces_the_key(rules: Rules, old: str, new: str) -> None:
    diff = diff_plans(extracted(old), extracted(new), rules)
    assert as_gold(diff) == gold_versions()
    assert (diff.old.symbol, diff.new.symbol) == ("UNEP/CMS/StC38/Doc.4", "UNEP/CMS/StC44/Doc.17")
    assert diff.old.path.endswith(old) and diff.new.path.endswith(new)


@pytest.mark.parametrize("name", OLD + NEW)
def test_a_rendering_diffed_with_itself_has_no_change(rules: Rules, name: str) -> None:
    diff = diff_plans(extracted(name), extracted(name), rules)
    assert {a.status for a in diff.activities} == {"unchanged"}
    assert diff.plan.period is None and diff.plan.title is None and diff.plan.section_titles == []


@pytest.mark.parametrize(("first", "second"), [(OLD[0], OLD[1]), (OLD[0], OLD[2]), (NEW[0], NEW[1])])
def test_two_renderings_of_one_document_have_no_change(rules: Rules, first: str, second: str) -> None:
    """Line breaks, hyphens, quotes and table layouts differ; the words do not."""
    diff = diff_plans(extracted(first), extracted(second), rules)
    assert [(a.old, a.status) for a in diff.activities if a.status != "unchanged"] == []


def test_the_key_pair_reproduces_the_key_without_extraction(rules: Rules) -> None:
    """The 2015 version rebuilt from the 2012 key: the alignment alone, whatever the extraction."""
    old, _ = document_from_key(load_key("UNEP-CMS-StC38-Doc4"))
    new, _ = document_from_key(seed_2015_key())
    assert as_gold(diff_plans(old, new, rules)) == gold_versions()
