"""Diff quality on generated edits of the corpus plans, asymmetric splits and merges included.

:mod:`tests.plan_edits` applies known random edits (with a seeded RNG) to the plans extracted from
the corpus; the diff must recover every one: each pair with exactly its kinds of change, every
addition and every removal. The asymmetric cases (a split in which one part keeps 75 to 90 % of
the old words, a merge that absorbs an activity of at most a third of the words) are the
calibration set of ``docs/diff-thresholds.md`` ("Asymmetric splits and merges").
"""

from __future__ import annotations

import pytest

from jwpextract.diff import PlanDiff, diff_plans
from jwpextract.models import CanonicalDocument
from jwpextract.rules import Rules

from .archive_inputs import extracted
from .plan_edits import EDITS, Expected, edit

SOURCES = ("UNEP-CMS-StC38-Doc4.txt", "aewa-ramsar-jwp-2019.txt")
ASYMMETRIC = ("asymmetric-split", "asymmetric-merge")


def found(diff: PlanDiff) -> Expected:
    return Expected(
        pairs={(a.old, a.new, tuple(a.changes)) for a in diff.activities if a.old and a.new},
        added={a.new for a in diff.activities if a.status == "added" and a.new},
        removed={a.old for a in diff.activities if a.status == "removed" and a.old},
    )


def recovered(
    rules: Rules, source: str, seed: int, edits: int, names: tuple[str, ...]
) -> tuple[Expected, Expected, list[str]]:
    doc: CanonicalDocument = extracted(source)
    plan, expected, applied = edit(doc.plans[0], seed, edits, names)
    new = doc.model_copy(update={"plans": [plan]})
    return found(diff_plans(doc, new, rules)), expected, applied


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("seed", range(60))
def test_every_asymmetric_split_and_merge_is_recovered(rules: Rules, source: str, seed: int) -> None:
    got, expected, applied = recovered(rules, source, seed, 1 + seed % 2, ASYMMETRIC)
    assert got == expected, applied


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("seed", range(100))
def test_every_generated_edit_is_recovered(rules: Rules, source: str, seed: int) -> None:
    edits = 1 + seed % (4 if source.startswith("UNEP") else 2)
    got, expected, applied = recovered(rules, source, 1000 + seed, edits, EDITS)
    assert got == expected, applied
