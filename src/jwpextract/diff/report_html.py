"""The HTML report: one self-contained file (inline CSS, no script, no external asset).

A summary on top (activities per status, changes per kind), the plan-level changes, then both
versions side by side, one row per aligned group (a merge or a split is one row), with deleted
words, items and values in ``<del>`` and inserted ones in ``<ins>``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from html import escape

from ..models import Activity, Period, Plan
from .changes import View
from .models import ActivityChange, PlanDiff, TextOp
from .text import word_diff

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 80em; color: #1b1b1b; line-height: 1.4; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #ccc; padding: .4em .6em; vertical-align: top; text-align: left; }
table.counts { width: auto; display: inline-table; margin-right: 2em; }
table.counts td { text-align: right; min-width: 3em; }
table.sides { table-layout: fixed; } table.sides td { width: 50%; }
tr.entry-head td { background: #f3f3f3; font-size: .9em; }
del { background: #ffd7d5; color: #82071e; }
ins { background: #ccffd8; color: #055d20; text-decoration: none; }
.removed td.old, .added td.new { outline: 2px solid transparent; }
.removed td.old { background: #fff5f5; } .added td.new { background: #f4fff6; }
.status { font-weight: bold; text-transform: uppercase; font-size: .8em; letter-spacing: .05em; }
.number { font-weight: bold; } .meta { color: #555; font-size: .9em; margin: .3em 0 0; }
ul.items { margin: .3em 0; padding-left: 1em; list-style: none; } .none { color: #888; }
"""


def _period(period: Period | None) -> str:
    return f"{period.start}-{period.end}" if period else "none"


def _ops_side(ops: list[TextOp], side: str) -> str:
    """The old (``delete``) or new (``insert``) side of a word diff, highlighted."""
    tag = "del" if side == "old" else "ins"
    hidden = "insert" if side == "old" else "delete"
    return " ".join(
        f"<{tag}>{escape(op.text)}</{tag}>" if op.op != "equal" else escape(op.text) for op in ops if op.op != hidden
    )


def _value(old: str | None, new: str | None, side: str, changed: bool = True) -> str:
    """A value on one side; its differing words highlighted when ``changed``."""
    value = old if side == "old" else new
    if value is None:
        return '<span class="none">none</span>'
    if old == new or not changed:
        return escape(value)
    return _ops_side(word_diff(old or "", new or ""), side)


def _items(olds: list[Activity], news: list[Activity], side: str, changed: bool) -> str:
    mine = [i for a in (olds if side == "old" else news) for i in a.items]
    if not mine:
        return ""
    old_keys = [View.item_key(i) for a in olds for i in a.items]
    new_keys = [View.item_key(i) for a in news for i in a.items]
    marked: set[int] = set()
    if changed:
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old_keys, b=new_keys, autojunk=False).get_opcodes():
            if tag != "equal":
                marked.update(range(i1, i2) if side == "old" else range(j1, j2))
    wrap = "del" if side == "old" else "ins"
    rows = []
    for index, item in enumerate(mine):
        label = f"({escape(item.label)}) " if item.label else ""
        body = f"{label}{escape(item.text)}"
        rows.append(f"<li><{wrap}>{body}</{wrap}></li>" if index in marked else f"<li>{body}</li>")
    return '<ul class="items">' + "".join(rows) + "</ul>"


def _joined(values: Iterable[str]) -> str | None:
    joined = "; ".join(v for v in values if v)
    return joined or None


def _block(olds: list[Activity], news: list[Activity], side: str, entry: ActivityChange) -> str:
    """One side of a row: numbers, lead text, items, timeframe, actors and references."""
    mine = olds if side == "old" else news
    if not mine:
        return '<span class="none">—</span>'
    kinds = set(entry.changes)
    mark = {"old": "del", "new": "ins"}[side]
    lead = _ops_side(entry.text_diff, side) if "text" in kinds else escape(" ".join(View.of(a).lead for a in mine))
    if entry.status in ("added", "removed"):
        lead = f"<{mark}>{lead}</{mark}>"
    numbers = " + ".join(escape(a.number) for a in mine)
    sections = escape(_joined(a.section or "" for a in mine) or "none")
    if "renumbered" in kinds:
        numbers = f"<{mark}>{numbers}</{mark}>"
    if "moved" in kinds:
        sections = f"<{mark}>{sections}</{mark}>"
    values = {
        "timeframe": [_joined(a.timeframe.text for a in group if a.timeframe) for group in (olds, news)],
        "actors": [_joined(", ".join(a.actors) for a in group) for group in (olds, news)],
        "references": [_joined(", ".join(a.references) for a in group) for group in (olds, news)],
    }
    meta = "".join(
        f'<p class="meta">{name.capitalize()}: {_value(old, new, side, name in kinds)}</p>'
        for name, (old, new) in values.items()
    )
    return (
        f'<p><span class="number">{numbers}</span> <span class="meta">section {sections}</span></p>'
        f"<p>{lead}</p>{_items(olds, news, side, 'items' in kinds)}{meta}"
    )


