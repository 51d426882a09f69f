"""PDF reader: an engine's words and rulings -> lines in reading order, tables, furniture, footnotes.

The file is checked first (:mod:`.preflight`: decompression bombs, exploding form XObjects, no
pages). An engine (``--engine``: :mod:`.plumber` on pdfplumber, :mod:`.pdfium` on pypdfium2) then
parses each page once into words with font name and size, its ruling lines and rectangles
(:mod:`.raw`). Words are normalized (ligatures and odd spaces by NFKC, lone surrogates to U+FFFD,
``(cid:N)`` glyphs through ``rules/glyphs.json``) and grouped into text rows by baseline: a
superscript joins the row it is printed on ("11" "th" -> "11th"), and a footnote marker glued to
a word is dropped from the text ("the Working Group,3" -> "the Working Group,").

Then, for the document: page furniture by position and repetition (running headers and footers,
page numbers); for each page: its footnote area (:mod:`jwpextract.footnotes`), its tables
(:mod:`jwpextract.tables`), and the rest of its text in reading order by recursive XY-cuts, so
that a letterhead's left and right blocks come out one after the other, not interleaved.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import import_module
from itertools import pairwise
from statistics import median, quantiles
from typing import Any

from rapidfuzz import fuzz, process

from ..errors import SourceError
from ..footnotes import footnote_top, opens_note
from ..layout import LayoutDocument, Line, Page, Ruling, Word
from ..models import Warning
from ..rules import GlyphsFile, Rules, load_rules
from ..tables import PARAGRAPH_GAP, SUP_SIZE, Table, TableReader, TextRow, is_raised
from . import ENGINES, ReadOptions
from .preflight import check_pdf
from .raw import Box, Engine, RawPage, RawWord
from .text import lone_surrogates, surrogate_warning

CID = re.compile(r"\(cid:(\d+)\)")
BASELINE = 0.3  # words whose bottoms differ by less than this share of their size share a baseline
SUP_REACH = 0.6  # a superscript's bottom sits at most this share of the line's size above it
SUP_GLUE = 0.25  # ... and it touches the word before it: at most this share of the size away
SUP_LEAD = 0.6  # ... or it opens the line (a note number): at most this share of the size before a word
FRAGMENT_GAP = 1.5  # a horizontal gap wider than this share of the size separates blocks of text
LABEL_WORDS = 4  # a short label beside its text (a hanging number, a run-in label) is not a column
CUT_SHARE = 0.8  # horizontal XY-cuts: every white gap at least this share of the widest one
DISPLAY_SIZE = 1.2  # text this much larger than the body's is display text (titles)
WIDE_GAP = 2.0  # a white gap taller than this share of the size cuts before any column does
THIN = 2.0  # points: a rectangle this thin is a rule
JOIN = 1.0  # points: collinear rules this close end to end are one
MARK_REACH = 1.5  # a drawn bullet stands at most this share of the size left of its word ...
BULLET = "•"  # ... and prints as this
REPEAT_SCORE = 90.0  # furniture repeats: rapidfuzz ratio of the digit-masked texts ...
REPEAT_SHIFT = 6.0  # ... at a position within this many points
MIN_LETTERS = 2
DIGITS = re.compile(r"\d+")
NO_TEXT = {  # why a PDF holds no text, by OCR mode (``ReadOptions.ocr``) ...
    "never": "no text layer: scanned? OCR is off (--ocr never)",
    "auto": "no text layer, and no page is a scan to recognise",
    "always": "no text recognised on the page images",
}
NO_TEXT_RECOGNISED = NO_TEXT["always"]  # ... and when OCR recognised pages but found no text on them


@dataclass(slots=True)
class _Page:
    number: int
    width: float
    height: float
    rows: list[TextRow]
    rulings: list[Ruling]
    furniture: list[tuple[str, TextRow]] = field(default_factory=list)


@dataclass(slots=True)
class _Edge:
    """A fragment of a row in the top ("header") or bottom ("footer") margin of a page."""

    zone: str
    text: TextRow
    place: float  # its distance from the page's top (header) or bottom (footer) edge
    key: str = field(init=False)  # its text, digits masked

    def __post_init__(self) -> None:
        self.key = _mask(self.text.text)


@dataclass(slots=True)
class _Fragment:
    row: int
    text: TextRow


class Glyphs:
    """Word normalization: glyph codes, ligatures and spaces; font styles from font names."""

    def __init__(self, glyphs: GlyphsFile) -> None:
        self.cid = glyphs.cid
        self.bold = re.compile(glyphs.bold_font_pattern)
        self.italic = re.compile(glyphs.italic_font_pattern)
        self.styles: dict[str, tuple[bool, bool]] = {}
        self.unknown: Counter[str] = Counter()
        self.surrogates = 0

    def _glyph(self, match: re.Match[str]) -> str:
        char = self.cid.get(match.group(1))
        if char is None:
            self.unknown[match.group(1)] += 1
            return "\ufffd"
        return char

    def clean(self, text: str) -> str:
        if "(cid:" in text:
            text = CID.sub(self._glyph, text)
        if not text.isascii():
            text, count = lone_surrogates(text)
            self.surrogates += count
            text = " ".join(unicodedata.normalize("NFKC", text).split())
        return text

    def word(self, raw: RawWord) -> Word | None:
        text = self.clean(raw.text)
        if not text:
            return None
        font = raw.fontname
        if font not in self.styles:
            self.styles[font] = (bool(self.bold.search(font)), bool(self.italic.search(font)))
        bold, italic = self.styles[font]
        return Word(text, raw.x0, raw.top, raw.x1, raw.bottom, font, raw.size, bold, italic, raw.confidence)


# ------------------------------------------------------------------------ words and rows


def _rulings(raw: RawPage) -> list[Ruling]:
    """Ruling lines and rectangle edges (thin rectangles are rules), without page-sized frames."""
    found: set[Box] = set()
    for x0, top, x1, bottom in raw.lines:
        if x1 - x0 <= THIN or bottom - top <= THIN:
            found.add((x0, top, x1, bottom))
    for x0, top, x1, bottom in raw.rects:
        if x1 - x0 >= 0.9 * raw.width and bottom - top >= 0.9 * raw.height:
            continue
        if bottom - top <= THIN:
            middle = (top + bottom) / 2
            found.add((x0, middle, x1, middle))
        elif x1 - x0 <= THIN:
            middle = (x0 + x1) / 2
            found.add((middle, top, middle, bottom))
        else:
            found.update({(x0, top, x1, top), (x0, bottom, x1, bottom), (x0, top, x0, bottom), (x1, top, x1, bottom)})
    rounded = {(_half(x0), _half(top), _half(x1), _half(bottom)) for x0, top, x1, bottom in found}
    return [Ruling(*box) for box in sorted(_joined(rounded))]


def _half(value: float) -> float:
    return round(value * 2) / 2


def _joined(boxes: set[Box]) -> list[Box]:
    """Collinear rules that meet end to end joined into one: a table's borders drawn cell by cell
    (Chromium, word processors) are the table's rules."""
    joined: list[Box] = []
    for vertical in (False, True):
        # along: (position across, start, end); a horizontal rule is (top, x0, x1)
        along = sorted((b[0], b[1], b[3]) if vertical else (b[1], b[0], b[2]) for b in boxes if _vertical(b) == vertical)
        merged: list[list[float]] = []
        for at, start, end in along:
            if merged and merged[-1][0] == at and start <= merged[-1][2] + JOIN:
                merged[-1][2] = max(merged[-1][2], end)
            else:
                merged.append([at, start, end])
        joined += [(at, start, at, end) if vertical else (start, at, end, at) for at, start, end in merged]
    return joined


