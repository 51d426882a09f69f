"""``diff_plans``: pair the plans of two versions of a document, align the activities of a pair and name each pair's changes.

Kinds of change of an aligned pair (the JSON lists them in this order):

* ``text``: the lead text's words changed (case, punctuation, whitespace, quote and dash styles
  and a trailing printed timeframe are ignored). In a merge or split, the joined texts of the
  group are compared, so a plain concatenation is not a text change.
* ``items``: the sub-items' labels or words changed (joined over a merge or split group).
* ``renumbered``: another number (not reported inside a merge or split: the group says it).
* ``moved``: another section, comparing the new section with the one the old section became
  (sections are aligned by title and by where their activities went, so renumbered sections
  move nothing).
* ``timeframe``: other years or basis (or no timeframe on one side); "2012-14" = "2012-2014".
* ``actors``, ``references``: another set.
* ``merged``, ``split``: the pair belongs to a many-to-one or one-to-many group.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from ..models import Activity, CanonicalDocument, Item, Plan, Timeframe
from ..rules import Rules
from ..wording import fold, words
from .align import Coverage, align, find_groups, similarity_matrix
from .models import CHANGE_KINDS, ActivityChange, Change, ChangeKind, PlanChanges, PlanDiff, SectionTitleChange, Version
from .pairing import chosen_pair, pair_plans
from .text import word_diff


@dataclass(frozen=True)
class View:
    """What diff compares of one activity."""

    activity: Activity
    lead: str
    lead_words: tuple[str, ...]
    items: tuple[tuple[str, tuple[str, ...]], ...]

    @classmethod
    def of(cls, activity: Activity) -> View:
        lead = fold(activity.text)
        printed = fold(activity.timeframe.text) if activity.timeframe else ""
        if printed and lead.endswith(printed):
            lead = lead[: -len(printed)].rstrip()
        return cls(activity, lead, tuple(words(lead)), tuple(cls.item_key(item) for item in activity.items))

    @staticmethod
    def item_key(item: Item) -> tuple[str, tuple[str, ...]]:
        """What an items change compares: the label without brackets, and the words."""
        return item.label.strip("().").lower(), tuple(words(item.text))

    @property
    def all_words(self) -> list[str]:
        """Lead and items: what aligns two versions of an activity."""
        return [*self.lead_words, *(word for _, item in self.items for word in item)]


def _timeframe_key(timeframe: Timeframe | None) -> tuple[object, ...] | None:
    if timeframe is None:
        return None
    if timeframe.start is None and timeframe.end is None:
        return tuple(words(timeframe.text))
    return (timeframe.start, timeframe.end, timeframe.basis)


def section_map(old: Plan, new: Plan, matched: list[tuple[Activity, Activity]], rules: Rules) -> dict[str, str]:
    """Old section number -> the new section it became.

    Sections are aligned like activities (same number first, then an optimal assignment) on a
    score that weighs the titles' word similarity (``title_weight``) against the share of the old
    section's matched activities that went to the new section: a renumbered section keeps its
    activities even when its short title was also reworded.
    """
    settings = rules.diff.sections
    titles = similarity_matrix([words(s.title) for s in old.sections], [words(s.title) for s in new.sections])
    went: dict[str, Counter[str]] = {}
    for a, b in matched:
        if a.section is not None and b.section is not None:
            went.setdefault(a.section, Counter())[b.section] += 1

    def share(old_section: str, new_section: str) -> float:
        counts = went.get(old_section, Counter())
        return counts[new_section] / max(1, counts.total())

    content = np.array([[share(s.number, t.number) for t in new.sections] for s in old.sections]).reshape(titles.shape)
    score = settings.title_weight * titles + (1 - settings.title_weight) * content
    pairs = align(score, [s.number for s in old.sections], [s.number for s in new.sections], settings)
    return {old.sections[i].number: new.sections[j].number for i, j in pairs.items()}


@dataclass
class Entry:
    old: list[int]
    new: list[int]
    group: ChangeKind | None = None


class Differ:
    """Compares the activities of two plans: :meth:`entries` aligns them, :meth:`changes` describes."""

    def __init__(self, old: Plan, new: Plan, rules: Rules) -> None:
        self.old = [View.of(a) for a in old.activities]
        self.new = [View.of(a) for a in new.activities]
        self.rules = rules
        self.similarity = similarity_matrix([v.all_words for v in self.old], [v.all_words for v in self.new])
        self.aligned = self._align()
        matched = [(self.old[i].activity, self.new[j].activity) for e in self.aligned for i in e.old for j in e.new]
        self.sections = section_map(old, new, matched, rules)

    def entries(self) -> list[Entry]:
        """Pairs, merges, splits, additions and removals, in the new version's order."""
        matched_old = {i for e in self.aligned for i in e.old}
        matched_new = {j for e in self.aligned for j in e.new}
        entries = [*self.aligned, *(Entry([], [j]) for j in range(len(self.new)) if j not in matched_new)]
        return _in_reading_order(entries, [i for i in range(len(self.old)) if i not in matched_old])

    def _align(self) -> list[Entry]:
        """Merges, splits and one-to-one pairs."""
        old_words = [v.all_words for v in self.old]
        new_words = [v.all_words for v in self.new]
        pairs = align(
            self.similarity,
            [v.activity.number for v in self.old],
            [v.activity.number for v in self.new],
            self.rules.diff.activities,
        )
        coverage = Coverage.of([*old_words, *new_words])
        merges = find_groups(
            {j: i for i, j in pairs.items()},
            [i for i in range(len(self.old)) if i not in pairs],
            old_words,
            new_words,
            coverage,
            self.rules.diff.merge,
        )
        merged_old = {i for group in merges.values() for i in group}
        aligned_new = set(pairs.values())
        splits = find_groups(
            {i: j for i, j in pairs.items() if i not in merged_old},
            [j for j in range(len(self.new)) if j not in aligned_new and j not in merges],
            new_words,
            old_words,
            coverage,
            self.rules.diff.merge,
            closed=merged_old,
        )
        entries = [Entry(group, [j], "merged") for j, group in merges.items()]
        entries += [Entry([i], group, "split") for i, group in splits.items()]
        grouped_old = merged_old | set(splits)
        grouped_new = set(merges) | {j for group in splits.values() for j in group}
        entries += [Entry([i], [j]) for i, j in pairs.items() if i not in grouped_old and j not in grouped_new]
        return entries

    @staticmethod
    def _joined(views: list[View]) -> tuple[str, tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]]:
        return (
            " ".join(v.lead for v in views),
            tuple(w for v in views for w in v.lead_words),
            tuple(item for v in views for item in v.items),
        )

    def changes(self, entry: Entry) -> list[ActivityChange]:
        """One :class:`ActivityChange` per old-new pair of the entry (one for added or removed)."""
        olds = [self.old[i] for i in entry.old]
        news = [self.new[j] for j in entry.new]
        if not olds or not news:
            number = (olds or news)[0].activity.number
            status = "removed" if olds else "added"
            return [ActivityChange(old=number if olds else None, new=None if olds else number, status=status)]
        old_text, old_lead, old_items = self._joined(olds)
        new_text, new_lead, new_items = self._joined(news)
        if len(olds) == len(news) == 1:
            similarity = float(self.similarity[entry.old[0], entry.new[0]])
        else:
            similarity = _group_similarity(olds, news)
        shared: set[ChangeKind] = set()
        if old_lead != new_lead:
            shared.add("text")
        if old_items != new_items:
            shared.add("items")
        if entry.group:
            shared.add(entry.group)
        text_diff = word_diff(old_text, new_text) if "text" in shared else []
        result = []
        for a in olds:
            for b in news:
                kinds = shared | self._pair_kinds(a.activity, b.activity, grouped=entry.group is not None)
                result.append(
                    ActivityChange(
                        old=a.activity.number,
                        new=b.activity.number,
                        status="changed" if kinds else "unchanged",
                        changes=[k for k in CHANGE_KINDS if k in kinds],
                        similarity=round(similarity, 3),
                        text_diff=text_diff,
                    )
                )
        return result

    def _pair_kinds(self, a: Activity, b: Activity, grouped: bool) -> set[ChangeKind]:
        kinds: set[ChangeKind] = set()
        if a.number != b.number and not grouped:
            kinds.add("renumbered")
        if (self.sections.get(a.section, a.section) if a.section else a.section) != b.section:
            kinds.add("moved")
        if _timeframe_key(a.timeframe) != _timeframe_key(b.timeframe):
            kinds.add("timeframe")
        if set(a.actors) != set(b.actors):
            kinds.add("actors")
        if set(a.references) != set(b.references):
            kinds.add("references")
        return kinds


