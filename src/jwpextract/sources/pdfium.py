"""PDF engine on pypdfium2 (PDFium): the words and graphics of the pdfplumber engine, faster.

Characters come from PDFium's text page: their text in one call, then for each its text object
(whose font name, size and matrix are read once) and its loose box (advance width by the font's
ascent and descent), turned into the page as displayed (/Rotate) and measured on its media box, as
pdfminer does. Line breaks PDFium generates are left out, and rotated characters; the spaces it
generates within a line are word breaks. A character's top is its bottom less its size, as
pdfminer places it.

Words are cut by :mod:`.words`, as for the pdfplumber engine.

Ruling lines and rectangles come from the painted path objects, form XObjects included, split into
subpaths as pdfminer splits them: a two-point subpath is a line, a closed axis-aligned four-corner
one a rectangle; anything else is a curve, not a rule. Forms are entered ``FORM_DEPTH`` deep at
most, and a page of more than ``MAX_OBJECTS`` objects (its forms' counted each time they are
drawn) is refused; :mod:`.preflight` refuses forms that explode before PDFium expands them.
"""

from __future__ import annotations

import ctypes
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from math import hypot
from typing import Any, NamedTuple

import pypdfium2
import pypdfium2.raw as pdfium

from ..errors import SourceError
from . import ReadOptions
from .raw import Box, RawPage, is_mark, level, upright
from .words import Char, words

SAME = 1e-3  # points: corners closer than this coincide
FORM_DEPTH = 40  # forms nested deeper are not entered (PDFium does not parse them either)
MAX_OBJECTS = 1_000_000  # objects of a page, forms' included
FONT_NAME_BYTES = 256
_RECT = struct.Struct("4f")  # FS_RECTF
LINE_END_HYPHENS = str.maketrans({"\ufffe": "-", "\x02": "-"})
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
TURNS = ((1.0, 0.0, 0.0, 1.0), (0.0, -1.0, 1.0, 0.0), (-1.0, 0.0, 0.0, -1.0), (0.0, 1.0, -1.0, 0.0))  # /Rotate 0-270


class _Style(NamedTuple):
    key: tuple[str, float]  # font name, size
    size: float
    level: bool  # rotated text (not level) is dropped
    upright: bool  # mirrored text (level, not upright) is dropped too, but ends a run


def _native(function: Any, result: Any, *arguments: Any) -> Callable[..., Any]:
    """``function`` of PDFium called with plain integers for handles (no wrapper objects per call)."""
    return ctypes.CFUNCTYPE(result, *arguments)(ctypes.cast(function, ctypes.c_void_p).value)


_TEXT_OBJECT = _native(pdfium.FPDFText_GetTextObject, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
_LOOSE_BOX = _native(pdfium.FPDFText_GetLooseCharBox, ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p)
_GENERATED = _native(pdfium.FPDFText_IsGenerated, ctypes.c_int, ctypes.c_void_p, ctypes.c_int)


def _reason(exc: pypdfium2.PdfiumError, password: str | None) -> str:
    if exc.err_code == pdfium.FPDF_ERR_PASSWORD:
        return "wrong password" if password else "encrypted: give --password"
    if exc.err_code == pdfium.FPDF_ERR_SECURITY:
        return "encrypted: unsupported encryption"
    return "truncated or corrupt PDF"


# ------------------------------------------------------------------------ the page as displayed


@dataclass(frozen=True)
class _Display:
    """PDF user space to the page as displayed (turned by its /Rotate), from its top-left corner:
    what pdfminer gives, and what PDFium's text page and path objects do not (they stay in user
    space: a landscape page printed on a turned portrait one would read as rotated text)."""

    turns: int  # quarter turns clockwise
    width: float  # of the user space (the media box)
    height: float

    @property
    def size(self) -> tuple[float, float]:
        """Width and height of the page as displayed."""
        return (self.height, self.width) if self.turns % 2 else (self.width, self.height)

    def point(self, x: float, y: float) -> tuple[float, float]:
        if self.turns == 1:
            return y, x
        if self.turns == 2:
            return self.width - x, y
        if self.turns == 3:
            return self.height - y, self.width - x
        return x, self.height - y

    def box(self, left: float, bottom: float, right: float, top: float) -> Box:
        (x0, y0), (x1, y1) = self.point(left, bottom), self.point(right, top)
        return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)

    def matrix(self, a: float, b: float, c: float, d: float) -> tuple[float, float, float, float]:
        """A matrix's linear part as displayed (y up)."""
        ra, rb, rc, rd = TURNS[self.turns]
        return a * ra + b * rc, a * rb + b * rd, c * ra + d * rc, c * rb + d * rd


def _display(page: pypdfium2.PdfPage) -> _Display:
    """The page's turn and user space: its media box, as pdfplumber measures pages (not the crop box)."""
    turns = pdfium.FPDFPage_GetRotation(page.raw) % 4
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not pdfium.FPDFPage_GetMediaBox(page.raw, left, bottom, right, top):
        return _Display(turns, *_Display(turns, *page.get_size()).size)  # the displayed size, turned back
    return _Display(turns, right.value - left.value, top.value - bottom.value)