def _vertical(box: Box) -> bool:
    return box[3] - box[1] > box[2] - box[0]


def _drawn_bullets(words: list[Word], marks: list[Box]) -> list[Word]:
    """The words, with a "•" for each bullet drawn as a shape just left of a word on its line (lists
    whose bullets are shapes, not glyphs: Chromium's PDFs)."""
    added: list[Word] = []
    for x0, top, x1, bottom in marks:
        middle = (top + bottom) / 2
        beside = [w for w in words if w.top <= middle <= w.bottom and 0 <= w.x0 - x1 <= MARK_REACH * w.size]
        if beside:
            word = min(beside, key=lambda w: w.x0)
            added.append(Word(BULLET, x0, word.top, x1, word.bottom, word.fontname, word.size, word.bold, word.italic))
    return words + added if added else words


def _rows(words: list[Word]) -> list[TextRow]:
    """Words grouped by baseline, superscripts joined to their line, in top order."""
    groups: list[list[Word]] = []
    for word in sorted(words, key=lambda w: w.bottom):
        if groups and word.bottom - groups[-1][0].bottom <= BASELINE * min(word.size, groups[-1][0].size):
            groups[-1].append(word)
        else:
            groups.append([word])
    rows = [TextRow.of(group) for group in groups]
    for i in range(len(rows) - 1):
        rows[i], rows[i + 1] = _lift(rows[i], rows[i + 1])
    return sorted((row for row in rows if row.words), key=lambda r: (r.top, r.x0))


