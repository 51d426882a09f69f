"""Text reader: decode a text source and split it into pages (form feeds) and lines.

The document text is the decoded source with line ends normalized to ``\\n``; every line keeps
the offset of its first printed character in it, so provenance points into the source itself.
A source starting with a UTF-32 or UTF-16 byte order mark is decoded by it; otherwise UTF-8, else
a fallback encoding with a warning. Lone surrogates (UTF-16 halves that are no character, which no
output can encode) become U+FFFD with a warning, here and in the PDF reader.
"""

from __future__ import annotations

import codecs
import hashlib
import re

from ..errors import SourceError
from ..layout import LayoutDocument, Line, Page
from ..models import Warning
from ..rules import Rules, load_rules
from .monospace import laid_out, read_laid_out
from .pipes import has_pipe_table, read_pipe_tables

FALLBACK_ENCODINGS = ("cp1252", "latin-1")
BYTE_ORDER_MARKS = (  # UTF-32 LE before UTF-16 LE: its mark starts with the other's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
CONTROL_LIMIT = 0.02
SAMPLE = 65536
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _controls_exceed(codes: list[int]) -> bool:
    controls = sum(1 for code in codes if code < 32 and code not in (9, 10, 12, 13))
    return controls > CONTROL_LIMIT * max(1, len(codes))


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or more than 2% of control characters other than tab, newline, CR and form feed."""
    return b"\x00" in data or _controls_exceed(list(data[:SAMPLE]))


def lone_surrogates(text: str) -> tuple[str, int]:
    """``text`` with each lone surrogate replaced by U+FFFD (the length is kept), and how many there were."""
    if text.isascii():
        return text, 0
    fixed, count = LONE_SURROGATE.subn("\ufffd", text)
    return fixed, count


def surrogate_warning(path: str, count: int) -> Warning:
    return Warning(
        code="lone-surrogate",
        message=f"{count} lone surrogate code point(s) (halves of UTF-16 pairs, no character) printed as U+FFFD",
        where=path,
    )


def _by_byte_order_mark(path: str, data: bytes) -> tuple[str, str, list[Warning]] | None:
    """A UTF-32 or UTF-16 source by its byte order mark (``None``: it has none)."""
    encoding = next((name for mark, name in BYTE_ORDER_MARKS if data.startswith(mark)), None)
    if encoding is None:
        return None
    try:
        text = data.decode(encoding, "surrogatepass")
    except UnicodeDecodeError as exc:
        raise SourceError(path, f"not text (invalid {encoding.upper()} at byte {exc.start})") from None
    if "\x00" in text or _controls_exceed([ord(char) for char in text[:SAMPLE]]):
        raise SourceError(path, "not text (binary data)")
    text, count = lone_surrogates(text)
    return text, encoding, [surrogate_warning(path, count)] if count else []


def decode(path: str, data: bytes) -> tuple[str, str, list[Warning]]:
    """Decode by a UTF-32/UTF-16 byte order mark, else UTF-8 (with or without BOM), else the first
    fallback that works, with a warning."""
    marked = _by_byte_order_mark(path, data)
    if marked is not None:
        return marked
    if looks_binary(data):
        raise SourceError(path, "not text (binary data)")
    try:
        return data.decode("utf-8-sig"), "utf-8", []
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    for encoding in FALLBACK_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        warning = Warning(
            code="encoding-fallback",
            message=f"not valid UTF-8 (byte {first_bad}); decoded as {encoding}",
            where=path,
        )
        return text, encoding, [warning]
    raise SourceError(path, "not text (undecodable)")


def split_lines(text: str) -> list[Page]:
    """Pages at form feeds; one Line per non-blank line, ``blank_before`` marking blank lines above."""
    pages = [Page(number=1)]
    offset = 0
    blank = False
    index = 0
    for raw in text.split("\n"):
        segments = raw.split("\f")
        seg_offset = offset
        for k, segment in enumerate(segments):
            if k:
                pages.append(Page(number=len(pages) + 1))
                seg_offset += 1
            stripped = segment.strip()
            if stripped:
                lead = len(segment) - len(segment.lstrip())
                page = pages[-1]
                page.lines.append(Line(stripped, page.number, index, seg_offset + lead, blank_before=blank))
                index += 1
                blank = False
            elif len(segments) == 1:
                blank = True
            seg_offset += len(segment)
        offset += len(raw) + 1
    if len(pages) > 1 and not pages[-1].lines:
        pages.pop()
    return pages


def read_text(path: str, data: bytes, rules: Rules | None = None) -> LayoutDocument:
    """A text source: a dump in reading order, line by line, its pipe tables read into cells
    (:mod:`.pipes`); a text laid out in columns is read by position instead (:mod:`.monospace`)."""
    text, encoding, warnings = decode(path, data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    sha256 = hashlib.sha256(data).hexdigest()
    pages = split_lines(text)
    piped = has_pipe_table(pages)
    if not piped and laid_out(text):
        return read_laid_out(path, text, sha256, encoding, warnings, rules or load_rules())
    if piped:
        read_pipe_tables(pages, (rules or load_rules()).layout)
    return LayoutDocument(
        path=path,
        format="text",
        sha256=sha256,
        text=text,
        pages=pages,
        encoding=encoding,
        warnings=warnings,
    )
