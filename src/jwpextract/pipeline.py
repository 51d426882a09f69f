"""The pipeline: source bytes -> layout -> furniture -> structure -> references -> reconcile -> plan
(and, for pages read by OCR, warnings on the words it doubts)."""

from __future__ import annotations

from .layout import LayoutDocument
from .models import CanonicalDocument
from .rules import Rules
from .sources import ReadOptions, read_source


def extract_layout(layout: LayoutDocument, rules: Rules) -> CanonicalDocument:
    """Build the canonical plan of a read document (pure: no I/O)."""
    from .assemble import assemble
    from .confidence import low_confidence_warnings
    from .reconcile import reconcile

    plan = assemble(layout, rules)
    if layout.ocr_pages:
        plan = plan.model_copy(update={"warnings": [*plan.warnings, *low_confidence_warnings(layout, plan)]})
    return reconcile(plan, rules, text=layout.text)


def extract_bytes(path: str, data: bytes, rules: Rules, options: ReadOptions | None = None) -> CanonicalDocument:
    """Read ``data`` (the content of ``path``) and extract its canonical plan."""
    return extract_layout(read_source(path, data, options, rules), rules)
