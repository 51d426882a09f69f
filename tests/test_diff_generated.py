"""Generated versions: known random edits of the corpus plans, which ``diff`` must recover exactly.

Each case starts from a plan built from an answer key, applies a few edits chosen by a seeded RNG
(delete, insert, reword up to a third of the lead's words, renumber, move to another section,
merge two activities, split one, change a timeframe, the items or the actors), each edit on
activities no other edit touches, and records what the diff must report. One version pair is not
enough to calibrate on: these cases are the calibration set of ``docs/diff-thresholds.md``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import pytest

from jwpextract.diff import diff_plans
from jwpextract.diff.models import CHANGE_KINDS, ChangeKind, PlanDiff
from jwpextract.rules import Rules
from jwpextract.wording import words

from .test_diff_fixtures import Key, document_from_key, load_key

# Words of insertions and rewordings: conventions vocabulary, unrelated to any one activity.
VOCABULARY = [
    "assessment",
    "guidance",
    "network",
    "flyway",
    "wetland",
    "monitoring",
    "review",
    "capacity",
    "funding",
    "partners",
    "regional",
    "national",
    "report",
    "strategy",
    "species",
    "habitat",
    "restoration",
    "data",
    "platform",
    "training",
    "workshop",
    "website",
    "outreach",
    "synergies",
    "indicators",
    "targets",
    "implementation",
    "cooperation",
    "framework",
    "corridor",
    "census",
    "invasive",
    "climate",
    "marine",
    "freshwater",
    "sites",
    "management",
    "plan",
    "experts",
    "advice",
    "campaign",
]
EDITS = ("delete", "insert", "reword", "renumber", "move", "merge", "split", "timeframe", "items", "actors")
NEW_SECTION_SHARE = 0.2  # of the cases also get a new first section
ACTORS = ("CBD Secretariat", "CMS Secretariat", "AEWA Secretariat", "Ramsar Secretariat")


@dataclass
class Expected:
    pairs: set[tuple[str, str, tuple[ChangeKind, ...]]] = field(default_factory=set)
    added: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)


@dataclass
class Version:
    """The new version under construction: activities (key entries) and what each came from."""

    activities: list[dict[str, Any]]
    origin: dict[int, list[tuple[str, set[ChangeKind]]]]  # id(entry) -> [(old number, kinds)]
    touched: set[int] = field(default_factory=set)
    applied: list[str] = field(default_factory=list)

    def free_number(self, section: str) -> str:
        last = max((_index(a["number"], section) or 0 for a in self.activities), default=0)
        return f"{section}.{last + 1}"

    def untouched(self, rng: random.Random, minimum_words: int = 0) -> dict[str, Any] | None:
        pool = [a for a in self.activities if self.editable(a) and len(a["text"].split()) >= minimum_words]
        return rng.choice(pool) if pool else None

    def editable(self, entry: dict[str, Any]) -> bool:
        return id(entry) in self.origin and id(entry) not in self.touched and len(self.origin[id(entry)]) == 1

    def mark(self, entry: dict[str, Any], kind: ChangeKind) -> None:
        """Expect ``kind`` on the entry's pairs (``renumbered`` is settled by :func:`generate`)."""
        for _, kinds in self.origin.get(id(entry), []):
            kinds.add(kind)

    def shift(self, section: str, after: int, delta: int) -> None:
        """Renumber the section's activities numbered above ``after`` by ``delta``, as editors do."""
        for entry in self.activities:
            index = _index(entry["number"], section)
            if index is not None and index > after:
                entry["number"] = f"{section}.{index + delta}"


def _index(number: str, section: str) -> int | None:
    prefix, _, last = number.partition(".")
    return int(last) if prefix == section and last.isdigit() else None


def _random_text(rng: random.Random, count: int) -> str:
    return "The Secretariats will " + " ".join(rng.choice(VOCABULARY) for _ in range(count)) + "."


def _reword(text: str, rng: random.Random, share: float) -> str:
    """Up to ``share`` of the words (at least one) replaced by other words."""
    tokens = text.split()
    for i in rng.sample(range(len(tokens)), rng.randint(1, max(1, int(len(tokens) * share)))):
        tokens[i] = rng.choice([w for w in VOCABULARY if [w] != words(tokens[i])])
    return " ".join(tokens)