def _lift(small: TextRow, line: TextRow) -> tuple[TextRow, TextRow]:
    """Move the superscripts of ``small`` (raised words beside words of ``line``) into ``line``."""
    size = line.size
    if not small.words or small.size >= SUP_SIZE * size or line.bottom - small.bottom > SUP_REACH * size:
        return small, line
    kept: list[Word] = []
    moved: list[Word] = []
    for word in small.words:
        beside = any(
            -THIN <= word.x0 - w.x1 <= SUP_GLUE * size or -THIN <= w.x0 - word.x1 <= SUP_LEAD * size for w in line.words
        )
        (moved if beside else kept).append(word)
    if not moved:
        return small, line
    return TextRow.of(kept) if kept else TextRow([], 0, 0, 0, 0, 0), TextRow.of(line.words + moved)


def _drop_markers(row: TextRow, marker: re.Pattern[str]) -> TextRow:
    """Without the footnote markers: raised numbers glued to the end of the word before them."""
    kept: list[Word] = []
    for word in row.words:
        glued = bool(kept) and word.x0 - kept[-1].x1 <= SUP_GLUE * row.size
        if glued and is_raised(word, row.size, row.bottom) and all(marker.match(piece) for piece in word.text.split(",")):
            continue
        kept.append(word)
    return row if len(kept) == len(row.words) else TextRow.of(kept)


def _fragments(rows: list[TextRow]) -> list[_Fragment]:
    """Each row cut at wide white gaps (between columns, beside a letterhead block)."""
    fragments: list[_Fragment] = []
    for i, row in enumerate(rows):
        start = 0
        for k, (a, b) in enumerate(pairwise(row.words), 1):
            if b.x0 - a.x1 > FRAGMENT_GAP * row.size:
                fragments.append(_Fragment(i, TextRow.of(row.words[start:k])))
                start = k
        fragments.append(_Fragment(i, TextRow.of(row.words[start:])) if start else _Fragment(i, row))
    return fragments


# ------------------------------------------------------------------------ reading order


def _xy_cut(fragments: list[_Fragment]) -> list[list[_Fragment]]:
    """Blocks in reading order: cut at wide white rows (between a letterhead and the body), else at
    the widest white column, else at the widest white rows."""
    if len(fragments) < 2:
        return [fragments]
    size = median(f.text.size for f in fragments)
    parts = _horizontal_cut(fragments, WIDE_GAP * size) or _vertical_cut(fragments, size) or _horizontal_cut(fragments)
    if parts is None:
        return [fragments]
    return [block for part in parts for block in _xy_cut(part)]


def _vertical_cut(fragments: list[_Fragment], size: float) -> list[list[_Fragment]] | None:
    ordered = sorted(fragments, key=lambda f: f.text.x0)
    gaps: list[tuple[float, int]] = []
    reach = ordered[0].text.x1
    for k in range(1, len(ordered)):
        gap = ordered[k].text.x0 - reach
        if gap > FRAGMENT_GAP * size:
            gaps.append((gap, k))
        reach = max(reach, ordered[k].text.x1)
    for _, k in sorted(gaps, reverse=True):
        left, right = ordered[:k], ordered[k:]
        beside = {f.row for f in right}
        if not all(f.row in beside and len(f.text.words) <= LABEL_WORDS for f in left):
            return [left, right]
    return None


