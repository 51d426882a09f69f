"""The review page's HTML: the template (``template.html``, package data) filled with the view's
data, the document's JSON and the pages (images with an overlay, or the document text)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from html import escape
from importlib.resources import files

from ...models import CanonicalDocument
from .pages import PageImage
from .view import KINDS, View

PX_PER_POINT = 96 / 72  # CSS pixels: a page shown at its printed size at 100% zoom
MARKER = re.compile(r"@@([a-z]+)@@")


def template() -> str:
    return files(__package__).joinpath("template.html").read_text(encoding="utf-8")


def script_json(value: object) -> str:
    """JSON safe inside a ``<script type="application/json">`` element (no ``<`` to close it early)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def _rgba(colour: str, alpha: float) -> str:
    red, green, blue = (int(colour[k : k + 2], 16) for k in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def kind_css() -> str:
    """Each kind's colours (line, fill, highlight) and the rule that hides its boxes."""
    rules = [
        f".k-{k.kind}{{--c:{k.colour};--f:{_rgba(k.colour, 0.1)};--h:{_rgba(k.colour, 0.35)}}}\n"
        f".hide-{k.kind} .box.k-{k.kind}:not(.sel){{display:none}}"
        for k in KINDS
    ]
    return "\n".join(rules)


def _round(value: float) -> float:
    return round(value, 1)


def view_data(view: View, doc: CanonicalDocument) -> dict[str, object]:
    """What the page's script reads: kinds, elements (positional arrays), tree groups, warnings."""
    counts: dict[str, int] = {}
    for element in view.elements:
        counts[element.kind] = counts.get(element.kind, 0) + 1
    return {
        "mode": view.mode,
        "kinds": [[k.kind, k.label, k.layer, k.overlay, counts.get(k.kind, 0)] for k in KINDS],
        "elements": [
            [
                e.id,
                e.kind,
                e.label,
                e.parent,
                [[page, *map(_round, box)] for page, *box in e.boxes] if view.mode == "pdf" else [],
                e.path,
                e.warnings,
            ]
            for e in view.elements
        ],
        "groups": [[heading, roots] for heading, roots in view.groups],
        "warnings": [[w.code, w.message, w.where, k] for w, k in zip(doc.warnings, view.warned, strict=True)],
    }


def pages_html(view: View, images: Iterable[PageImage]) -> str:
    """Each page: its image, the overlay the script fills, its number."""
    sizes = {number: (width, height) for number, width, height in view.pages}
    parts = []
    for image in images:
        width, height = sizes.get(image.number) or (image.width / PX_PER_POINT, image.height / PX_PER_POINT)
        parts.append(
            f'<section class="page" id="page-{image.number}" data-page="{image.number}" data-width="{width:.2f}"'
            f' data-height="{height:.2f}" style="width:{width * PX_PER_POINT:.1f}px;aspect-ratio:{width:.2f}/{height:.2f}">'
            f'<img src="{image.uri}" width="{image.width}" height="{image.height}" alt="page {image.number}">'
            f'<div class="overlay"></div><span class="pno">{image.number}</span></section>'
        )
    return "\n".join(parts)


def review_page(view: View, doc: CanonicalDocument, body: str) -> str:
    """The whole page; ``body``: :func:`pages_html` (PDF) or the text's spans in a ``<pre>`` (text)."""
    name = doc.source.path.rsplit("/", 1)[-1]
    values = {
        "title": escape(f"Review: {name}"),
        "heading": escape(name),
        "summary": escape(
            f"{doc.source.pages} pages, {sum(len(p.activities) for p in doc.plans)} activities, "
            f"{len(doc.decisions)} decisions, {len(doc.references)} references, {len(doc.warnings)} warnings"
        ),
        "kinds": kind_css(),
        "main": body if view.mode == "pdf" else f'<pre id="text">{body}</pre>',
        "data": script_json(view_data(view, doc)),
        "document": doc.model_dump_json(by_alias=True).replace("<", "\\u003c"),
    }
    return MARKER.sub(lambda match: values[match.group(1)], template())
