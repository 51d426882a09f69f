"""The text of a document that no passage holds, as passages: a document cites references outside its
paragraphs, activities and footnotes too (a masthead's "[without reference to a Main Committee
(A/78/L.41)]", a decision's preamble the structure does not read as a passage)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..layout import Line
from . import Passage

FURNITURE = ("header", "footer", "page-number", "letterhead")
"""Furniture whose lines hold no reference of the document (running headers repeat its own symbol)."""


def uncovered_passages(lines: Iterable[Line], passages: Sequence[Passage]) -> list[Passage]:
    """Each run of consecutive lines that no passage holds a character of and that are no furniture, as one
    passage of kind "preamble" (located by offsets only), its lines joined by line breaks."""
    covered = {offset for passage in passages for offset in passage.origin}
    runs: list[list[Line]] = [[]]
    for line in lines:
        held = line.furniture in FURNITURE or any(offset in covered for offset in range(line.start, line.end))
        if held or not line.text.strip():
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append(line)
    return [_passage(run) for run in runs if run]


def _passage(run: list[Line]) -> Passage:
    text = "\n".join(line.text for line in run)
    origin: list[int] = []
    for n, line in enumerate(run):
        origin.extend(range(line.start, line.end))
        if n < len(run) - 1:
            origin.append(line.end)
    return Passage(where="preamble", key="", text=text, origin=origin, page=run[0].page)
