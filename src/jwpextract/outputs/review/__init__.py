"""The review page: every extracted element drawn on its page, in one self-contained HTML file.

PDF sources: each page rendered as an image (:mod:`.pages`) under an overlay of every element's
boxes; text sources: the document text with the elements' ranges highlighted. A side panel holds
the document's tree, the selected element's JSON and the warnings. Stages: :mod:`.locate` and
:mod:`.view` (model and layout -> view data, pure), :mod:`.textview` (text pieces, pure),
:mod:`.pages` (rendering, I/O), :mod:`.page` (the HTML template, ``template.html``, filled in).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ...errors import SourceError
from ...layout import LayoutDocument
from ...models import CanonicalDocument
from ...rules import Rules
from ...sources import ReadOptions
from .page import pages_html, review_page
from .pages import DEFAULT_DPI, DEFAULT_QUALITY, render_pages
from .textview import text_html
from .view import build_view

SUFFIX = ".review.html"


@dataclass(frozen=True)
class ReviewOptions:
    dpi: int = DEFAULT_DPI
    quality: int = DEFAULT_QUALITY


def review_html(
    doc: CanonicalDocument, layout: LayoutDocument, data: bytes, options: ReviewOptions, password: str | None = None
) -> str:
    """The review page of ``doc``, extracted from ``layout`` (read from ``data``, the source's bytes)."""
    view = build_view(doc, layout)
    if view.mode == "pdf":
        body = pages_html(view, render_pages(layout.path, data, options.dpi, options.quality, password))
    else:
        body = text_html(layout.text, view.elements)
    return review_page(view, doc, body)


def extract_reviewed(
    path: str, data: bytes, rules: Rules, read: ReadOptions, options: ReviewOptions
) -> tuple[CanonicalDocument, str]:
    """Extract ``data`` (the content of ``path``) and make its review page from the same reading."""
    from ...pipeline import extract_layout
    from ...sources import read_source

    layout = read_source(path, data, read, rules)
    doc = extract_layout(layout, rules)
    return doc, review_html(doc, layout, data, options, read.password)


def review_path(output: Path) -> Path:
    """Where the review page of an output goes: ``doc.pdf.json`` -> ``doc.pdf.review.html`` beside it."""
    name = output.name[: -len(".json")] if output.name.lower().endswith(".json") else output.name
    return output.with_name(name + SUFFIX)


def check_pair(doc: CanonicalDocument, layout: LayoutDocument, json_path: str) -> None:
    """A document read from ``json_path`` must come from the source read into ``layout``: same bytes,
    same document text (its offsets point into it)."""
    if doc.source.sha256 != layout.sha256:
        raise SourceError(json_path, f"was extracted from another file than {layout.path} (sha256 differs)")
    if doc.source.text_sha256 != hashlib.sha256(layout.text.encode("utf-8")).hexdigest():
        raise SourceError(
            json_path, f"its offsets point into another text of {layout.path} (other rules?): extract it again"
        )


def load_inputs(
    source: str, extracted: str | None, rules: Rules, options: ReadOptions
) -> tuple[CanonicalDocument, LayoutDocument, bytes]:
    """The document to review, its layout and the source's bytes: ``source`` extracted, or the
    ``extracted`` JSON checked against ``source`` (read with the engine the JSON names)."""
    from ...batch import read_bytes
    from ...loading import read_document
    from ...pipeline import extract_layout
    from ...sources import read_source

    doc = read_document(extracted) if extracted else None
    if doc is not None and doc.source.engine and doc.source.engine != options.engine:
        options = ReadOptions(password=options.password, engine=doc.source.engine, max_pages=options.max_pages)
    data = read_bytes(source)
    layout = read_source(source, data, options, rules)
    if doc is None or extracted is None:
        return extract_layout(layout, rules), layout, data
    check_pair(doc, layout, extracted)
    return doc, layout, data