def apply_edit(name: str, version: Version, rng: random.Random, sections: list[str]) -> bool:
    """Apply one edit; False when the plan offers no activity for it."""
    acts = version.activities
    entry = version.untouched(rng, minimum_words=12 if name in ("split", "reword") else 0)
    if entry is None:
        return False
    renumbering = rng.random() < 0.5  # editors often renumber what follows an insertion or deletion
    if name == "delete":
        acts.remove(entry)
        del version.origin[id(entry)]
        index = _index(entry["number"], entry["section"] or "")
        if renumbering and index is not None:
            version.shift(entry["section"], index, -1)
    elif name == "insert":
        index = _index(entry["number"], entry["section"] or "")
        if renumbering and index is not None:
            version.shift(entry["section"], index, +1)
            number = f"{entry['section']}.{index + 1}"
        else:
            number = version.free_number(entry["section"] or "")
        new = dict(entry, number=number, text=_random_text(rng, 20), items=[])
        acts.insert(acts.index(entry) + 1, new)
    elif name == "reword":
        entry["text"] = _reword(entry["text"], rng, 1 / 3)
        version.mark(entry, "text")
    elif name == "renumber":
        entry["number"] = version.free_number(entry["section"])
    elif name == "move":
        others = [s for s in sections if s != entry["section"]]
        if not others:
            return False
        entry["section"] = rng.choice(others)
        entry["number"] = version.free_number(entry["section"])
        acts.remove(entry)
        acts.insert(max(i for i, a in enumerate(acts) if a["section"] == entry["section"]) + 1, entry)
        version.mark(entry, "moved")
    elif name == "merge":
        return _merge(version, entry, rng)
    elif name == "split":
        _split(version, entry, rng)
    elif name == "timeframe":
        start = (entry.get("timeframe") or {}).get("start") or 2010
        year = start + rng.randint(1, 5)
        entry["timeframe"] = {"text": str(year), "start": year, "end": year}
        version.mark(entry, "timeframe")
    elif name == "items":
        items = list(entry.get("items", []))
        if items and rng.random() < 0.5:
            items.pop(rng.randrange(len(items)))
        else:
            items.append({"label": "z", "text": " ".join(rng.choice(VOCABULARY) for _ in range(8))})
        entry["items"] = items
        version.mark(entry, "items")
    elif name == "actors":
        current = set(entry.get("actors", []))
        entry["actors"] = sorted(current ^ {rng.choice(ACTORS)}) or [ACTORS[0]]
        if set(entry["actors"]) == current:
            return False
        version.mark(entry, "actors")
    version.touched.add(id(entry))
    version.applied.append(name)
    return True


def _timeframe_years(entry: dict[str, Any]) -> tuple[int | None, int | None]:
    timeframe = entry.get("timeframe") or {}
    return timeframe.get("start"), timeframe.get("end")


def _merge(version: Version, first: dict[str, Any], rng: random.Random) -> bool:
    """The next activity of the same section is appended to ``first`` (and, half the time, reworded)."""
    acts = version.activities
    index = acts.index(first)
    if index + 1 >= len(acts) or acts[index + 1]["section"] != first["section"] or not version.editable(acts[index + 1]):
        return False
    second = acts[index + 1]
    actors = sorted(set(first.get("actors", [])) | set(second.get("actors", [])))
    reworded = rng.random() < 0.5
    origins = []
    for part in (first, second):
        kinds: set[ChangeKind] = {"merged", *version.origin[id(part)][0][1]}
        if set(part.get("actors", [])) != set(actors):
            kinds.add("actors")
        if _timeframe_years(part) != _timeframe_years(first):
            kinds.add("timeframe")
        if reworded:
            kinds.add("text")
        origins.append((version.origin[id(part)][0][0], kinds))
    text = f"{first['text']} {second['text']}"
    first["text"] = _reword(text, rng, 1 / 5) if reworded else text
    first["items"] = [*first.get("items", []), *second.get("items", [])]
    first["actors"] = actors
    acts.remove(second)
    del version.origin[id(second)]
    version.origin[id(first)] = origins
    version.touched.add(id(first))
    version.applied.append("merge")
    return True


