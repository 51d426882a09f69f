"""Activities of extracted documents' plans as CSV, JSON Lines or Markdown tables.

Every format lists the activities of each plan in document order, plans in document order,
documents in the order given; each row names its document (``source``) and its plan (``plan``, the
plan's id). CSV: a header, then one row per activity (UTF-8, ``\\n`` line ends, quoting by the
:mod:`csv` module; ``text`` is the activity's full text, items included; lists are joined by
``"; "``; an unknown year is an empty cell). JSON Lines: one activity object per line, as in the
document, preceded by ``source`` and ``plan``. Markdown: a section per plan with a table of its
activities.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from .errors import SourceError
from .loading import read_document
from .models import Activity, CanonicalDocument, Plan

Format = Literal["csv", "jsonl", "md"]
CSV_COLUMNS = (
    "source",
    "plan",
    "number",
    "section",
    "theme",
    "text",
    "timeframe_start",
    "timeframe_end",
    "actors",
    "references",
)
MD_COLUMNS = ("No.", "Section", "Theme", "Activity", "Timeframe", "Actors", "References")
JOIN = "; "


def load_documents(paths: Sequence[Path]) -> tuple[list[CanonicalDocument], list[str]]:
    """The documents of ``paths`` that are valid, and a one-line error for each that is not."""
    documents: list[CanonicalDocument] = []
    errors: list[str] = []
    for path in paths:
        try:
            documents.append(read_document(str(path)))
        except SourceError as exc:
            errors.append(str(exc))
    return documents, errors


def _activities(documents: Sequence[CanonicalDocument]) -> list[tuple[CanonicalDocument, Plan, Activity]]:
    return [(doc, plan, activity) for doc in documents for plan in doc.plans for activity in plan.activities]


def _cell(value: str | int | None) -> str:
    return "" if value is None else str(value)


def _years(activity: Activity) -> tuple[int | None, int | None]:
    timeframe = activity.timeframe
    return (timeframe.start, timeframe.end) if timeframe else (None, None)


def to_csv(documents: Sequence[CanonicalDocument]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for doc, plan, activity in _activities(documents):
        start, end = _years(activity)
        row = (
            doc.source.path,
            plan.id,
            activity.number,
            activity.section,
            activity.theme,
            activity.full_text,
            start,
            end,
            JOIN.join(activity.actors),
            JOIN.join(activity.references),
        )
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()


def to_jsonl(documents: Sequence[CanonicalDocument]) -> str:
    lines = [
        json.dumps(
            {"source": doc.source.path, "plan": plan.id, **activity.model_dump(mode="json", by_alias=True)},
            ensure_ascii=False,
        )
        for doc, plan, activity in _activities(documents)
    ]
    return "".join(line + "\n" for line in lines)


def _md(value: str | None) -> str:
    """A Markdown table cell: one line, pipes escaped."""
    return " ".join((value or "").split()).replace("\\", "\\\\").replace("|", "\\|")


def _md_plan(doc: CanonicalDocument, plan: Plan | None) -> list[str]:
    title = " — ".join(filter(None, [doc.document.symbol, plan.title if plan else None]))
    lines = [f"## {_md(doc.source.path)}" + (f" ({_md(title)})" if title else ""), ""]
    if plan is None or not plan.activities:
        return [*lines, "No activities.", ""]
    lines += ["| " + " | ".join(MD_COLUMNS) + " |", "|" + "---|" * len(MD_COLUMNS)]
    for activity in plan.activities:
        cells = (
            activity.number,
            activity.section,
            activity.theme,
            activity.full_text,
            activity.timeframe.text if activity.timeframe else None,
            JOIN.join(activity.actors),
            JOIN.join(activity.references),
        )
        lines.append("| " + " | ".join(_md(cell) for cell in cells) + " |")
    return [*lines, ""]


def to_markdown(documents: Sequence[CanonicalDocument]) -> str:
    sections = [(doc, plan) for doc in documents for plan in (doc.plans or [None])]
    return "\n".join(line for doc, plan in sections for line in _md_plan(doc, plan))


WRITERS: dict[Format, Callable[[Sequence[CanonicalDocument]], str]] = {
    "csv": to_csv,
    "jsonl": to_jsonl,
    "md": to_markdown,
}


def export(documents: Sequence[CanonicalDocument], fmt: Format) -> str:
    return WRITERS[fmt](documents)