def _horizontal_cut(fragments: list[_Fragment], least: float = 0.0) -> list[list[_Fragment]] | None:
    ordered = sorted(fragments, key=lambda f: f.text.top)
    gaps: list[tuple[float, int]] = []
    reach = ordered[0].text.bottom
    for k in range(1, len(ordered)):
        gap = ordered[k].text.top - reach
        if gap > 0:
            gaps.append((gap, k))
        reach = max(reach, ordered[k].text.bottom)
    widest = max((g for g, _ in gaps), default=0.0)
    if widest <= least:
        return None
    cuts = [0] + [k for g, k in gaps if g >= CUT_SHARE * widest] + [len(ordered)]
    return [ordered[a:b] for a, b in pairwise(cuts)]


def _block_rows(block: list[_Fragment]) -> list[TextRow]:
    """The lines of one block: its fragments of one text row together, top to bottom."""
    by_row: dict[int, list[Word]] = {}
    for fragment in block:
        by_row.setdefault(fragment.row, []).extend(fragment.text.words)
    return sorted((TextRow.of(words) for words in by_row.values()), key=lambda r: (r.top, r.x0))


# ------------------------------------------------------------------------ the document


def _mask(text: str) -> str:
    return DIGITS.sub("#", " ".join(text.split())).lower()


