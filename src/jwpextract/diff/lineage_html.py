"""The lineage timeline: one self-contained HTML page (inline CSS, no script, no external asset).

One column per version (its symbol, date, plan title and period), one row per chain. A cell holds
the chain's activities in that version, each with its number and the start of its text; between
two cells, an arrow and what happened at that step (renumbered, text, merged, …; added, dropped).
A chain absent from a version shows an empty cell.
"""

from __future__ import annotations

from html import escape

from ..models import Plan
from .lineage import Chain, Lineage
from .lineage_report import step_text, version_label

TEXT_CHARS = 90  # of an activity's text shown in its cell (the whole text on hover)

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #1b1b1b; line-height: 1.35; }
h1 { font-size: 1.4em; } table { border-collapse: collapse; }
th, td { border-bottom: 1px solid #ddd; padding: .35em .5em; vertical-align: top; text-align: left; }
th.version { min-width: 14em; } td.step { color: #555; font-size: .85em; white-space: nowrap; text-align: center; }
td.step .arrow { display: block; font-size: 1.3em; color: #999; }
.activity { display: block; margin-bottom: .3em; } .number { font-weight: bold; margin-right: .3em; }
.text { color: #444; font-size: .85em; } td.absent { background: #fafafa; }
.added { color: #055d20; font-weight: bold; } .dropped { color: #82071e; font-weight: bold; }
.changed { color: #7a4d00; } .meta { color: #666; font-weight: normal; font-size: .85em; display: block; }
"""


def _activities(plan: Plan | None, numbers: list[str]) -> str:
    by_number = {a.number: a for a in reversed(plan.activities)} if plan else {}
    blocks = []
    for number in numbers:
        activity = by_number.get(number)
        text = activity.text if activity else ""
        short = text if len(text) <= TEXT_CHARS else text[:TEXT_CHARS].rsplit(" ", 1)[0] + " …"
        blocks.append(
            f'<span class="activity" title="{escape(text)}"><span class="number">{escape(number)}</span>'
            f'<span class="text">{escape(short)}</span></span>'
        )
    return "".join(blocks)


def _step(chain: Chain, k: int) -> str:
    text = step_text(chain, k)
    css = text if text in ("added", "dropped", "unchanged") else "changed"
    if not text:
        return '<td class="step"></td>'
    return f'<td class="step"><span class="arrow">→</span><span class="{css}">{escape(text)}</span></td>'


def _row(chain: Chain, plans: list[Plan | None]) -> str:
    cells = []
    for k, numbers in enumerate(chain.numbers):
        if k:
            cells.append(_step(chain, k - 1))
        css = "" if numbers else ' class="absent"'
        cells.append(f"<td{css}>{_activities(plans[k], numbers)}</td>")
    return f'<tr id="{escape(chain.id)}"><th>{escape(chain.id)}</th>{"".join(cells)}</tr>'


def render_html(report: Lineage, plans: list[Plan | None]) -> str:
    """The timeline of ``report``; ``plans`` are the followed plans, one per version (for the texts)."""
    head = []
    for index, version in enumerate(report.versions):
        if index:
            head.append("<th></th>")
        meta = " · ".join(filter(None, [version.date, version.title, version.path]))
        head.append(
            f'<th class="version">{escape(version_label(version, index))}<span class="meta">{escape(meta)}</span></th>'
        )
    rows = "".join(_row(chain, plans) for chain in report.chains)
    title = "Plan lineage: " + " → ".join(v.symbol or v.path for v in report.versions)
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{escape(title)}</title><style>{STYLE}</style></head>
<body>
<h1>{escape(title)}</h1>
<table class="timeline"><thead><tr><th>chain</th>{"".join(head)}</tr></thead><tbody>{rows}</tbody></table>
</body>
</html>
"""
