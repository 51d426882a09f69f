"""Known edits of a plan, as an editor makes them between two versions, and what ``diff`` must report.

:class:`Editor` copies a plan's activities and applies edits chosen by a seeded RNG, each on
activities no other edit touched: delete, insert, reword (up to a third of the lead's words),
renumber, move to another section, merge two neighbours, split one, change a timeframe, the items
or the actors, and the asymmetric cases: a split in which one part keeps most of the old wording
(:data:`ASYMMETRIC_SHARE`), the smaller part sometimes opening with the old lead's subject ("The
Secretariats will ..."), and its mirror, a merge in which a long activity absorbs a short one.
After an insertion, a deletion or a split, half the time the following activities of the section
are renumbered. :meth:`Editor.expected` says which old activity each new one comes from and with
which kinds of change.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from jwpextract.diff.models import CHANGE_KINDS, ChangeKind
from jwpextract.models import Activity, Item, Plan, Timeframe
from jwpextract.wording import words

# Words of insertions and rewordings (none specific to one activity).
FILLER = tuple(
    " ".join(
        (
            "regional cooperation national focal points guidance review capacity funding workshop data platform",
            "outreach indicators targets framework corridor census management experts advice campaign flyway wetland",
            "habitat restoration monitoring training synergies partners strategy reporting species sites marine",
        )
    ).split()
)
EDITS = (
    "delete",
    "insert",
    "reword",
    "renumber",
    "move",
    "merge",
    "split",
    "timeframe",
    "items",
    "actors",
    "asymmetric-split",
    "asymmetric-merge",
)
ASYMMETRIC_SHARE = (0.75, 0.9)  # of the old words the larger part keeps
SUBJECT_WORDS = 3  # "The Secretariats will": what a split's second part may open with
PART_WORDS = 5  # each part of a split or merge has this many words the other part lacks, at least
REWORD_SHARE = 1 / 5  # of a merged text, or of a split's smaller part, reworded half the time
SHORT_SHARE = 1 / 3  # an absorbed activity has at most this share of the merged words
ACTORS = ("CBD Secretariat", "CMS Secretariat", "AEWA Secretariat", "Ramsar Secretariat")
Pair = tuple[str, str, tuple[ChangeKind, ...]]


@dataclass
class Expected:
    pairs: set[Pair] = field(default_factory=set)
    added: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)


@dataclass
class Entry:
    """An activity of the new version and the old activities it comes from, with the kinds expected."""

    activity: Activity
    origins: list[tuple[str, set[ChangeKind]]]
    touched: bool = False


def _timeframe_key(timeframe: Timeframe | None) -> object:
    return None if timeframe is None else (timeframe.start, timeframe.end, timeframe.basis, timeframe.text)


def _own(text: str, other: str) -> set[str]:
    """The words of ``text`` that ``other`` does not have."""
    return set(words(text)) - set(words(other))


def _full_text(text: str, items: list[Item]) -> str:
    return " ".join([text, *(item.text for item in items)])


class Editor:
    def __init__(self, plan: Plan, rng: random.Random) -> None:
        self.plan = plan
        self.rng = rng
        self.entries = [Entry(a.model_copy(deep=True), [(a.number, set())]) for a in plan.activities]
        self.old_numbers = [a.number for a in plan.activities]
        self.applied: list[str] = []

    # --- helpers --------------------------------------------------------------------------------------

    def _free(self, section: str) -> str:
        last = max((self._index(e.activity.number, section) or 0 for e in self.entries), default=0)
        return f"{section}.{last + 1}"

    @staticmethod
    def _index(number: str, section: str) -> int | None:
        prefix, _, last = number.rpartition(".")
        return int(last) if prefix == section and last.isdigit() else None

    def _shift(self, section: str, after: int, delta: int) -> None:
        for entry in self.entries:
            index = self._index(entry.activity.number, section)
            if index is not None and index > after:
                self._set(entry, number=f"{section}.{index + delta}")

    @staticmethod
    def _set(entry: Entry, **fields: object) -> None:
        activity = entry.activity.model_copy(update=fields)
        if "number" in fields:
            activity = activity.model_copy(update={"id": f"activity:{fields['number']}"})
        if "text" in fields or "items" in fields:
            activity = activity.model_copy(update={"full_text": _full_text(activity.text, activity.items)})
        entry.activity = activity

    def _pick(self, minimum_words: int = 0) -> Entry | None:
        pool = [
            e for e in self.entries
            if not e.touched and len(e.origins) == 1 and e.activity.section and len(e.activity.text.split()) >= minimum_words
        ]  # fmt: skip
        return self.rng.choice(pool) if pool else None

    def _mark(self, entry: Entry, kind: ChangeKind) -> None:
        for _, kinds in entry.origins:
            kinds.add(kind)

    def _reworded(self, text: str, share: float) -> str:
        """Up to ``share`` of the words (at least one) replaced by other words."""
        tokens = text.split()
        for i in self.rng.sample(range(len(tokens)), self.rng.randint(1, max(1, int(len(tokens) * share)))):
            tokens[i] = self.rng.choice([w for w in FILLER if w != tokens[i].lower()])
        return " ".join(tokens)

    def _renumber_after(self, entry: Entry) -> tuple[str, int | None]:
        section = entry.activity.section or ""
        return section, self._index(entry.activity.number, section)

    # --- edits ----------------------------------------------------------------------------------------

    def apply(self, name: str) -> bool:
        """Apply one edit; False when the plan offers no activity for it."""
        minimum = {"split": 12, "reword": 12, "asymmetric-split": 4 * (SUBJECT_WORDS + PART_WORDS)}.get(name, 0)
        entry = self._pick(minimum_words=minimum)
        if entry is None:
            return False
        done = getattr(self, "_" + name.replace("-", "_"))(entry)
        if done:
            entry.touched = True
            self.applied.append(name)
        return done

    def _delete(self, entry: Entry) -> bool:
        self.entries.remove(entry)
        section, index = self._renumber_after(entry)
        if self.rng.random() < 0.5 and index is not None:
            self._shift(section, index, -1)
        return True

    def _number_after(self, entry: Entry) -> str:
        """A number for an activity inserted after ``entry``: the next one, the following activities
        renumbered (half the time), else a free number of the section."""
        section, index = self._renumber_after(entry)
        if self.rng.random() < 0.5 and index is not None:
            self._shift(section, index, +1)
            return f"{section}.{index + 1}"
        return self._free(section)

    def _insert(self, entry: Entry) -> bool:
        number = self._number_after(entry)
        text = "The Secretariats will " + " ".join(self.rng.choices(FILLER, k=20)) + "."
        new = Entry(entry.activity.model_copy(), [], touched=True)
        self._set(new, number=number, text=text, items=[], references=[])
        self.entries.insert(self.entries.index(entry) + 1, new)
        return True

    def _reword(self, entry: Entry) -> bool:
        self._set(entry, text=self._reworded(entry.activity.text, 1 / 3))
        self._mark(entry, "text")
        return True

    def _renumber(self, entry: Entry) -> bool:
        self._set(entry, number=self._free(entry.activity.section or ""))
        return True

    def _move(self, entry: Entry) -> bool:
        others = [s.number for s in self.plan.sections if s.number != entry.activity.section]
        if not others:
            return False
        section = self.rng.choice(others)
        self._set(entry, section=section, number=self._free(section))
        self.entries.remove(entry)
        last = max((i for i, e in enumerate(self.entries) if e.activity.section == section), default=len(self.entries) - 1)
        self.entries.insert(last + 1, entry)
        self._mark(entry, "moved")
        return True

    def _timeframe(self, entry: Entry) -> bool:
        year = ((entry.activity.timeframe.start if entry.activity.timeframe else None) or 2010) + self.rng.randint(1, 5)
        self._set(entry, timeframe=Timeframe(text=str(year), start=year, end=year, basis="printed"))
        self._mark(entry, "timeframe")
        return True

    def _items(self, entry: Entry) -> bool:
        items = list(entry.activity.items)
        if items and self.rng.random() < 0.5:
            items.pop(self.rng.randrange(len(items)))
        else:
            items.append(Item(label="z", text=" ".join(self.rng.choices(FILLER, k=8))))
        self._set(entry, items=items)
        self._mark(entry, "items")
        return True

    def _actors(self, entry: Entry) -> bool:
        actors = sorted(set(entry.activity.actors) ^ {self.rng.choice(ACTORS)}) or [ACTORS[0]]
        if set(actors) == set(entry.activity.actors):
            return False
        self._set(entry, actors=actors)
        self._mark(entry, "actors")
        return True

    def _merge(self, entry: Entry, absorb: bool = False) -> bool:
        index = self.entries.index(entry)
        if index + 1 >= len(self.entries):
            return False
        second = self.entries[index + 1]
        if second.touched or len(second.origins) != 1 or second.activity.section != entry.activity.section:
            return False
        words = [len(e.activity.text.split()) for e in (entry, second)]
        if absorb and min(words) > SHORT_SHARE * sum(words):
            return False
        if (
            min(len(_own(entry.activity.text, second.activity.text)), len(_own(second.activity.text, entry.activity.text)))
            < PART_WORDS
        ):
            return False
        keeper = entry if not absorb or words[0] >= words[1] else second
        reworded = self.rng.random() < 0.5
        parts = [entry.activity, second.activity]
        actors = sorted({actor for a in parts for actor in a.actors})
        references = list(dict.fromkeys(r for a in parts for r in a.references))
        text = f"{parts[0].text} {parts[1].text}"
        merged = Entry(keeper.activity, [], touched=True)
        self._set(
            merged,
            text=self._reworded(text, REWORD_SHARE) if reworded else text,
            items=[*parts[0].items, *parts[1].items],
            actors=actors,
            references=references,
        )
        for part, origin in ((parts[0], entry.origins[0]), (parts[1], second.origins[0])):
            kinds: set[ChangeKind] = {"merged", *origin[1]}
            if set(part.actors) != set(actors):
                kinds.add("actors")
            if set(part.references) != set(references):
                kinds.add("references")
            if _timeframe_key(part.timeframe) != _timeframe_key(merged.activity.timeframe):
                kinds.add("timeframe")
            if reworded:
                kinds.add("text")
            merged.origins.append((origin[0], kinds))
        self.entries[index : index + 2] = [merged]
        return True

    def _asymmetric_merge(self, entry: Entry) -> bool:
        return self._merge(entry, absorb=True)

    def _split(
        self, entry: Entry, share: tuple[float, float] = (1 / 3, 2 / 3), subject: bool = False, reword: float = 0.0
    ) -> bool:
        tokens = entry.activity.text.split()
        cut = round(len(tokens) * self.rng.uniform(*share))
        cut = min(max(cut, SUBJECT_WORDS + PART_WORDS), len(tokens) - PART_WORDS)
        first, second = " ".join(tokens[:cut]), " ".join(tokens[cut:])
        if subject:  # the second part opens with the old lead's subject, as the first does
            second = " ".join([*tokens[:SUBJECT_WORDS], second])
        if reword:  # the smaller part reworded
            first, second = (
                (self._reworded(first, reword), second) if cut < len(tokens) / 2 else (first, self._reworded(second, reword))
            )
        if min(len(_own(first, second)), len(_own(second, first))) < PART_WORDS:
            return False  # a part with no words of its own from the old text is not told from a new activity
        number = self._number_after(entry)
        kinds: set[ChangeKind] = {"split", "text"} if subject or reword else {"split"}
        part = Entry(entry.activity, [(entry.origins[0][0], set(kinds))], touched=True)
        self._set(part, number=number, text=second, items=[])
        self._set(entry, text=first)
        entry.origins = [(entry.origins[0][0], set(kinds))]
        self.entries.insert(self.entries.index(entry) + 1, part)
        return True

    def _asymmetric_split(self, entry: Entry) -> bool:
        keep = self.rng.uniform(*ASYMMETRIC_SHARE)
        share = (keep, keep) if self.rng.random() < 0.5 else (1 - keep, 1 - keep)
        reword = self.rng.choice((0.0, REWORD_SHARE))
        return self._split(entry, share, subject=self.rng.random() < 0.5, reword=reword)

    # --- result ---------------------------------------------------------------------------------------

    def plan_after(self) -> Plan:
        return self.plan.model_copy(update={"activities": [e.activity for e in self.entries]})

    def expected(self) -> Expected:
        expected = Expected()
        kept = set()
        for entry in self.entries:
            if not entry.origins:
                expected.added.add(entry.activity.number)
            for old, kinds in entry.origins:
                kept.add(old)
                found = set(kinds)
                if old != entry.activity.number and not found & {"merged", "split"}:
                    found.add("renumbered")
                expected.pairs.add((old, entry.activity.number, tuple(k for k in CHANGE_KINDS if k in found)))
        expected.removed = set(self.old_numbers) - kept
        return expected


def edit(plan: Plan, seed: int, edits: int, names: tuple[str, ...] = EDITS) -> tuple[Plan, Expected, list[str]]:
    """A new version of ``plan`` with ``edits`` random edits among ``names``, and what diff must report."""
    editor = Editor(plan, random.Random(seed))
    attempts = 0
    while len(editor.applied) < edits and attempts < 60:
        attempts += 1
        editor.apply(editor.rng.choice(names))
    return editor.plan_after(), editor.expected(), editor.applied