class _Reader:
    def __init__(self, rules: Rules, pages: list[_Page]) -> None:
        layout = rules.layout
        self.pages = pages
        self.tables = TableReader(layout)
        self.page_numbers = [re.compile(p) for p in layout.page_number_patterns]
        self.note_number = re.compile(layout.footnote_number_pattern)
        self.margin = layout.furniture_margin
        self.min_pages = layout.running_header_min_pages
        sizes: Counter[float] = Counter()
        for page in pages:
            for row in page.rows:
                for word in row.words:
                    sizes[round(word.size, 1)] += len(word.text)
        self.body_size = sizes.most_common(1)[0][0] if sizes else 10.0
        gaps = [
            (b.top - a.bottom) / b.size
            for page in pages
            for a, b in pairwise(page.rows)
            if 0 < b.top - a.bottom < FRAGMENT_GAP * b.size and a.x0 < b.x1 and b.x0 < a.x1
        ]
        leading = quantiles(gaps, n=4)[0] if len(gaps) > 1 else (gaps[0] if gaps else 0.0)
        self.paragraph = max(PARAGRAPH_GAP, FRAGMENT_GAP * leading)
        self.row_id = 0

    # -- furniture

    def _margins(self, page: _Page) -> tuple[list[list[_Edge]], list[list[_Edge]]]:
        """The fragments of the rows in the top margin (top down) and in the bottom margin (bottom up)."""
        top: list[list[_Edge]] = []
        for row in page.rows:
            if row.bottom > self.margin * page.height or self.tables.header(row):
                break
            top.append([_Edge("header", f.text, f.text.top) for f in _fragments([row])])
        bottom: list[list[_Edge]] = []
        for row in reversed(page.rows[len(top) :]):
            if row.top < (1 - self.margin) * page.height or self.tables.header(row):
                break
            bottom.append([_Edge("footer", f.text, page.height - f.text.bottom) for f in _fragments([row])])
        return top, bottom

    def mark_furniture(self) -> None:
        """Set aside each page's running headers, footers and page numbers (``_Page.furniture``).

        From the outer edge of each margin inwards, while every fragment of a row is furniture: a page
        number (``page_number_patterns``), or a text found (digits masked, fuzzily) at the same place
        on at least ``running_header_min_pages`` pages.
        """
        margins = [self._margins(page) for page in self.pages]
        places: dict[tuple[str, str], list[tuple[int, float]]] = {}
        for page, zones in zip(self.pages, margins, strict=True):
            for edge in (edge for rows in zones for row in rows for edge in row):
                places.setdefault((edge.zone, edge.key), []).append((page.number, edge.place))
        keys: dict[str, list[str]] = {}
        for zone, key in places:
            keys.setdefault(zone, []).append(key)
        for page, zones in zip(self.pages, margins, strict=True):
            dropped: set[int] = set()
            for rows in zones:
                for row in rows:
                    kinds = [self._kind(edge, places, keys[edge.zone]) for edge in row]
                    for edge, kind in zip(row, kinds, strict=True):
                        if kind is not None:
                            page.furniture.append((kind, edge.text))
                            dropped.update(id(word) for word in edge.text.words)
                    if not all(kinds):
                        break
            if dropped:
                kept = [[w for w in row.words if id(w) not in dropped] for row in page.rows]
                page.rows = [TextRow.of(words) for words in kept if words]

    def _kind(self, edge: _Edge, places: dict[tuple[str, str], list[tuple[int, float]]], keys: list[str]) -> str | None:
        text = edge.text.text
        if any(p.match(text) for p in self.page_numbers):
            return "page-number"
        if sum(c.isalpha() for c in edge.key) < MIN_LETTERS:
            return None
        similar = process.extract(edge.key, keys, scorer=fuzz.ratio, score_cutoff=REPEAT_SCORE, limit=None)
        pages = {n for key, _, _ in similar for n, at in places[(edge.zone, key)] if abs(at - edge.place) <= REPEAT_SHIFT}
        return edge.zone if len(pages) >= max(2, self.min_pages) else None

    # -- lines

    def _line(self, source: TextRow, page: int, **fields: Any) -> Line:
        return Line(
            text=source.text,
            page=page,
            index=0,
            start=0,
            bbox=(source.x0, source.top, source.x1, source.bottom),
            words=source.words,
            size=source.size,
            bold=source.bold,
            italic=source.italic,
            **fields,
        )

    def _opens(self, prev: TextRow | None, row: TextRow) -> bool:
        """A paragraph break above ``row`` (the line before it in reading order is ``prev``).

        A white gap taller than a paragraph gap, or a line that is not below the one before it; but
        loosely spaced display lines (a title over several bold or large lines) stay one block.
        """
        if prev is None:
            return True
        gap = row.top - prev.bottom
        if gap < -THIN or prev.x1 < row.x0 or row.x1 < prev.x0:
            return True
        if gap <= self.paragraph * row.size:
            return False
        display = row.bold or row.italic or row.size >= DISPLAY_SIZE * self.body_size
        same = (prev.bold, prev.italic, prev.size) == (row.bold, row.italic, row.size)
        return not (display and same and gap <= FRAGMENT_GAP * row.size)

    def _table_lines(self, table: Table, page: int) -> list[Line]:
        lines = [
            self._line(part, page, furniture="table-header", column=table.columns[k].role, blank_before=True)
            for k, part in sorted(table.header, key=lambda item: (item[0], item[1].top))
        ]
        for trow in table.rows:
            if not (trow.continued and self.row_id):
                self.row_id += 1
            for role, parts in table.cells_in_order(trow):
                prev: TextRow | None = None
                for part in parts:
                    lines.append(self._line(part, page, column=role, row=self.row_id, blank_before=self._opens(prev, part)))
                    prev = part
        return lines

    def page_lines(self, page: _Page, previous: Table | None) -> tuple[list[Line], Table | None]:
        """The page's lines in reading order, and its last table when the page ends inside it."""
        rows = page.rows
        top = footnote_top(rows, page.rulings, self.body_size, page.height, self.note_number)
        content = [r for r in rows if top is None or r.top < top]
        notes = [r for r in rows if top is not None and r.top >= top]
        tables = self.tables.read(content, page.rulings, previous)
        furniture = sorted(page.furniture, key=lambda item: (item[1].top, item[1].x0))
        middle = page.height / 2
        lines = [self._line(r, page.number, furniture=k) for k, r in furniture if r.top < middle]
        start = 0
        prev: TextRow | None = None
        for table in [*tables, None]:
            stop = table.used.start if table is not None else len(content)
            for block in _xy_cut(_fragments(content[start:stop])) if stop > start else []:
                for row in _block_rows(block):
                    blank = self._opens(prev, row) if prev is not None or start else False
                    lines.append(self._line(row, page.number, blank_before=blank))
                    prev = row
            if table is not None:
                lines.extend(self._table_lines(table, page.number))
                start, prev = table.used.stop, None
        lines += [
            self._line(r, page.number, furniture="footnote", blank_before=opens_note(r, self.note_number)) for r in notes
        ]
        lines += [self._line(r, page.number, furniture=k) for k, r in furniture if r.top >= middle]
        return lines, (tables[-1] if tables and tables[-1].open_end else None)


