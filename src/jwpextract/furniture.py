"""Page furniture: page numbers, running headers and footers, the letterhead, table header rows.

Furniture is marked on the lines (``Line.furniture``), never deleted: later stages skip it, the
document text keeps it, and the plan lists it in ``furniture``. Readers may already have marked
lines by position (PDF); this stage adds what patterns and repetition reveal in any source. A
table's cell (a line with a row) is no page number or header row, whatever it prints.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from .layout import LayoutDocument, Line
from .models import Furniture
from .rules import Rules

EDGE_LINES = 3
MIN_LETTERS = 3
DIGITS = re.compile(r"\d+")
LONE_NUMBER = re.compile(r"^\d{1,3}$")


def _mask(text: str) -> str:
    return DIGITS.sub("#", " ".join(text.split())).lower()


def metadata_field(text: str, rules: Rules) -> tuple[str, str] | None:
    """The letterhead field a line states (``("date", "5 October 2011")``), if any."""
    for name, pattern in rules.layout.metadata_patterns.items():
        match = re.match(pattern, text.strip())
        if match:
            return name, match.group("value").strip()
    return None


def _edge_lines(lines: list[Line]) -> list[Line]:
    body = [line for line in lines if line.furniture is None]
    return body[:EDGE_LINES] + body[-EDGE_LINES:] if len(body) > 2 * EDGE_LINES else body


def _mark_page_numbers(doc: LayoutDocument, rules: Rules) -> None:
    patterns = [re.compile(p) for p in rules.layout.page_number_patterns]
    paged = len(doc.pages) > 1
    expected = 0
    for page in doc.pages:
        candidates = _edge_lines(page.lines) if paged else page.lines
        for line in candidates:
            if line.furniture or line.row is not None or not any(p.match(line.text) for p in patterns):
                continue
            if LONE_NUMBER.match(line.text) and not paged:
                number = int(line.text)
                if not (number == expected + 1 or (expected == 0 and number <= 3)):
                    continue
                expected = number
            line.furniture = "page-number"


def _mark_running_lines(doc: LayoutDocument, rules: Rules, symbol: str | None) -> None:
    """Lines at the top or bottom of pages that repeat (digits masked) on several pages."""
    if len(doc.pages) < 2:
        return
    seen: Counter[str] = Counter()
    for page in doc.pages:
        seen.update({_mask(line.text) for line in _edge_lines(page.lines)})
    symbol_key = _mask(symbol) if symbol else None
    min_pages = max(rules.layout.running_header_min_pages, math.ceil(len(doc.pages) / 2))
    for page in doc.pages:
        body = [line for line in page.lines if line.furniture is None]
        edges = _edge_lines(page.lines)
        for line in edges:
            key = _mask(line.text)
            repeated = seen[key] >= min_pages and sum(c.isalpha() for c in key) >= MIN_LETTERS
            if repeated or (key == symbol_key and page.number > 1):
                top = body.index(line) < len(body) / 2
                line.furniture = "header" if top else "footer"


def _is_letterhead_like(text: str, rules: Rules) -> bool:
    """A short line in capitals or a convention's name; not an annex heading or a plan's title, which
    open the text after the letterhead."""
    if len(text) > rules.layout.letterhead_line_max_chars or re.match(rules.layout.annex_heading, text):
        return False
    if rules.layout.names_plan(text):
        return False
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and (all(c.isupper() for c in letters) or text.lower() in rules.convention_aliases)


def _mark_letterhead(doc: LayoutDocument, rules: Rules) -> dict[str, str]:
    """The block of short capitalised lines around the first metadata lines; returns its fields."""
    lines = [line for line in doc.lines() if line.furniture is None]
    first_page = [line for line in lines if line.page == 1] if len(doc.pages) > 1 else lines
    fields: dict[str, str] = {}
    hits = [i for i, line in enumerate(first_page) if metadata_field(line.text, rules)]
    if not hits:
        return fields
    start = end = hits[0]
    while start > 0 and (
        metadata_field(first_page[start - 1].text, rules) or _is_letterhead_like(first_page[start - 1].text, rules)
    ):
        start -= 1
    while end + 1 < len(first_page) and (
        metadata_field(first_page[end + 1].text, rules) or _is_letterhead_like(first_page[end + 1].text, rules)
    ):
        end += 1
    block = first_page[start : end + 1]
    for line in block:
        found = metadata_field(line.text, rules)
        if found:
            fields.setdefault(*found)
    if len(fields) < 2:
        return {}
    for line in block:
        line.furniture = "letterhead"
    return fields


def _is_header_row(text: str, words: list[str]) -> bool:
    rest = " ".join(text.split()).lower()
    while rest:
        match = next((w for w in words if rest == w or rest.startswith(w + " ")), None)
        if match is None:
            return False
        rest = rest[len(match) :].lstrip()
    return True


def _mark_table_headers(doc: LayoutDocument, rules: Rules) -> None:
    words = sorted((w.lower() for w in rules.layout.table_header_words), key=len, reverse=True)
    for line in doc.lines():
        if line.furniture is None and line.row is None and _is_header_row(line.text, words):
            line.furniture = "table-header"


def mark_furniture(doc: LayoutDocument, rules: Rules) -> tuple[list[Furniture], dict[str, str]]:
    """Mark furniture on the lines; return the furniture list and the letterhead's fields."""
    _mark_page_numbers(doc, rules)
    fields = _mark_letterhead(doc, rules)
    _mark_table_headers(doc, rules)
    _mark_running_lines(doc, rules, fields.get("symbol"))
    furniture = [
        Furniture(kind=line.furniture, text=line.text, page=line.page)  # type: ignore[arg-type]
        for line in doc.lines()
        if line.furniture in ("header", "footer", "page-number", "letterhead", "table-header")
    ]
    return furniture, fields
