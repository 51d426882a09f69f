"""Tables in an annex that are not plans (indicators, questionnaires, budgets, templates): kept as
tables of cells, their header row once even when it repeats over pages."""

from __future__ import annotations

from ..layout import Line
from .parsed import ParsedTable

COLUMN_STEP = 20.0  # points: the lines of one cell start this near each other (a cell's lines align left)


def _column(line: Line) -> tuple[str, int]:
    """Which column a line sits in: its role, and on a page its left edge (columns of one role apart)."""
    return line.column or "", round(line.bbox[0] / COLUMN_STEP) if line.bbox else 0


def _cells(lines: list[Line]) -> list[str]:
    """The lines of one row (or of the header) as cells: one per column, left to right."""
    cells: dict[tuple[str, int], list[str]] = {}
    for line in sorted(lines, key=lambda line: (line.bbox[0] if line.bbox else 0.0, line.index)):
        cells.setdefault(_column(line), []).append(line.text)
    return [" ".join(" ".join(parts).split()) for parts in cells.values()]


def region_table(region: list[Line], where: str | None) -> ParsedTable | None:
    """The table of an annex region, or None when no line of it sits in a table row."""
    rows: dict[int, list[Line]] = {}
    for line in region:
        if line.furniture is None and line.row is not None:
            rows.setdefault(line.row, []).append(line)
    if not rows:
        return None
    header_lines: list[Line] = []
    for line in region:
        if line.furniture == "table-header" and all(line.text != seen.text for seen in header_lines):
            header_lines.append(line)
    first = min(min(group, key=lambda line: line.index).index for group in rows.values())
    captions = [line for line in region if line.furniture is None and line.row is None and line.index < first]
    table_lines = [*header_lines, *(line for group in rows.values() for line in group)]
    return ParsedTable(
        caption=captions[-1].text if captions else None,
        where=where,
        header=_cells(header_lines),
        rows=[_cells(group) for _, group in sorted(rows.items())],
        lines=sorted(table_lines, key=lambda line: line.index),
    )
