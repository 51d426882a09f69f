"""A PDF checked before an engine expands it: decompression bombs, exploding form XObjects, no pages.

PDFium and pdfminer inflate each stream they read whole, and parse a form XObject's content each
time it is drawn, forms drawn inside forms included (PDFium down to 40 levels; a cycle is drawn
until then): a few kilobytes can ask them for gigabytes, where they abort or the machine swaps.
Here the file's objects are read with pdfminer, each stream (images aside: the engines do not
decode them to read text) inflated piece by piece and measured, never held whole; then, page by
page, the content the engine would parse is counted, each form as many times as it is drawn.

Limits: a stream inflates to at most ``MAX_INFLATED`` bytes; a page's content, forms drawn
included, is at most ``MAX_PAGE_CONTENT`` bytes, each form drawn counting ``FORM_COST`` bytes more
(what PDFium keeps for one: about 2.7 KB measured). Filters measured: FlateDecode (chained too), after
ASCIIHexDecode or ASCII85Decode; a stream under another filter counts as far as these go. A file
pdfminer cannot parse, or an encrypted one it cannot open, is left to the engine, which names the
problem. What these checks do not see is bounded by the worker's memory limit (``--max-memory``).
"""

from __future__ import annotations

import io
import logging
import re
import struct
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from pdfminer.ascii85 import ascii85decode, asciihexdecode
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import (
    LITERALS_ASCII85_DECODE,
    LITERALS_ASCIIHEX_DECODE,
    LITERALS_FLATE_DECODE,
    PDFStream,
    resolve1,
)
from pdfminer.psexceptions import PSException
from pdfminer.psparser import LIT

from ..errors import SourceError

MB = 1 << 20
MAX_INFLATED = 256 * MB
MAX_PAGE_CONTENT = 256 * MB
FORM_DEPTH = 40  # PDFium draws forms nested this deep, no deeper
FORM_COST = 4096
CHUNK = MB
CARRY = 512  # bytes of a content piece kept for the next one: a "/Name Do" cut between two pieces
DELIMITER = rb"\x00\t\n\f\r /\[\]<>(){}%"
DRAW = re.compile(rb"/([^" + DELIMITER + rb"]++)[\x00\t\n\f\r ]*+Do(?![^" + DELIMITER + rb"])")
ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
IMAGE, FORM = LIT("Image"), LIT("Form")
PDFMINER_ERRORS = (PSException, zlib.error, struct.error, ValueError, KeyError, IndexError, TypeError)
"""What pdfminer raises on a broken file (its own errors are PSExceptions)."""
PARSE_ERRORS = (*PDFMINER_ERRORS, AttributeError, RecursionError)

logging.getLogger("pdfminer").setLevel(logging.ERROR)


def _inflate(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """FlateDecode of ``pieces``, piece by piece; a corrupt or cut stream ends where it breaks."""
    inflater = zlib.decompressobj()
    try:
        for piece in pieces:
            while piece and not inflater.eof:
                out = inflater.decompress(piece, CHUNK)
                if out:
                    yield out
                piece = inflater.unconsumed_tail
            if inflater.eof:
                return
        yield inflater.flush()
    except zlib.error:
        return


def _decoded(stream: PDFStream) -> Iterator[bytes]:
    """The stream's data, decrypted and decoded piece by piece as far as the filters measured go."""
    if stream.rawdata is None:  # decoded by pdfminer already (an object stream it read)
        yield stream.data or b""
        return
    data: bytes = stream.rawdata
    if stream.decipher:
        data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
    pieces: Iterable[bytes] = (data,)
    for name, _ in stream.get_filters():
        if name in LITERALS_FLATE_DECODE:
            pieces = _inflate(pieces)
        elif name in LITERALS_ASCIIHEX_DECODE or name in LITERALS_ASCII85_DECODE:
            decode = asciihexdecode if name in LITERALS_ASCIIHEX_DECODE else ascii85decode
            pieces = (decode(b"".join(pieces)),)
        else:
            break
    yield from pieces


def _name(raw: bytes) -> bytes:
    return ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw) if b"#" in raw else raw


