"""Document metadata from the letterhead fields: symbol, ISO date, convention, meeting, language."""

from __future__ import annotations

import re

from .models import Document
from .rules import Convention, Rules

DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+(\w+)\s+(\d{4})$")
MONTH_DAY_YEAR = re.compile(r"^(\w+)\s+(\d{1,2}),\s+(\d{4})$")


def iso_date(text: str | None, rules: Rules) -> str | None:
    """"5 October 2011" or "October 5, 2011" -> "2011-10-05"; None when unreadable."""
    if not text:
        return None
    text = " ".join(text.split())
    match = DAY_MONTH_YEAR.match(text)
    if match:
        day, month, year = match.groups()
    else:
        match = MONTH_DAY_YEAR.match(text)
        if not match:
            return None
        month, day, year = match.groups()
    number = rules.layout.months.get(month.lower())
    if number is None or not 1 <= int(day) <= 31:
        return None
    return f"{int(year):04d}-{number:02d}-{int(day):02d}"


def convention_of_symbol(symbol: str | None, rules: Rules) -> Convention | None:
    if not symbol:
        return None
    prefixes = [(p, c) for c in rules.conventions.conventions for p in c.symbol_prefixes]
    for prefix, conv in sorted(prefixes, key=lambda pc: len(pc[0]), reverse=True):
        if symbol.upper().startswith(prefix.upper()):
            return conv
    return None


def conventions_named_in(text: str, rules: Rules) -> list[Convention]:
    """Conventions named in ``text`` (short or full names, whole words), in order of first mention."""
    first: dict[str, tuple[int, Convention]] = {}
    for name, conv in rules.convention_aliases.items():
        match = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, flags=re.IGNORECASE)
        if match and (conv.key not in first or match.start() < first[conv.key][0]):
            first[conv.key] = (match.start(), conv)
    return [conv for _, conv in sorted(first.values(), key=lambda pc: pc[0])]


def document_metadata(fields: dict[str, str], letterhead_text: str, rules: Rules) -> Document:
    """Build ``document`` from the letterhead's fields and text (the meeting is added later)."""
    symbol = fields.get("symbol")
    named = conventions_named_in(letterhead_text, rules)
    conv = convention_of_symbol(symbol, rules) or (named[0] if named else None)
    return Document(
        symbol=symbol,
        date=iso_date(fields.get("date"), rules),
        convention=conv.short if conv else None,
        distribution=fields.get("distribution"),
        original_language=fields.get("original_language"),
    )
