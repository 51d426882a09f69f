"""Text reader: decode a text source and split it into pages (form feeds) and lines.

The document text is the decoded source with line ends normalized to ``\\n``; every line keeps
the offset of its first printed character in it, so provenance points into the source itself.
"""

from __future__ import annotations

import hashlib

from ..errors import SourceError
from ..layout import LayoutDocument, Line, Page
from ..models import Warning
from ..rules import Rules, load_rules
from .monospace import laid_out, read_laid_out
from .pipes import has_pipe_table, read_pipe_tables

FALLBACK_ENCODINGS = ("cp1252", "latin-1")
CONTROL_LIMIT = 0.02


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or more than 2% of control characters other than tab, newline, CR and form feed."""
    if b"\x00" in data:
        return True
    sample = data[:65536]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > CONTROL_LIMIT * max(1, len(sample))


def decode(path: str, data: bytes) -> tuple[str, str, list[Warning]]:
    """Decode UTF-8 (with or without BOM), else the first fallback that works, with a warning."""
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