# ------------------------------------------------------------------------ characters


def _style(textpage: Any, index: int, display: _Display) -> _Style:
    """Font name, size (font size times the text matrix's vertical scale) and orientation as displayed."""
    raw = pdfium.FS_MATRIX()
    pdfium.FPDFText_GetMatrix(textpage, index, raw)
    a, b, c, d = display.matrix(raw.a, raw.b, raw.c, raw.d)
    flags = ctypes.c_int()
    name = ctypes.create_string_buffer(FONT_NAME_BYTES)
    length = pdfium.FPDFText_GetFontInfo(textpage, index, name, FONT_NAME_BYTES, flags)
    font = name.value.decode("utf-8", "replace") if 0 < length <= FONT_NAME_BYTES else ""
    size = pdfium.FPDFText_GetFontSize(textpage, index) * hypot(c, d)
    return _Style((font, size), size, level(a, b), upright(a, b, c, d))


def _text(textpage: Any, count: int) -> str:
    """The text page's characters, one per index (PDFium's UTF-16 with surrogate pairs joined), with
    the hyphens PDFium marks as breaking a word at the end of a line (U+FFFE, U+0002) as printed."""
    buffer = (ctypes.c_ushort * (count + 1))()
    pdfium.FPDFText_GetText(textpage, 0, count, buffer)
    text = bytes(buffer)[: 2 * count].decode("utf-16-le", "surrogatepass")
    if len(text) != count:
        text = "".join(chr(pdfium.FPDFText_GetUnicode(textpage, i)) for i in range(count))
    return text.translate(LINE_END_HYPHENS)


def _chars(textpage: Any, display: _Display) -> list[Char | None]:
    """The page's characters in content order; ``None`` marks a mirrored one, which ends a run.

    A space PDFium generates between two characters of a line stays, as a word break: PDFium
    generates one where a space is drawn on its own ("( ) Tj"), where it replaces a drawn one
    (Chromium's PDFs) and where a gap reads as one (kerned "[(of) -250 (the)] TJ")."""
    handle = ctypes.cast(textpage, ctypes.c_void_p).value
    count = pdfium.FPDFText_CountChars(textpage)
    text = _text(textpage, count)
    box = bytearray(16)  # an FS_RECTF (left, top, right, bottom), read at once
    address = ctypes.addressof((ctypes.c_char * 16).from_buffer(box))
    text_object, generated, loose_box, unpack = _TEXT_OBJECT, _GENERATED, _LOOSE_BOX, _RECT.unpack_from
    turned, height = display.turns != 0, display.height
    styles: dict[int | None, _Style] = {}
    chars: list[Char | None] = []
    append = chars.append
    for index, char in enumerate(text):
        if char.isspace() and generated(handle, index):
            if char == " " and chars and chars[-1] is not None:
                style, _, _, top, x1, bottom = chars[-1]
                append((style, char, x1, top, x1, bottom))
            continue
        obj = text_object(handle, index)
        style = styles.get(obj)
        if style is None:
            style = styles[obj] = _style(textpage, index, display)
        key, size, kept, shown = style
        if not kept:
            continue
        if not shown:
            append(None)
            continue
        loose_box(handle, index, address)
        left, top, right, bottom = unpack(box)
        if turned:
            left, _, right, bottom = display.box(left, bottom, right, top)
        else:
            bottom = height - bottom
        append((key, char, left, bottom - size, right, bottom))
    return chars


# ------------------------------------------------------------------------ graphics


def _multiply(inner: Matrix, outer: Matrix) -> Matrix:
    a, b, c, d, e, f = inner
    p, q, r, s, t, u = outer
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def _matrix(obj: Any) -> Matrix:
    m = pdfium.FS_MATRIX()
    pdfium.FPDFPageObj_GetMatrix(obj, m)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


class _TooManyObjects(Exception):
    """A page holds more than ``MAX_OBJECTS`` objects."""


def _paths(page: Any) -> Iterator[tuple[Any, Matrix, bool]]:
    """The page's painted path objects, with the matrix to page space (form XObjects entered, down to
    ``FORM_DEPTH``) and whether they are filled; :class:`_TooManyObjects` past ``MAX_OBJECTS``."""
    seen = pdfium.FPDFPage_CountObjects(page)
    if seen > MAX_OBJECTS:
        raise _TooManyObjects
    stack = [(pdfium.FPDFPage_GetObject(page, k), IDENTITY, 0) for k in reversed(range(seen))]
    while stack:
        obj, outer, depth = stack.pop()
        kind = pdfium.FPDFPageObj_GetType(obj)
        if kind == pdfium.FPDF_PAGEOBJ_FORM and depth < FORM_DEPTH:
            matrix = _multiply(_matrix(obj), outer)
            inner = pdfium.FPDFFormObj_CountObjects(obj)
            seen += inner
            if seen > MAX_OBJECTS:
                raise _TooManyObjects
            stack.extend((pdfium.FPDFFormObj_GetObject(obj, k), matrix, depth + 1) for k in reversed(range(inner)))
        elif kind == pdfium.FPDF_PAGEOBJ_PATH:
            fill, stroke = _paint(obj)
            if fill or stroke:
                yield obj, _multiply(_matrix(obj), outer), fill


