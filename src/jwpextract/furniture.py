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
from .masthead import Masthead, find_masthead, is_not_metadata
from .models import Furniture
from .rules import Rules

EDGE_LINES = 3
MIN_LETTERS = 3
DIGITS = re.compile(r"\d+")
LONE_NUMBER = re.compile(r"^\d{1,3}$")


def _mask(text: str) -> str:
    return DIGITS.sub("#", " ".join(text.split())).lower()


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


def _repeats_symbol(text: str, symbol: str, rules: Rules) -> bool:
    """The document's symbol (digits aside), alone or with a page number: "UNEP/CBD/COP/DEC/X/20 Page 2"."""
    squeezed = " ".join(text.split())
    if _mask(squeezed) == _mask(symbol):
        return True
    rest = squeezed.replace(symbol, "", 1).strip() if symbol in squeezed else None
    return bool(rest) and any(re.match(p, rest) for p in rules.layout.page_number_patterns)


def _mark_running_lines(doc: LayoutDocument, rules: Rules, symbol: str | None) -> None:
    """Lines at the top or bottom of pages that repeat (digits masked) on several pages."""
    if len(doc.pages) < 2:
        return
    seen: Counter[str] = Counter()
    for page in doc.pages:
        seen.update({_mask(line.text) for line in _edge_lines(page.lines)})
    min_pages = max(rules.layout.running_header_min_pages, math.ceil(len(doc.pages) / 2))
    for page in doc.pages:
        body = [line for line in page.lines if line.furniture is None]
        edges = _edge_lines(page.lines)
        for line in edges:
            key = _mask(line.text)
            repeated = seen[key] >= min_pages and sum(c.isalpha() for c in key) >= MIN_LETTERS
            if repeated or (symbol and page.number > 1 and _repeats_symbol(line.text, symbol, rules)):
                top = body.index(line) < len(body) / 2
                line.furniture = "header" if top else "footer"


def _mark_masthead(doc: LayoutDocument, rules: Rules) -> Masthead | None:
    """The masthead on the first page (the whole text when it has no pages), its lines marked; the first
    page's headers may belong to it (its symbol, repeated at the same place on the next pages)."""
    lines = [line for line in doc.lines() if line.furniture is None or (line.furniture == "header" and line.page == 1)]
    first_page = [line for line in lines if line.page == 1] if len(doc.pages) > 1 else lines
    masthead = find_masthead(first_page, rules)
    for line in masthead.lines if masthead else []:
        line.furniture = "letterhead"
    return masthead


def _mark_not_metadata(doc: LayoutDocument, rules: Rules) -> None:
    """Print job numbers, barcodes and banners: a header in the top half of a page, else a footer."""
    for page in doc.pages:
        for i, line in enumerate(page.lines):
            if line.furniture is None and is_not_metadata(line.text, rules):
                top = line.bbox[1] < page.height / 2 if line.bbox and page.height else i < len(page.lines) / 2
                line.furniture = "header" if top else "footer"


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


def mark_furniture(doc: LayoutDocument, rules: Rules) -> tuple[list[Furniture], Masthead | None]:
    """Mark furniture on the lines; return the furniture list and the masthead."""
    _mark_page_numbers(doc, rules)
    _mark_not_metadata(doc, rules)
    masthead = _mark_masthead(doc, rules)
    _mark_table_headers(doc, rules)
    _mark_running_lines(doc, rules, masthead.symbol() if masthead else None)
    furniture = [
        Furniture(kind=line.furniture, text=line.text, page=line.page)  # type: ignore[arg-type]
        for line in doc.lines()
        if line.furniture in ("header", "footer", "page-number", "letterhead", "table-header")
    ]
    return furniture, masthead
