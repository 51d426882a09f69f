"""The Markdown report: a summary, the plan-level changes and one table row per activity entry."""

from __future__ import annotations

from ..models import Period
from .models import PlanDiff, TextOp, Version

CONTEXT_WORDS = 6  # words of unchanged text kept around each change in the table


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _version(version: Version) -> str:
    return f"{version.symbol or '(no symbol)'} (`{version.path}`)"


def _period(period: Period | None) -> str:
    return f"{period.start}-{period.end}" if period else "none"


def _shorten(tokens: list[str], first: bool, last: bool, context: int) -> list[str]:
    """An unchanged run with ``context`` words kept next to each change."""
    if first and last:
        return tokens
    if first:
        return tokens if len(tokens) <= context else ["…", *tokens[-context:]]
    if last:
        return tokens if len(tokens) <= context else [*tokens[:context], "…"]
    return tokens if len(tokens) <= 2 * context else [*tokens[:context], "…", *tokens[-context:]]


def inline_diff(ops: list[TextOp], context: int = CONTEXT_WORDS) -> str:
    """~~deleted~~ and **inserted** words, unchanged runs shortened to ``context`` words a side."""
    parts = []
    for index, op in enumerate(ops):
        if op.op == "delete":
            parts.append(f"~~{op.text}~~")
        elif op.op == "insert":
            parts.append(f"**{op.text}**")
        else:
            parts.append(" ".join(_shorten(op.text.split(), index == 0, index == len(ops) - 1, context)))
    return _cell(" ".join(parts))


def render_markdown(diff: PlanDiff) -> str:
    lines = [
        "# Plan diff",
        "",
        f"- Old: {_version(diff.old)}",
        f"- New: {_version(diff.new)}",
        "",
        "## Summary",
        "",
        "| activities | " + " | ".join(diff.status_counts()) + " |",
        "|---|" + "---:|" * len(diff.status_counts()),
        "| count | " + " | ".join(str(n) for n in diff.status_counts().values()) + " |",
        "",
        "| changes | " + " | ".join(diff.change_counts()) + " |",
        "|---|" + "---:|" * len(diff.change_counts()),
        "| count | " + " | ".join(str(n) for n in diff.change_counts().values()) + " |",
        "",
        "## Plan",
        "",
    ]
    plan = diff.plan
    if plan.period:
        lines.append(f"- Period: {_period(plan.period.old)} → {_period(plan.period.new)}")
    if plan.title:
        lines.append(f"- Title: {plan.title.old or '(none)'} → {plan.title.new or '(none)'}")
    for section in plan.section_titles:
        lines.append(f"- Section {section.number}: {section.old or '(none)'} → {section.new or '(none)'}")
    if not (plan.period or plan.title or plan.section_titles):
        lines.append("No plan-level change.")
    lines += [
        "",
        "## Activities",
        "",
        "| old | new | status | changes | similarity | text |",
        "|---|---|---|---|---:|---|",
    ]
    for entry in diff.activities:
        similarity = "" if entry.similarity is None else f"{entry.similarity:.3f}"
        lines.append(
            f"| {entry.old or '—'} | {entry.new or '—'} | {entry.status} | {', '.join(entry.changes)} "
            f"| {similarity} | {inline_diff(entry.text_diff)} |"
        )
    return "\n".join(lines) + "\n"
