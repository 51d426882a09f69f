"""Actors: canonical secretariats, subjects in running text, responsibility values."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from jwpextract.actors import (
    EDGE_PUNCTUATION,
    _key,
    _names,
    actors_from_lead,
    actors_in_text,
    canonical_actor,
    is_lead_value,
)
from jwpextract.rules import Rules, load_rules

GOLD = Path(__file__).resolve().parent / "gold"
CBD_CMS = ["CBD", "CMS"]
AEWA_RAMSAR = ["AEWA", "Ramsar"]


@pytest.mark.parametrize(
    ("name", "actor"),
    [
        ("CBD Secretariat", "CBD Secretariat"),
        ("the CBD Secretariat", "CBD Secretariat"),
        ("Secretariat of the CBD", "CBD Secretariat"),
        ("the Secretariat of the Convention on Biological Diversity", "CBD Secretariat"),
        ("Secretariat of the Convention on Biological Diversity (CBD)", "CBD Secretariat"),
        ("CBD Secretariate", "CBD Secretariat"),
        ("Secretriat of the Convention on Biological Diversity", "CBD Secretariat"),
        ("SCBD", "CBD Secretariat"),
        ("CMS Secretariat", "CMS Secretariat"),
        ("The CMS Secretariat.", "CMS Secretariat"),
        ("UNEP/CMS Secretariat", "CMS Secretariat"),
        ("Secretariat of the Convention on the Conservation of Migratory Species of Wild Animals", "CMS Secretariat"),
        ("Ramsar Convention Secretariat", "Ramsar Secretariat"),
        ("the Secretariat of the Convention on Wetlands", "Ramsar Secretariat"),
        ("CITES Secretariat", "CITES Secretariat"),
        ("AEWA Secretariat", "AEWA Secretariat"),
        ("Secretariat", None),
        ("the Secretariats", None),
        ("CMB Secretariat", None),
        ("CMS Secretariat – the Inter-Agency Liaison Officer.", None),
        ("The Standing Committee", None),
        ("", None),
    ],
)
def test_canonical_actor(name: str, actor: str | None, rules: Rules) -> None:
    assert canonical_actor(name, rules) == actor


def test_cms_never_matches_cbd(rules: Rules) -> None:
    assert canonical_actor("CMS Secretariat", rules) == "CMS Secretariat"
    assert canonical_actor("the CMS Secretariat", rules) == "CMS Secretariat"
    assert canonical_actor("Secretariat of the CMS", rules) == "CMS Secretariat"
    assert canonical_actor("CBD Secretariat", rules) == "CBD Secretariat"
    assert fuzz.ratio("cms secretariat", "cbd secretariat") < rules.actors.fuzzy_threshold


def test_threshold_separates_short_forms(rules: Rules) -> None:
    """Calibration: the short forms of two secretariats are never within the fuzzy threshold of each other."""
    forms = [c.secretariat.casefold() for c in rules.conventions.conventions]
    for a, b in itertools.combinations(forms, 2):
        assert fuzz.ratio(a, b) < rules.actors.fuzzy_threshold, (a, b)


def closest_secretariat(name: str, rules: Rules) -> str | None:
    """canonical_actor by definition: exact forms, else every form of the pool scored (no cutoff, no memo)."""
    table = _names(rules)
    text = table.article.sub("", " ".join(name.split()).strip(EDGE_PUNCTUATION))
    if table.forms.get(_key(text)) or not text:
        return table.forms.get(_key(text))
    named = {canonical for canonical, pattern in table.names.items() if pattern.search(text)}
    pool = [form for form, canonical in table.forms.items() if not named or canonical in named]
    scores: dict[str, float] = {}
    for form, score, _ in process.extract(_key(text), pool, scorer=fuzz.ratio, limit=None):
        scores[table.forms[form]] = max(score, scores.get(table.forms[form], 0.0))
    ranked = sorted(scores, key=scores.__getitem__, reverse=True)
    best = scores[ranked[0]] if ranked else 0.0
    runner_up = scores[ranked[1]] if len(ranked) > 1 else 0.0
    if best < rules.actors.fuzzy_threshold or best - runner_up < rules.actors.fuzzy_margin:
        return None
    return ranked[0]


NEAR_MISSES = [
    "CBD Secretariate",
    "CMS Secretary",
    "CBD CMS Secretariat",
    "Secretariat of CBD and CMS",
    "Ramsar Convention Secretary",
    "AEWA Secretriat",
    "the Secretariat of the Convention",
    "UNEP Secretariat",
    "CITES Secretariats",
    "CMB Secretariat",
    "CMS Secretariat – the Inter-Agency Liaison Officer.",
    "The Secretariats will participate in the meetings",
    "Secretariat of the Convention on Migratory Species",
    "Secretariat on Biological Diversity",
]


@pytest.mark.parametrize(("threshold", "margin"), [(90, 3), (80, 0), (70, 10), (60, 25), (95, 1)])
def test_canonical_actor_is_the_closest_form_by_definition(threshold: float, margin: float, rules: Rules) -> None:
    settings = rules.actors.model_copy(update={"fuzzy_threshold": threshold, "fuzzy_margin": margin})
    tuned = rules.model_copy(update={"actors": settings, "digest": f"{rules.digest}-{threshold}-{margin}"})
    for name in NEAR_MISSES:
        assert canonical_actor(name, tuned) == closest_secretariat(name, tuned), name


@given(st.sampled_from(["CBD", "CMS", "Ramsar", "CITES", "AEWA"]), st.data())
def test_typo_never_gives_another_secretariat(short: str, data: st.DataObject) -> None:
    rules = load_rules()
    conv = rules.convention(short)
    assert conv is not None
    name = f"{short} Secretariat"
    at = data.draw(st.integers(min_value=0, max_value=len(name) - 1))
    letter = data.draw(st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"))
    typo = name[:at] + letter + name[at + 1 :]
    assert canonical_actor(typo, rules) in (conv.secretariat, None)


@pytest.mark.parametrize(
    ("text", "parties", "actors"),
    [
        (
            "As the CBD Secretariat has recognized the CMS Secretariat as its lead partner in conserving and "
            "sustainably using migratory species, the CBD Secretariat will contribute to the implementation",
            CBD_CMS,
            ["CBD Secretariat"],
        ),
        (
            "The CBD Secretariat will keep the CMS Secretariat informed about regional and sub-regional workshops, "
            "will invite the CMS Secretariat to attend, will welcome CMS Parties at such meetings",
            CBD_CMS,
            ["CBD Secretariat"],
        ),
        (
            "The Secretariats will encourage their Parties to support the UN Decade on Biodiversity 2011-2020. "
            "For example, the CBD Secretariat is preparing a global strategy to celebrate the Decade, and the CMS "
            "Secretariat will participate and support where possible.",
            CBD_CMS,
            ["CBD Secretariat", "CMS Secretariat"],
        ),
        ("Both Secretariats will participate in the Task Force", CBD_CMS, ["CBD Secretariat", "CMS Secretariat"]),
        ("the two Secretariats will move forward", AEWA_RAMSAR, ["AEWA Secretariat", "Ramsar Secretariat"]),
        ("CMS-led scientific review on freshwater fish to identify candidate species", CBD_CMS, []),
        ("The CMS Secretariat will play a facilitative role if requested", CBD_CMS, ["CMS Secretariat"]),
        ("The Secretariats will, resources permitting, cooperate", CBD_CMS, ["CBD Secretariat", "CMS Secretariat"]),
        ("The CBD Secretariat, resources permitting, will help", CBD_CMS, ["CBD Secretariat"]),
        ("The CMS Secretariat also will report", CBD_CMS, ["CMS Secretariat"]),
        ("The Secretariat of the Convention on Biological Diversity shall invite", CBD_CMS, ["CBD Secretariat"]),
        ("the Secretariats’ cooperation has continued", CBD_CMS, []),
        ("The Secretariats of CMS Agreements and MOUs are invited", CBD_CMS, []),
        ("The Secretariats will participate", [], []),
        ("The Secretariats will participate", AEWA_RAMSAR, ["AEWA Secretariat", "Ramsar Secretariat"]),
        ("Maintain the Critical Site Network Tool with up-to-date boundaries of Ramsar Sites.", AEWA_RAMSAR, []),
        ("Together with the CMS Secretariat, the Parties will report", CBD_CMS, []),
        ("The CBD and CMS Secretariats will cooperate", CBD_CMS, ["CBD Secretariat", "CMS Secretariat"]),
        ("the CMS, CITES and Ramsar Secretariats shall", [], ["CITES Secretariat", "CMS Secretariat", "Ramsar Secretariat"]),
        ("between the CMS and CBD Secretariats which continues", CBD_CMS, []),
    ],
)  # fmt: skip
def test_actors_in_text(text: str, parties: list[str], actors: list[str], rules: Rules) -> None:
    assert actors_in_text(text, parties, rules) == actors


@pytest.mark.parametrize(
    ("lead", "parties", "actors"),
    [
        ("AEWA", AEWA_RAMSAR, ["AEWA Secretariat"]),
        ("Ramsar", AEWA_RAMSAR, ["Ramsar Secretariat"]),
        ("Both", AEWA_RAMSAR, ["AEWA Secretariat", "Ramsar Secretariat"]),
        ("Both", CBD_CMS, ["CBD Secretariat", "CMS Secretariat"]),
        ("Jointly", CBD_CMS, ["CBD Secretariat", "CMS Secretariat"]),
        ("CBD Secretariat", CBD_CMS, ["CBD Secretariat"]),
        ("AEWA / Ramsar", AEWA_RAMSAR, ["AEWA Secretariat", "Ramsar Secretariat"]),
        ("CMS (lead), CBD", CBD_CMS, ["CBD Secretariat", "CMS Secretariat"]),
        ("Ramsar and AEWA Secretariat", AEWA_RAMSAR, ["AEWA Secretariat", "Ramsar Secretariat"]),
        ("the Convention on Wetlands", AEWA_RAMSAR, ["Ramsar Secretariat"]),
        ("Parties", AEWA_RAMSAR, []),
    ],
)
def test_actors_from_lead(lead: str, parties: list[str], actors: list[str], rules: Rules) -> None:
    assert actors_from_lead(lead, parties, rules) == actors


@pytest.mark.parametrize(
    "text", ["AEWA", "Both", "Ramsar", "CBD Secretariat", "AEWA / Ramsar", "CMS (lead), CBD", "Jointly"]
)
def test_is_lead_value(text: str, rules: Rules) -> None:
    assert is_lead_value(text, rules)


@pytest.mark.parametrize(
    "text",
    [
        "CMS Secretariat – the Inter-Agency Liaison Officer.",
        "The Secretariats will participate in the meetings",
        "Standing Committee",
        "2019-2020",
        "Annex",
        "",
        "and",
        "AEWA and the Standing Committee",
    ],
)
def test_is_not_lead_value(text: str, rules: Rules) -> None:
    assert not is_lead_value(text, rules)


def test_corpus_actors_from_text(rules: Rules) -> None:
    """Activities of the CBD-CMS plan, whose actors are named in their text (gold: full_text -> actors)."""
    gold = json.loads((GOLD / "UNEP-CMS-StC38-Doc4.gold.json").read_text(encoding="utf-8"))
    for activity in gold["activities"]:
        assert actors_in_text(activity["full_text"], gold["plan"]["parties"], rules) == activity["actors"], activity[
            "number"
        ]


def test_user_rules_add_collective_subjects(tmp_path: Path) -> None:
    base = load_rules()
    extra = {"collective": [*base.actors.collective, "the partners"]}
    (tmp_path / "actors.json").write_text(json.dumps(extra), encoding="utf-8")
    rules = load_rules([tmp_path])
    assert actors_in_text("The partners will meet", CBD_CMS, rules) == ["CBD Secretariat", "CMS Secretariat"]
    assert actors_in_text("The partners will meet", CBD_CMS, base) == []
