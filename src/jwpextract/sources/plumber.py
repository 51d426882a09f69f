"""PDF engine on pdfplumber (pdfminer.six): each page's words (``extract_words`` with font name and
size), ruling lines and rectangles, parsed once, the page closed after it."""

from __future__ import annotations

import io
import logging
import struct
import zlib
from collections.abc import Iterator
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.psexceptions import PSException
from pdfplumber.utils import extract_words
from pdfplumber.utils.exceptions import PdfminerException

from ..errors import SourceError
from . import ReadOptions
from .raw import Box, RawPage, RawWord, level

PDF_ERRORS = (PSException, zlib.error, struct.error, ValueError, KeyError, IndexError, TypeError, AssertionError)

logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its warnings about odd PDFs would break one-line errors


def _reason(exc: BaseException, password: str | None) -> str:
    if isinstance(exc, PDFPasswordIncorrect):
        return "wrong password" if password else "encrypted: give --password"
    if isinstance(exc, PDFEncryptionError):
        return "encrypted: unsupported encryption"
    return "truncated or corrupt PDF"


def _level_chars(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Without rotated characters (a diagonal watermark); slanted italics stay. Most pages have none."""
    if not any(char["matrix"][1] for char in chars):
        return chars
    return [char for char in chars if level(*char["matrix"][:2])]


def _box(obj: dict[str, Any]) -> Box:
    return float(obj["x0"]), float(obj["top"]), float(obj["x1"]), float(obj["bottom"])


def _word(obj: dict[str, Any]) -> RawWord:
    x0, top, x1, bottom = _box(obj)
    return RawWord(obj["text"], x0, top, x1, bottom, str(obj.get("fontname", "")), float(obj.get("size", bottom - top)))


def raw_pages(path: str, data: bytes, options: ReadOptions) -> Iterator[RawPage]:
    """Each page's words and graphics; library errors become a SourceError (one-line reason)."""
    try:
        with pdfplumber.open(io.BytesIO(data), password=options.password or "") as pdf:
            count = len(pdf.pages)
            if count > options.max_pages:
                raise SourceError(path, f"too many pages ({count} > {options.max_pages})")
            for page in pdf.pages:
                words = extract_words(_level_chars(page.chars), extra_attrs=["fontname", "size"])
                yield RawPage(
                    page.page_number,
                    float(page.width),
                    float(page.height),
                    [_word(w) for w in words if w.get("upright", True)],
                    [_box(obj) for obj in page.lines],
                    [_box(obj) for obj in page.rects],
                )
                page.close()
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
        raise SourceError(path, _reason(cause, options.password)) from exc
    except PDF_ERRORS as exc:
        raise SourceError(path, _reason(exc, options.password)) from exc
