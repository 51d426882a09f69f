"""Source readers: one per input format, each returning the same :class:`LayoutDocument`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ..errors import SourceError
from ..layout import LayoutDocument
from .text import lone_surrogates, read_text

if TYPE_CHECKING:
    from ..rules import Rules

PDF_MAGIC = b"%PDF-"
ENGINES = {"pdfium": "jwpextract.sources.pdfium", "pdfplumber": "jwpextract.sources.plumber"}  # name -> module
OcrMode = Literal["auto", "always", "never"]


@dataclass(frozen=True)
class ReadOptions:
    password: str | None = None
    engine: str = "pdfium"  # or "pdfplumber": the same plans (tests/test_engines.py), slower
    max_pages: int = 2000
    ocr: OcrMode = "auto"  # pages recognised by Tesseract (:mod:`.ocr`): those without a usable text layer
    ocr_lang: str = "eng"  # Tesseract's languages, joined by "+" ("eng+fra")
    ocr_jobs: int = 0  # pages recognised at a time (0: one per CPU core)


def read_source(path: str, data: bytes, options: ReadOptions | None = None, rules: Rules | None = None) -> LayoutDocument:
    """Read ``data`` (the bytes of ``path``) by its content: a PDF by its signature, else text.

    ``rules`` (default: the bundled ones) give the PDF reader its glyphs and layout patterns. A file
    name's bytes that are no UTF-8 (surrogate escapes) are U+FFFD in the document's path."""
    path = lone_surrogates(path)[0]
    options = options or ReadOptions()
    if not data:
        raise SourceError(path, "empty file")
    if data[:1024].lstrip().startswith(PDF_MAGIC):
        from .pdf import read_pdf  # pdfplumber is heavy: imported only for PDFs

        return read_pdf(path, data, options, rules)
    if path.lower().endswith(".pdf"):
        raise SourceError(path, "not a PDF (no %PDF signature)")
    return read_text(path, data, rules)
