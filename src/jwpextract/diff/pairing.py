"""Which plan of one version is which plan of the other: pairs by shared activity numbers and by
title words, one to one, in document order; the rest were added or removed."""

from __future__ import annotations

from ..models import CanonicalDocument, Plan
from ..wording import words


def _affinity(old: Plan, new: Plan) -> float:
    """Share of activity numbers in common plus title word overlap (Jaccard), each 0..1."""
    old_numbers = {a.number for a in old.activities}
    new_numbers = {a.number for a in new.activities}
    numbers = len(old_numbers & new_numbers) / max(1, len(old_numbers | new_numbers))
    old_title, new_title = set(words(old.title or "")), set(words(new.title or ""))
    title = len(old_title & new_title) / max(1, len(old_title | new_title))
    return numbers + title


def pair_plans(old: CanonicalDocument, new: CanonicalDocument) -> list[tuple[Plan, Plan]]:
    """The plans of ``old`` and ``new`` that are versions of each other, best pairs first taken."""
    scored = sorted(
        ((_affinity(a, b), i, j) for i, a in enumerate(old.plans) for j, b in enumerate(new.plans)),
        key=lambda s: (-s[0], s[1], s[2]),
    )
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for score, i, j in scored:
        if score > 0 and i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append((i, j))
    if not pairs and old.plans and new.plans:
        pairs.append((0, 0))
    return [(old.plans[i], new.plans[j]) for i, j in sorted(pairs)]


def chosen_pair(old: CanonicalDocument, new: CanonicalDocument, plan_id: str | None) -> tuple[Plan, Plan]:
    """The pair to diff: the one whose old (or new) plan has ``plan_id``, else the first pair; a
    version without plans diffs as an empty plan."""
    pairs = pair_plans(old, new)
    if plan_id is not None:
        pairs = [p for p in pairs if plan_id in (p[0].id, p[1].id)]
        if not pairs:
            raise KeyError(plan_id)
    if pairs:
        return pairs[0]
    empty = Plan(id="plan:1")
    return (old.plans[0] if old.plans else empty), (new.plans[0] if new.plans else empty)
