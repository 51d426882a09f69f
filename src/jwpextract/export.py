"""Activities of canonical plans as CSV, JSON Lines or Markdown tables.

Every format lists the activities of each plan in document order, plans in the order given. CSV:
a header, then one row per activity (UTF-8, ``\\n`` line ends, quoting by the :mod:`csv` module;
``text`` is the activity's full text, items included; lists are joined by ``"; "``; an unknown year
is an empty cell). JSON Lines: one activity object per line, as in the plan, preceded by
``source`` (the source path of its plan). Markdown: a section per plan with a table of its
activities.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from .models import Activity, CanonicalPlan

Format = Literal["csv", "jsonl", "md"]
CSV_COLUMNS = (
    "source",
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
NOT_AN_OBJECT = re.compile(rb'\s*+[\["\-0-9tfn]')
"""JSON whose top level is no object: refused before parsing (a 27 MB array took 1.5 GB to be refused)."""


class ExportError(Exception):
    """An input file is not a canonical plan; ``str()`` is the one-line reason."""


def load_plan(path: Path) -> CanonicalPlan:
    """Read and validate a canonical plan JSON file, or raise :class:`ExportError`."""
    try:
        data = path.read_bytes()
        if NOT_AN_OBJECT.match(data):
            raise ExportError(f"{path}: invalid: top level: Input should be an object")
        return CanonicalPlan.model_validate_json(data)
    except OSError as exc:
        raise ExportError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "top level"
        raise ExportError(f"{path}: invalid: {where}: {err['msg']}") from exc


def load_plans(paths: Sequence[Path]) -> tuple[list[CanonicalPlan], list[str]]:
    """The plans of ``paths`` that are valid, and a one-line error for each that is not."""
    plans: list[CanonicalPlan] = []
    errors: list[str] = []
    for path in paths:
        try:
            plans.append(load_plan(path))
        except ExportError as exc:
            errors.append(str(exc))
    return plans, errors


def _cell(value: str | int | None) -> str:
    return "" if value is None else str(value)


def _years(activity: Activity) -> tuple[int | None, int | None]:
    timeframe = activity.timeframe
    return (timeframe.start, timeframe.end) if timeframe else (None, None)


def to_csv(plans: Sequence[CanonicalPlan]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for plan in plans:
        for activity in plan.activities:
            start, end = _years(activity)
            row = (
                plan.source.path,
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


def to_jsonl(plans: Sequence[CanonicalPlan]) -> str:
    lines = [
        json.dumps({"source": plan.source.path, **activity.model_dump(mode="json", by_alias=True)}, ensure_ascii=False)
        for plan in plans
        for activity in plan.activities
    ]
    return "".join(line + "\n" for line in lines)


def _md(value: str | None) -> str:
    """A Markdown table cell: one line, pipes escaped."""
    return " ".join((value or "").split()).replace("\\", "\\\\").replace("|", "\\|")


def _md_plan(plan: CanonicalPlan) -> list[str]:
    title = plan.document.symbol or plan.plan.title
    lines = [f"## {_md(plan.source.path)}" + (f" ({_md(title)})" if title else ""), ""]
    if not plan.activities:
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


def to_markdown(plans: Sequence[CanonicalPlan]) -> str:
    return "\n".join(line for plan in plans for line in _md_plan(plan))


WRITERS: dict[Format, Callable[[Sequence[CanonicalPlan]], str]] = {
    "csv": to_csv,
    "jsonl": to_jsonl,
    "md": to_markdown,
}


def export(plans: Sequence[CanonicalPlan], fmt: Format) -> str:
    return WRITERS[fmt](plans)
