"""PDF engine on pdfplumber (pdfminer.six): pdfplumber opens the PDF and runs pdfminer's interpreter
on each page; its layout objects (characters, lines, rectangles; those in form XObjects too) are
read directly, without pdfplumber's dictionary per object, which costs as much as the parse.
Characters become words by :mod:`.words`, as pdfplumber's ``extract_words`` cuts them; rotated
characters are left out, mirrored ones end a run. Each page is closed after it."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any

import pdfplumber
from pdfminer.layout import LTChar, LTComponent, LTContainer, LTCurve, LTLine, LTRect
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.page import Page
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from ..errors import SourceError
from . import ReadOptions
from .preflight import PDFMINER_ERRORS
from .raw import Box, RawPage, is_mark, level, upright
from .words import Char, words

PDF_ERRORS = (*PDFMINER_ERRORS, MalformedPDFException, AssertionError)

logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its warnings about odd PDFs would break one-line errors


def _reason(exc: BaseException, password: str | None) -> str:
    if isinstance(exc, PDFPasswordIncorrect):
        return "wrong password" if password else "encrypted: give --password"
    if isinstance(exc, PDFEncryptionError):
        return "encrypted: unsupported encryption"
    return "truncated or corrupt PDF"


class _Objects:
    """A page's pdfminer layout objects read straight into characters, lines and rectangles (what
    pdfplumber's ``page.chars``, ``page.lines`` and ``page.rects`` hold, without their dictionaries)."""

    def __init__(self, page: Page) -> None:
        self.height = float(page.height)
        self.dx, self.dy = float(page.mediabox[0]), float(page.mediabox[1])
        self.chars: list[Char | None] = []
        self.lines: list[Box] = []
        self.rects: list[Box] = []
        self.marks: list[Box] = []
        self._read(page.layout)

    def _box(self, obj: LTComponent) -> Box:
        return obj.x0 + self.dx, self.height - obj.y1 + self.dy, obj.x1 + self.dx, self.height - obj.y0 + self.dy

    def _read(self, container: LTContainer[Any]) -> None:
        for obj in container:
            if isinstance(obj, LTChar):
                self._char(obj)
            elif isinstance(obj, LTLine):
                self.lines.append(self._box(obj))
            elif isinstance(obj, LTRect):
                self.rects.append(self._box(obj))
                self._mark(obj)
            elif isinstance(obj, LTCurve):
                self._mark(obj)
            elif isinstance(obj, LTContainer):
                self._read(obj)

    def _mark(self, obj: LTCurve) -> None:
        box = self._box(obj)
        if is_mark(box, bool(obj.fill)):
            self.marks.append(box)

    def _char(self, obj: LTChar) -> None:
        a, b, c, d, _, _ = obj.matrix
        if not level(a, b):
            return
        if not upright(a, b, c, d):
            self.chars.append(None)
            return
        font = obj.fontname
        if isinstance(font, bytes):
            font = font.decode("utf-8", "replace")
        x0, top, x1, bottom = self._box(obj)
        self.chars.append(((font, obj.size), obj.get_text(), x0, top, x1, bottom))


def raw_pages(path: str, data: bytes, options: ReadOptions) -> Iterator[RawPage]:
    """Each page's words and graphics; library errors become a SourceError (one-line reason)."""
    try:
        with pdfplumber.open(io.BytesIO(data), password=options.password or "") as pdf:
            count = len(pdf.pages)
            if count == 0:
                raise SourceError(path, "no pages")
            if count > options.max_pages:
                raise SourceError(path, f"too many pages ({count} > {options.max_pages})")
            for page in pdf.pages:
                objects = _Objects(page)
                page.close()
                yield RawPage(
                    page.page_number,
                    float(page.width),
                    objects.height,
                    words(objects.chars),
                    objects.lines,
                    objects.rects,
                    objects.marks,
                )
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
        raise SourceError(path, _reason(cause, options.password)) from exc
    except PDF_ERRORS as exc:
        raise SourceError(path, _reason(exc, options.password)) from exc