def _groups(entries: list[ActivityChange]) -> list[list[ActivityChange]]:
    """Entries of one merge (same new) or one split (same old) together, others alone."""
    groups: list[list[ActivityChange]] = []
    for entry in entries:
        last = groups[-1][-1] if groups else None
        if last is not None and (
            ("merged" in entry.changes and "merged" in last.changes and entry.new == last.new)
            or ("split" in entry.changes and "split" in last.changes and entry.old == last.old)
        ):
            groups[-1].append(entry)
        else:
            groups.append([entry])
    return groups


def _row(group: list[ActivityChange], old: dict[str, Activity], new: dict[str, Activity]) -> str:
    entry = group[0]
    olds = [old[n] for n in dict.fromkeys(e.old for e in group if e.old is not None) if n in old]
    news = [new[n] for n in dict.fromkeys(e.new for e in group if e.new is not None) if n in new]
    kinds = ", ".join(dict.fromkeys(k for e in group for k in e.changes))
    similarity = "" if entry.similarity is None else f" · similarity {entry.similarity:.2f}"
    head = (
        f'<tr class="entry-head {entry.status}"><td colspan="2"><span class="status">{entry.status}</span> '
        f"{escape(' + '.join(a.number for a in olds) or '—')} → {escape(' + '.join(a.number for a in news) or '—')}"
        f"{' · ' + escape(kinds) if kinds else ''}{similarity}</td></tr>"
    )
    return (
        f'{head}<tr class="{entry.status}"><td class="old">{_block(olds, news, "old", entry)}</td>'
        f'<td class="new">{_block(olds, news, "new", entry)}</td></tr>'
    )


def _count_table(caption: str, counts: dict[str, int]) -> str:
    cells = "".join(f"<tr><th>{escape(name)}</th><td>{count}</td></tr>" for name, count in counts.items())
    return f'<table class="counts"><caption>{escape(caption)}</caption>{cells}</table>'


def _plan_section(diff: PlanDiff) -> str:
    plan = diff.plan
    rows = []
    if plan.period:
        rows.append(
            f"<tr><th>Period</th><td><del>{_period(plan.period.old)}</del></td>"
            f"<td><ins>{_period(plan.period.new)}</ins></td></tr>"
        )
    if plan.title:
        old, new = plan.title.old, plan.title.new
        rows.append(f"<tr><th>Title</th><td>{_value(old, new, 'old')}</td><td>{_value(old, new, 'new')}</td></tr>")
    for section in plan.section_titles:
        old, new = section.old, section.new
        rows.append(
            f"<tr><th>Section {escape(section.number)}</th><td>{_value(old, new, 'old')}</td>"
            f"<td>{_value(old, new, 'new')}</td></tr>"
        )
    if not rows:
        return "<p>No plan-level change.</p>"
    return "<table><tr><th></th><th>Old</th><th>New</th></tr>" + "".join(rows) + "</table>"


def render_html(diff: PlanDiff, old: Plan, new: Plan) -> str:
    old_by_number = {a.number: a for a in reversed(old.activities)}
    new_by_number = {a.number: a for a in reversed(new.activities)}
    rows = "".join(_row(group, old_by_number, new_by_number) for group in _groups(diff.activities))
    title = f"Plan diff: {diff.old.symbol or diff.old.path} → {diff.new.symbol or diff.new.path}"
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{escape(title)}</title><style>{STYLE}</style></head>
<body>
<h1>{escape(title)}</h1>
<p>Old: {escape(diff.old.symbol or "")} <code>{escape(diff.old.path)}</code><br>
New: {escape(diff.new.symbol or "")} <code>{escape(diff.new.path)}</code></p>
<section id="summary"><h2>Summary</h2>
{_count_table("Activities by status", dict(diff.status_counts()))}
{_count_table("Changes by kind", dict(diff.change_counts()))}
</section>
<section id="plan"><h2>Plan</h2>{_plan_section(diff)}</section>
<section id="activities"><h2>Activities</h2>
<table class="sides"><thead><tr><th>Old</th><th>New</th></tr></thead><tbody>{rows}</tbody></table>
</section>
</body>
</html>
"""
