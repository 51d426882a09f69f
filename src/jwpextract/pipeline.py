"""The pipeline: source bytes -> layout -> furniture -> structure -> references -> reconcile -> plan."""

from __future__ import annotations

from .layout import LayoutDocument
from .models import CanonicalDocument
from .rules import Rules
from .sources import ReadOptions, read_source


def extract_layout(layout: LayoutDocument, rules: Rules) -> CanonicalDocument:
    """Build the canonical plan of a read document (pure: no I/O)."""
    from .assemble import assemble
    from .reconcile import reconcile

    return reconcile(assemble(layout, rules), rules, text=layout.text)


def extract_bytes(path: str, data: bytes, rules: Rules, options: ReadOptions | None = None) -> CanonicalDocument:
    """Read ``data`` (the content of ``path``) and extract its canonical plan."""
    return extract_layout(read_source(path, data, options, rules), rules)
