"""``jwpextract diff``: align two versions of a plan and report what changed.

``diff_plans(old, new, rules)`` gives a :class:`PlanDiff`; :func:`render` writes it as JSON,
Markdown or a self-contained HTML page.
"""

from __future__ import annotations

from ..models import CanonicalPlan
from ..writers import to_json
from .changes import diff_plans
from .load import load_plan
from .models import ActivityChange, PlanDiff
from .report_html import render_html
from .report_md import render_markdown

FORMATS = ("json", "md", "html")
SUFFIX_FORMATS = {".json": "json", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}

__all__ = [
    "FORMATS",
    "ActivityChange",
    "PlanDiff",
    "default_format",
    "diff_plans",
    "load_plan",
    "render",
    "render_html",
    "render_markdown",
]


def default_format(output: str, terminal: bool) -> str:
    """The format an output implies: a file's suffix, else Markdown on a terminal, else JSON."""
    if output != "-":
        return next((f for suffix, f in SUFFIX_FORMATS.items() if output.lower().endswith(suffix)), "json")
    return "md" if terminal else "json"


def render(diff: PlanDiff, old: CanonicalPlan, new: CanonicalPlan, fmt: str) -> str:
    """The report in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "md":
        return render_markdown(diff)
    if fmt == "html":
        return render_html(diff, old, new)
    return to_json(diff)