class _Check:
    def __init__(self, path: str, doc: PDFDocument) -> None:
        self.path = path
        self.doc = doc
        self.contents: dict[int, tuple[int, Counter[bytes]]] = {}  # objid: size, forms drawn by name
        self.forms: dict[int, dict[bytes, PDFStream]] = {}  # id(resources): its forms by name
        self.drawn: dict[tuple[int, int, int], int] = {}  # (form, depth, resources): content parsed

    def _too_big(self, stream: PDFStream) -> SourceError:
        return SourceError(self.path, f"decompression bomb: stream {stream.objid} inflates past {MAX_INFLATED // MB} MB")

    def measure(self, stream: PDFStream) -> int:
        size = 0
        for piece in _decoded(stream):
            size += len(piece)
            if size > MAX_INFLATED:
                raise self._too_big(stream)
        return size

    def content(self, stream: PDFStream) -> tuple[int, Counter[bytes]]:
        """The inflated size of a content stream and the forms it draws (name: times)."""
        known = self.contents.get(stream.objid)
        if known is not None:
            return known
        size, drawn, carry = 0, Counter[bytes](), b""
        for piece in _decoded(stream):
            size += len(piece)
            if size > MAX_INFLATED:
                raise self._too_big(stream)
            text = carry + piece
            drawn.update(_name(m.group(1)) for m in DRAW.finditer(text) if m.end() > len(carry))
            carry = text[-CARRY:]
        self.contents[stream.objid] = size, drawn
        return size, drawn

    def _forms(self, resources: Any) -> dict[bytes, PDFStream]:
        known = self.forms.get(id(resources))
        if known is None:
            xobjects = resolve1(resources.get("XObject")) if isinstance(resources, dict) else None
            known = {}
            for key, value in (xobjects.items() if isinstance(xobjects, dict) else ()):
                obj = resolve1(value)
                if isinstance(obj, PDFStream) and obj.get("Subtype") is FORM:
                    known[key.encode("utf-8") if isinstance(key, str) else key] = obj
            self.forms[id(resources)] = known
        return known

    def parsed(self, streams: Iterable[PDFStream], resources: Any, depth: int) -> int:
        """The content the engine parses for ``streams`` drawn under ``resources``, forms drawn included
        with their ``FORM_COST`` (once past ``MAX_PAGE_CONTENT``, no more forms are counted)."""
        total = 0
        forms = self._forms(resources)
        for stream in streams:
            size, drawn = self.content(stream)
            total += size
            for name, times in drawn.items():
                form = forms.get(name)
                if form is not None and depth < FORM_DEPTH and total <= MAX_PAGE_CONTENT:
                    total += times * (FORM_COST + self._form(form, resources, depth + 1))
        return total

    def _form(self, form: PDFStream, outer: Any, depth: int) -> int:
        resources = resolve1(form.get("Resources")) or outer  # a form without resources uses its page's
        key = (form.objid, depth, id(resources))
        if key not in self.drawn:
            self.drawn[key] = self.parsed((form,), resources, depth)
        return self.drawn[key]

    def pages(self, max_pages: int) -> int:
        """Check each page's content (up to ``max_pages`` + 1 pages; the engine refuses more); the count."""
        count = 0
        for count, page in enumerate(PDFPage.create_pages(self.doc), 1):
            if count > max_pages:
                break
            contents = [resolve1(c) for c in page.contents]
            streams = [c for c in contents if isinstance(c, PDFStream)]
            if self.parsed(streams, resolve1(page.resources), 0) > MAX_PAGE_CONTENT:
                limit = MAX_PAGE_CONTENT // MB
                raise SourceError(self.path, f"nested form XObjects expand past {limit} MB to parse on page {count}")
        return count

    def streams(self) -> None:
        """Measure every stream of the file but images (streams are never inside object streams)."""
        objids = {objid for xref in self.doc.xrefs for objid in xref.get_objids()}
        for objid in sorted(objids):
            try:
                obj = self.doc.getobj(objid)
            except PARSE_ERRORS:
                continue
            if isinstance(obj, PDFStream) and obj.get("Subtype") is not IMAGE and objid not in self.contents:
                self.measure(obj)


def check_pdf(path: str, data: bytes, password: str | None, max_pages: int) -> None:
    """Raise a SourceError for a decompression bomb, forms that expand past the limits, or no pages."""
    try:
        doc = PDFDocument(PDFParser(io.BytesIO(data)), password=password or "")
        check = _Check(path, doc)
        pages = check.pages(max_pages)
        check.streams()
    except PARSE_ERRORS:
        return  # the engine names what is wrong
    if pages == 0:
        raise SourceError(path, "no pages")