def _group_similarity(olds: list[View], news: list[View]) -> float:
    return float(similarity_matrix([[w for v in olds for w in v.all_words]], [[w for v in news for w in v.all_words]])[0, 0])


def _in_reading_order(entries: list[Entry], removed: list[int]) -> list[Entry]:
    """Entries by their first new activity; a removed one right after its nearest old predecessor."""
    ordered = sorted(entries, key=lambda e: (e.new[0], min(e.old, default=-1)))
    for i in sorted(removed):
        before = [(max(k for k in e.old if k < i), index) for index, e in enumerate(ordered) if min(e.old, default=i) < i]
        ordered.insert(max(before)[1] + 1 if before else 0, Entry([i], []))
    return ordered


def _plan_changes(old: Plan, new: Plan) -> PlanChanges:
    period = None if old.period == new.period else Change(old=old.period, new=new.period)
    title = None
    if words(old.title or "") != words(new.title or ""):
        title = Change(old=old.title, new=new.title)
    old_titles = {s.number: s.title for s in old.sections}
    new_titles = {s.number: s.title for s in new.sections}
    numbers = [*old_titles, *(n for n in new_titles if n not in old_titles)]
    sections = [
        SectionTitleChange(number=n, old=old_titles.get(n), new=new_titles.get(n))
        for n in numbers
        if old_titles.get(n) is None or new_titles.get(n) is None or words(old_titles[n]) != words(new_titles[n])
    ]
    return PlanChanges(period=period, title=title, section_titles=sections)


def diff_plans(old_doc: CanonicalDocument, new_doc: CanonicalDocument, rules: Rules, plan_id: str | None = None) -> PlanDiff:
    """What changed from ``old_doc`` to ``new_doc``: which plans were added or removed, and for one
    pair of plans (``plan_id``, else the first pair) the plan-level changes and one entry per
    activity pair. A ``plan_id`` that names no paired plan raises ``KeyError``."""
    old, new = chosen_pair(old_doc, new_doc, plan_id)
    paired = pair_plans(old_doc, new_doc)
    differ = Differ(old, new, rules)
    activities = [change for entry in differ.entries() for change in differ.changes(entry)]
    return PlanDiff(
        old=Version(path=old_doc.source.path, symbol=old_doc.document.symbol, plan=old.id if old_doc.plans else None),
        new=Version(path=new_doc.source.path, symbol=new_doc.document.symbol, plan=new.id if new_doc.plans else None),
        plan=_plan_changes(old, new),
        activities=activities,
        plans_removed=[p.id for p in old_doc.plans if all(p is not a for a, _ in paired)],
        plans_added=[p.id for p in new_doc.plans if all(p is not b for _, b in paired)],
    )
