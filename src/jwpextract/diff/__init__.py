"""``jwpextract diff``: align two versions of a plan and report what changed.

``diff_plans(old, new, rules)`` pairs the plans of two extracted documents and gives a
:class:`PlanDiff` of one pair; :func:`render` writes it as JSON, Markdown or a self-contained HTML
page. ``lineage(documents, rules)`` follows a plan through many versions (:class:`Lineage`);
:func:`render_lineage` writes it as JSON, CSV, Markdown or an HTML timeline.
"""

from __future__ import annotations

from ..models import CanonicalDocument, Plan
from ..writers import to_json
from .changes import diff_plans
from .lineage import Lineage, lineage
from .lineage_html import render_html as render_lineage_html
from .lineage_report import render_csv as render_lineage_csv
from .lineage_report import render_markdown as render_lineage_markdown
from .load import load_document
from .models import ActivityChange, PlanDiff
from .report_html import render_html
from .report_md import render_markdown

FORMATS = ("json", "md", "html")
LINEAGE_FORMATS = ("json", "csv", "md", "html")
SUFFIX_FORMATS = {".json": "json", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}

__all__ = [
    "FORMATS",
    "LINEAGE_FORMATS",
    "ActivityChange",
    "Lineage",
    "PlanDiff",
    "default_format",
    "diff_plans",
    "lineage",
    "load_document",
    "render",
    "render_html",
    "render_lineage",
    "render_markdown",
]


def default_format(output: str, terminal: bool) -> str:
    """The format an output implies: a file's suffix, else Markdown on a terminal, else JSON."""
    if output != "-":
        return next((f for suffix, f in SUFFIX_FORMATS.items() if output.lower().endswith(suffix)), "json")
    return "md" if terminal else "json"


def _compared(doc: CanonicalDocument, plan_id: str | None) -> Plan:
    """The plan of ``doc`` that the diff compared (an empty one when the version has none)."""
    return next((plan for plan in doc.plans if plan.id == plan_id), Plan(id="plan:1"))


def render(diff: PlanDiff, old: CanonicalDocument, new: CanonicalDocument, fmt: str) -> str:
    """The report in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "md":
        return render_markdown(diff)
    if fmt == "html":
        return render_html(diff, _compared(old, diff.old.plan), _compared(new, diff.new.plan))
    return to_json(diff)


def render_lineage(report: Lineage, documents: list[CanonicalDocument], fmt: str) -> str:
    """The lineage report in ``fmt`` (one of :data:`LINEAGE_FORMATS`); ``documents`` are its versions."""
    if fmt == "csv":
        return render_lineage_csv(report)
    if fmt == "md":
        return render_lineage_markdown(report)
    if fmt == "html":
        plans = [
            next((p for p in doc.plans if p.id == v.plan), None) for doc, v in zip(documents, report.versions, strict=True)
        ]
        return render_lineage_html(report, plans)
    return to_json(report)