def _split(version: Version, entry: dict[str, Any], rng: random.Random) -> None:
    """The lead's second part becomes a new activity of the same section."""
    tokens = entry["text"].split()
    cut = rng.randint(len(tokens) // 3, 2 * len(tokens) // 3)
    second = dict(entry, number=version.free_number(entry["section"]), text=" ".join(tokens[cut:]), items=[])
    entry["text"] = " ".join(tokens[:cut])
    old_number = version.origin[id(entry)][0][0]
    version.origin[id(entry)] = [(old_number, {"split"})]
    version.origin[id(second)] = [(old_number, {"split"})]
    version.activities.insert(version.activities.index(entry) + 1, second)
    version.touched.add(id(second))


def _new_first_section(version: Version, sections: list[dict[str, str]], rng: random.Random) -> list[dict[str, str]]:
    """A new section 1: every section and activity renumbered (not moved), one title reworded."""

    def bump(number: str) -> str:
        head, dot, rest = number.partition(".")
        return f"{int(head) + 1}{dot}{rest}"

    for entry in version.activities:
        entry["section"] = bump(entry["section"])
        entry["number"] = bump(entry["number"])
    shifted = [dict(s, number=bump(s["number"])) for s in sections]
    changed = rng.choice(shifted)
    changed["title"] = _reword(changed["title"], rng, 0.0)
    version.applied.append("new-section")
    return [{"number": "1", "title": " ".join(rng.choice(VOCABULARY) for _ in range(5))}, *shifted]


def generate(key: Key, seed: int, edits: int) -> tuple[Key, Expected, list[str]]:
    """A new version of ``key`` with ``edits`` random edits, and what the diff must report."""
    rng = random.Random(seed)
    activities = [dict(a, items=list(a.get("items", []))) for a in key["activities"]]
    version = Version(activities, {id(a): [(a["number"], set())] for a in activities})
    sections = [s["number"] for s in key["sections"]]
    attempts = 0
    while len(version.applied) < edits and attempts < 50:
        attempts += 1
        apply_edit(rng.choice(EDITS), version, rng, sections)
    new_sections = key["sections"]
    if rng.random() < NEW_SECTION_SHARE:
        new_sections = _new_first_section(version, new_sections, rng)
    expected = Expected()
    old_numbers = {a["number"] for a in key["activities"]}
    for entry in activities:
        if id(entry) not in version.origin:
            continue
        for old, kinds in version.origin[id(entry)]:
            if old != entry["number"] and not kinds & {"merged", "split"}:
                kinds.add("renumbered")  # inside a merge or a split, the group says it
            expected.pairs.add((old, entry["number"], tuple(k for k in CHANGE_KINDS if k in kinds)))
    inserted = [a for a in activities if id(a) not in version.origin]
    expected.added = {a["number"] for a in inserted}
    kept = {old for a in activities if id(a) in version.origin for old, _ in version.origin[id(a)]}
    expected.removed = old_numbers - kept
    return dict(key, activities=activities, sections=new_sections), expected, version.applied


def _found(diff: PlanDiff) -> Expected:
    return Expected(
        pairs={(a.old, a.new, tuple(a.changes)) for a in diff.activities if a.old and a.new},
        added={a.new for a in diff.activities if a.status == "added" and a.new},
        removed={a.old for a in diff.activities if a.status == "removed" and a.old},
    )


PLANS = ("UNEP-CMS-StC38-Doc4", "aewa-ramsar-jwp-2019")


@pytest.mark.parametrize("name", PLANS)
@pytest.mark.parametrize("seed", range(100))
def test_diff_recovers_random_edits(rules: Rules, name: str, seed: int) -> None:
    key = load_key(name)
    edits = 1 + seed % (4 if len(key["activities"]) > 12 else 2)
    new_key, expected, applied = generate(key, seed, edits)
    old_doc, _ = document_from_key(key)
    new_doc, _ = document_from_key(new_key)
    found = _found(diff_plans(old_doc, new_doc, rules))
    assert found.removed == expected.removed, applied
    assert found.added == expected.added, applied
    assert found.pairs == expected.pairs, applied


@pytest.mark.parametrize("name", PLANS)
def test_a_plan_diffed_with_itself_has_no_change(rules: Rules, name: str) -> None:
    doc, _ = document_from_key(load_key(name))
    diff = diff_plans(doc, doc, rules)
    assert {a.status for a in diff.activities} == {"unchanged"}
    assert all(a.old == a.new and a.similarity == 1.0 and not a.changes for a in diff.activities)
    assert diff.plan.period is None and diff.plan.title is None and diff.plan.section_titles == []
