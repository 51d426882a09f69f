"""A text source's review: the document text cut where elements begin and end (pure functions).

Each piece of text is a ``<span>`` naming the elements that cover it, outermost first, so the page
colours it by the innermost element whose kind is shown (white space between them stays plain);
page breaks (form feeds) are rules.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from html import escape

from .view import LAYER, Element

FORM_FEED = "\f"


def segments(length: int, elements: list[Element], cuts: Iterable[int] = ()) -> list[tuple[int, int, list[int]]]:
    """``[start, end)`` pieces of a text of ``length`` characters, cut where an element begins or ends
    and at ``cuts``, and the elements covering each, outermost first (more text, then lower layers).
    Uncovered pieces have no elements. An element's ranges must not overlap (:func:`.locate.joined`)."""
    cuts = {0, length, *(c for c in cuts if 0 < c < length)}
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    for k, element in enumerate(elements):
        for first, last in element.spans:
            start, end = max(first, 0), min(last, length)
            if start < end:
                cuts.update((start, end))
                starts.setdefault(start, []).append(k)
                ends.setdefault(end, []).append(k)
    active: dict[int, None] = {}
    pieces: list[tuple[int, int, list[int]]] = []
    order = sorted(cuts)
    for start, end in itertools.pairwise(order):
        for k in ends.get(start, ()):
            active.pop(k, None)
        for k in starts.get(start, ()):
            active[k] = None
        covering = sorted(active, key=lambda k: (-_length(elements[k]), LAYER[elements[k].kind], k))
        pieces.append((start, end, covering))
    return pieces


def _length(element: Element) -> int:
    return sum(end - start for start, end in element.spans)


def text_html(text: str, elements: list[Element]) -> str:
    """The document text as HTML spans (see the module docstring), to sit in a ``<pre>``."""
    parts: list[str] = []
    page = 1
    breaks = [k for k, char in enumerate(text) if char == FORM_FEED]
    for start, end, covering in segments(len(text), elements, [b + d for b in breaks for d in (0, 1)]):
        if text[start:end] == FORM_FEED:
            page += 1
            parts.append(f'<span class="pb" data-page="{page}">page {page}</span>')
            continue
        piece = escape(text[start:end], quote=False)
        shown = covering and not piece.isspace()
        parts.append(f'<span data-s="{" ".join(map(str, covering))}">{piece}</span>' if shown else piece)
    return "".join(parts)