def read_pdf(path: str, data: bytes, options: ReadOptions, rules: Rules | None = None) -> LayoutDocument:
    """Read a PDF into the layout model (see the module docstring)."""
    if options.engine not in ENGINES:
        raise SourceError(path, f"unsupported PDF engine {options.engine!r} (one of: {', '.join(ENGINES)})")
    check_pdf(path, data, options.password, options.max_pages)
    raw_pages: Engine = import_module(ENGINES[options.engine]).raw_pages
    pages: Iterable[RawPage] = raw_pages(path, data, options)
    rules = rules or load_rules()
    recognised: list[int] = []
    if options.ocr != "never":
        from .ocr import recognise

        pages, recognised = recognise(path, data, list(pages), options, rules)
    sha256 = hashlib.sha256(data).hexdigest()
    return read_pages(
        path, pages, rules, sha256=sha256, engine=options.engine, ocr_pages=recognised, no_text=NO_TEXT[options.ocr]
    )


def read_pages(
    path: str,
    raw_pages: Iterable[RawPage],
    rules: Rules,
    *,
    sha256: str,
    source_format: str = "pdf",
    engine: str | None = None,
    encoding: str | None = None,
    warnings: Iterable[Warning] = (),
    ocr_pages: list[int] | None = None,
    no_text: str = NO_TEXT["never"],
) -> LayoutDocument:
    """Pages of placed words and rules into the layout model: rows, furniture, footnotes, tables and
    reading order, the document text being the lines in that order. ``warnings``: the source's own,
    listed before the reader's; ``ocr_pages``: the pages whose words were recognised by OCR;
    ``no_text``: the reason a source without any text fails with, when OCR recognised no page."""
    glyphs = Glyphs(rules.glyphs)
    marker = re.compile(rules.layout.footnote_number_pattern)
    pages: list[_Page] = []
    for raw in raw_pages:
        words = _drawn_bullets([w for w in map(glyphs.word, raw.words) if w is not None], raw.marks)
        rows = [_drop_markers(row, marker) for row in _rows(words)]
        pages.append(_Page(raw.number, raw.width, raw.height, rows, _rulings(raw)))
    if not any(page.rows for page in pages):
        raise SourceError(path, NO_TEXT_RECOGNISED if ocr_pages else no_text)
    reader = _Reader(rules, pages)
    reader.mark_furniture()
    out: list[Page] = []
    texts: list[str] = []
    offset = index = 0
    previous: Table | None = None
    for page in pages:
        lines, previous = reader.page_lines(page, previous)
        for line in lines:
            line.start, line.index = offset, index
            offset += len(line.text) + 1
            index += 1
        if not lines:
            offset += 1
        texts.append("\n".join(line.text for line in lines))
        out.append(Page(page.number, lines, page.width, page.height, page.rulings))
    unknown = [
        Warning(
            code="unknown-glyph",
            message=f"glyph (cid:{code}) is not in glyphs.json ({count}x); printed as U+FFFD",
            where=path,
        )
        for code, count in sorted(glyphs.unknown.items(), key=lambda item: int(item[0]))
    ]
    if glyphs.surrogates:
        unknown.append(surrogate_warning(path, glyphs.surrogates))
    return LayoutDocument(
        path=path,
        format=source_format,
        sha256=sha256,
        text="\f".join(texts),
        pages=out,
        encoding=encoding,
        engine=engine,
        warnings=[*warnings, *unknown],
        ocr_pages=ocr_pages or [],
    )
