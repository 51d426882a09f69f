"""``jwpextract lineage``: a plan followed through many versions, each activity as a chain of aligned pairs.

The plan of the first version (``plan_id``, else its first plan) is followed into each next
version by :func:`~.pairing.pair_plans`; consecutive versions are compared by
:func:`~.changes.diff_plans` on that pair alone. Every activity of every version is a node; an
aligned pair (one-to-one, or a part of a merge or split) joins the old node to the new one. A
:class:`Chain` is a connected group of nodes: a renumbered activity is one chain (2.3 → 3.1 → 3.4);
a merge or a split joins the chains of its parts; an activity added in version k starts a chain
there, and one dropped ends it. A version without the plan has no activity: the chain's nodes of
the version before it are all dropped there.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from pydantic import Field

from ..models import CanonicalDocument, Period, Plan
from ..rules import Rules
from .changes import diff_plans
from .models import ActivityChange, ChangeKind, DiffModel, Status
from .pairing import pair_plans


class LineageVersion(DiffModel):
    path: str
    symbol: str | None = None
    date: str | None = None
    plan: str | None = Field(default=None, description="id of the plan followed in this version (null: none)")
    title: str | None = None
    period: Period | None = None


class Step(DiffModel):
    """One entry of the diff between two consecutive versions (an aligned pair, an addition, a removal)."""

    old: str | None = Field(description="number in the older version, null when added")
    new: str | None = Field(description="number in the newer version, null when removed")
    status: Status
    changes: list[ChangeKind] = Field(default_factory=list)
    similarity: float | None = None


class Chain(DiffModel):
    id: str = Field(description="'lineage:' + its 1-based position (by first version, then plan order)")
    numbers: list[list[str]] = Field(description="per version, the chain's activity numbers in plan order ([]: none)")
    steps: list[list[Step]] = Field(description="per pair of consecutive versions, the chain's diff entries")
    added_in: int | None = Field(default=None, description="1-based version where it first appears, if not the first")
    dropped_in: int | None = Field(default=None, description="1-based version where it no longer appears, if any")


class Lineage(DiffModel):
    versions: list[LineageVersion]
    chains: list[Chain]


def followed_plans(documents: Sequence[CanonicalDocument], plan_id: str | None) -> list[Plan | None]:
    """The plan followed in each version (``KeyError`` when ``plan_id`` names no plan of the first)."""
    first = documents[0].plans
    if plan_id is not None:
        current = next((p for p in first if p.id == plan_id), None)
        if current is None:
            raise KeyError(plan_id)
    else:
        current = first[0] if first else None
    plans = [current]
    for old, new in pairwise(documents):
        pairs = dict((id(a), b) for a, b in pair_plans(old, new)) if current is not None else {}
        current = pairs.get(id(current))
        plans.append(current)
    return plans


def _alone(doc: CanonicalDocument, plan: Plan | None) -> CanonicalDocument:
    return doc.model_copy(update={"plans": [plan] if plan is not None else []})


class _Nodes:
    """Union-find over (version, activity position) nodes."""

    def __init__(self, plans: Sequence[Plan | None]) -> None:
        self.position = [{a.number: i for i, a in reversed(list(enumerate(p.activities)))} if p else {} for p in plans]
        self.parent: dict[tuple[int, int], tuple[int, int]] = {
            (k, i): (k, i) for k, p in enumerate(plans) for i in range(len(p.activities) if p else 0)
        }

    def node(self, version: int, number: str) -> tuple[int, int]:
        return version, self.position[version][number]

    def root(self, node: tuple[int, int]) -> tuple[int, int]:
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def join(self, a: tuple[int, int], b: tuple[int, int]) -> None:
        self.parent[self.root(b)] = self.root(a)


def _entry_node(nodes: _Nodes, k: int, change: ActivityChange) -> tuple[int, int]:
    return nodes.node(k, change.old) if change.old is not None else nodes.node(k + 1, change.new or "")


def lineage(documents: Sequence[CanonicalDocument], rules: Rules, plan_id: str | None = None) -> Lineage:
    """Each activity of the followed plan through ``documents`` (oldest first)."""
    plans = followed_plans(documents, plan_id)
    diffs = [
        diff_plans(_alone(a, p), _alone(b, q), rules).activities
        for a, b, p, q in zip(documents, documents[1:], plans, plans[1:], strict=False)
    ]
    nodes = _Nodes(plans)
    for k, entries in enumerate(diffs):
        for change in entries:
            if change.old is not None and change.new is not None:
                nodes.join(nodes.node(k, change.old), nodes.node(k + 1, change.new))
    groups: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for node in sorted(nodes.parent):
        groups.setdefault(nodes.root(node), []).append(node)
    order = {root: index for index, root in enumerate(sorted(groups, key=lambda r: min(groups[r])))}
    chains = [
        Chain(id=f"lineage:{order[root] + 1}", numbers=[[] for _ in documents], steps=[[] for _ in diffs])
        for root in sorted(groups, key=order.__getitem__)
    ]
    for root, members in groups.items():
        chain = chains[order[root]]
        for k, i in members:
            chain.numbers[k].append(plans[k].activities[i].number)  # type: ignore[union-attr]
    for k, entries in enumerate(diffs):
        for change in entries:
            chain = chains[order[nodes.root(_entry_node(nodes, k, change))]]
            chain.steps[k].append(Step(**change.model_dump(exclude={"text_diff"})))
    for chain in chains:
        present = [k for k, numbers in enumerate(chain.numbers) if numbers]
        chain.added_in = present[0] + 1 if present[0] > 0 else None
        chain.dropped_in = present[-1] + 2 if present[-1] < len(documents) - 1 else None
    versions = [
        LineageVersion(
            path=doc.source.path,
            symbol=doc.document.symbol,
            date=doc.document.date,
            plan=plan.id if plan else None,
            title=plan.title if plan else None,
            period=plan.period if plan else None,
        )
        for doc, plan in zip(documents, plans, strict=True)
    ]
    return Lineage(versions=versions, chains=chains)
