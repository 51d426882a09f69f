"""The result of ``jwpextract diff``: what changed between two versions of a plan (pydantic)."""

from __future__ import annotations

from collections import Counter
from typing import Generic, Literal, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, Field

from ..models import Period

ChangeKind = Literal["text", "items", "renumbered", "moved", "timeframe", "actors", "references", "merged", "split"]
CHANGE_KINDS: tuple[ChangeKind, ...] = get_args(ChangeKind)
Status = Literal["unchanged", "changed", "added", "removed"]
STATUSES: tuple[Status, ...] = get_args(Status)
OpKind = Literal["equal", "delete", "insert"]

T = TypeVar("T")


class DiffModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Version(DiffModel):
    path: str = Field(description="the source document the plan was extracted from")
    symbol: str | None = None
    plan: str | None = Field(default=None, description="id of the plan compared (null: the version has no plan)")


class Change(DiffModel, Generic[T]):
    old: T | None
    new: T | None


class SectionTitleChange(DiffModel):
    number: str
    old: str | None = Field(description="null when the section is new")
    new: str | None = Field(description="null when the section was dropped")


class PlanChanges(DiffModel):
    period: Change[Period] | None = Field(default=None, description="null when unchanged")
    title: Change[str] | None = Field(default=None, description="null when unchanged")
    section_titles: list[SectionTitleChange] = Field(default_factory=list, description="changed ones only")


class TextOp(DiffModel):
    op: OpKind
    text: str = Field(description="the words as printed (the new version's for equal runs)")


class ActivityChange(DiffModel):
    """One aligned pair, or one added or removed activity. A merge is two entries with the same ``new``."""

    old: str | None = Field(description="number in the old version, null when added")
    new: str | None = Field(description="number in the new version, null when removed")
    status: Status
    changes: list[ChangeKind] = Field(default_factory=list, description=f"in the order {', '.join(CHANGE_KINDS)}")
    similarity: float | None = Field(default=None, description="word similarity 0..1 of the aligned texts")
    text_diff: list[TextOp] = Field(default_factory=list, description="word-level edit of the lead text, if changed")


class PlanDiff(DiffModel):
    old: Version
    new: Version
    plan: PlanChanges
    activities: list[ActivityChange]
    plans_added: list[str] = Field(default_factory=list, description="ids of the new version's plans with no old one")
    plans_removed: list[str] = Field(default_factory=list, description="ids of the old version's plans with no new one")

    def status_counts(self) -> dict[Status, int]:
        counts = Counter(a.status for a in self.activities)
        return {status: counts[status] for status in STATUSES}

    def change_counts(self) -> dict[ChangeKind, int]:
        counts = Counter(kind for a in self.activities for kind in a.changes)
        return {kind: counts[kind] for kind in CHANGE_KINDS}