def _paint(obj: Any) -> tuple[bool, bool]:
    """Whether the path is filled, and whether it is stroked."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium.FPDFPath_GetDrawMode(obj, fill, stroke):
        return False, False
    return bool(fill.value), bool(stroke.value)


def _subpaths(obj: Any, matrix: Matrix, display: _Display) -> Iterator[tuple[list[tuple[float, float]], bool]]:
    """Each subpath's points in page space from the top (closed ones end at their start), and
    whether it holds a curve."""
    a, b, c, d, e, f = matrix
    points: list[tuple[float, float]] = []
    curved = False
    x, y = ctypes.c_float(), ctypes.c_float()
    for k in range(pdfium.FPDFPath_CountSegments(obj)):
        segment = pdfium.FPDFPath_GetPathSegment(obj, k)
        kind = pdfium.FPDFPathSegment_GetType(segment)
        pdfium.FPDFPathSegment_GetPoint(segment, x, y)
        if kind == pdfium.FPDF_SEGMENT_MOVETO and points:
            yield points, curved
            points, curved = [], False
        curved = curved or kind == pdfium.FPDF_SEGMENT_BEZIERTO
        points.append(display.point(a * x.value + c * y.value + e, b * x.value + d * y.value + f))
        if pdfium.FPDFPathSegment_GetClose(segment) and not _same(points[-1], points[0]):
            points.append(points[0])
    if points:
        yield points, curved


def _same(p: tuple[float, float], q: tuple[float, float]) -> bool:
    return abs(p[0] - q[0]) <= SAME and abs(p[1] - q[1]) <= SAME


def _bounds(points: list[tuple[float, float]]) -> Box:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _square(points: list[tuple[float, float]]) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3), last = points
    if not _same(points[0], last):
        return False
    along = abs(x0 - x1) <= SAME and abs(y1 - y2) <= SAME and abs(x2 - x3) <= SAME and abs(y3 - y0) <= SAME
    across = abs(y0 - y1) <= SAME and abs(x1 - x2) <= SAME and abs(y2 - y3) <= SAME and abs(x3 - x0) <= SAME
    return along or across


def graphics(page: Any, display: _Display) -> tuple[list[Box], list[Box], list[Box]]:
    """The page's lines (two-point subpaths), rectangles (closed axis-aligned four-corner ones) and
    drawn bullets (small filled curves or rectangles)."""
    lines: list[Box] = []
    rects: list[Box] = []
    marks: list[Box] = []
    for obj, matrix, filled in _paths(page):
        for points, curved in _subpaths(obj, matrix, display):
            shape = curved or (len(points) == 5 and _square(points))
            if shape and is_mark(_bounds(points), filled):
                marks.append(_bounds(points))
            if curved:
                continue
            if len(points) == 2 or (len(points) == 3 and _same(points[0], points[2])):
                lines.append(_bounds(points[:2]))
            elif len(points) == 5 and _square(points):
                rects.append(_bounds(points))
    return lines, rects, marks


# ------------------------------------------------------------------------ the document


def raw_pages(path: str, data: bytes, options: ReadOptions) -> Iterator[RawPage]:
    """Each page's words and graphics; PDFium's errors become a SourceError (one-line reason)."""
    try:
        pdf = pypdfium2.PdfDocument(data, password=options.password)
    except pypdfium2.PdfiumError as exc:
        raise SourceError(path, _reason(exc, options.password)) from exc
    try:
        count = len(pdf)
        if count == 0:
            raise SourceError(path, "no pages")
        if count > options.max_pages:
            raise SourceError(path, f"too many pages ({count} > {options.max_pages})")
        for number in range(count):
            try:
                page = _page(pdf, number)
            except pypdfium2.PdfiumError as exc:
                raise SourceError(path, _reason(exc, options.password)) from exc
            except _TooManyObjects:
                reason = f"more than {MAX_OBJECTS:,} objects on page {number + 1} (forms drawn included)"
                raise SourceError(path, reason) from None
            yield page
    finally:
        pdf.close()


def _page(pdf: pypdfium2.PdfDocument, number: int) -> RawPage:
    """Page ``number`` (from 0) read and closed."""
    page = pdf[number]
    try:
        display = _display(page)
        textpage = page.get_textpage()
        try:
            chars = _chars(textpage.raw, display)
        finally:
            textpage.close()
        lines, rects, marks = graphics(page.raw, display)
    finally:
        page.close()
    return RawPage(number + 1, *display.size, words(chars), lines, rects, marks)
