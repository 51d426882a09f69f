"""OCR: the pages of a PDF without a usable text layer, read by Tesseract into the engine's pages.

Which pages (``ReadOptions.ocr``). ``auto``: a page whose text layer holds fewer than
``LAYER_LETTERS`` letters and whose images cover at least ``IMAGE_COVER`` of it (a scan; not a blank
page, not a drawing); ``always``: every page, its text layer ignored; ``never``: none.

How. Each page is rendered by PDFium in grey at the resolution of its largest image, kept within
``DPI_RANGE`` (a page scanned at 600 dpi is read at 300, one at 100 dpi at 200; a page without
images at 300), written to a temporary PNM file and read by the ``tesseract`` command in the
languages ``ReadOptions.ocr_lang`` (TSV output, placed by :mod:`.tsv`). Up to
``ReadOptions.ocr_jobs`` pages are read at a time, each Tesseract on one thread
(``OMP_THREAD_LIMIT=1``), while the next page renders. Whatever ends the read early (an error, the
batch's time limit, SIGTERM) kills the Tesseracts still running. A recognised page keeps the
engine's rulings (vector rules are exact) and its size; its words are Tesseract's, with their
confidences.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections import deque
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium
from PIL import Image

from ..errors import SourceError
from ..rules import Rules
from . import ReadOptions
from .misreadings import agreed_margins, numerals, symbols
from .raw import Box, RawPage, RawWord
from .scan import Scan, prepared, stack
from .tsv import Ink, box, doubtful, looked_again, parse, raw_words, sized

TESSERACT = "tesseract"
INSTALL = "apt-get install tesseract-ocr"
LAYER_LETTERS = 20  # a text layer with fewer letters than this is not usable ...
IMAGE_COVER = 0.5  # ... on a page whose images cover this share of it
DPI_RANGE = (200, 300)
DEFAULT_DPI = 300  # a page without images (``always``)
POINTS = 72.0  # per inch
PAGE_LAYOUT = "3"  # Tesseract's page segmentation: a page of blocks and columns ...
SPARSE_LAYOUT = "11"  # ... and scattered words: doubtful words, stacked, read again
DOUBTFUL = 60.0  # a word recognised with less confidence is read again on its own
IMAGE_DEPTH = 3  # image objects are looked for this deep in form XObjects
Found = tuple[list[RawWord], list[Box]]  # a page's words and rules


@dataclass(slots=True)
class _Run:
    number: int
    dpi: int
    scan: Scan
    process: subprocess.Popen[bytes]
    base: Path
    languages: str


def _letters(page: RawPage) -> int:
    return sum(c.isalpha() for word in page.words for c in word.text)


def _resolution(page: pypdfium2.PdfPage, mode: str) -> int | None:
    """The resolution to read the page at, or ``None`` when it is not a scan (``auto``)."""
    width, height = page.get_size()
    images = list(page.get_objects(filter=(pdfium.FPDF_PAGEOBJ_IMAGE,), max_depth=IMAGE_DEPTH))
    cover = 0.0
    dpi = 0.0
    for image in images:
        left, bottom, right, top = image.get_bounds()
        area = max(0.0, min(right, width) - max(left, 0.0)) * max(0.0, min(top, height) - max(bottom, 0.0))
        cover += area / (width * height)
        dpi = max(dpi, image.get_metadata().horizontal_dpi)
    if mode == "auto" and cover < IMAGE_COVER:
        return None
    low, high = DPI_RANGE
    return round(min(max(dpi, low), high)) if dpi else DEFAULT_DPI


@cache
def _languages() -> frozenset[str] | None:
    """The languages Tesseract has data for (``None``: Tesseract is not installed)."""
    if shutil.which(TESSERACT) is None:
        return None
    listed = subprocess.run([TESSERACT, "--list-langs"], capture_output=True, text=True, check=False)
    return frozenset(line.strip() for line in listed.stdout.splitlines()[1:] if line.strip())


def _check(path: str, languages: str) -> None:
    installed = _languages()
    if installed is None:
        raise SourceError(path, f"no text layer, and Tesseract (OCR) is not installed: {INSTALL}")
    for language in languages.split("+"):
        if language not in installed:
            raise SourceError(path, f"OCR language {language!r} is not installed: {INSTALL}-{language}")


def _start(pdf: pypdfium2.PdfDocument, number: int, dpi: int, folder: str, languages: str) -> _Run:
    """Render page ``number`` and start Tesseract on it."""
    page = pdf[number - 1]
    try:
        scan = prepared(page.render(scale=dpi / POINTS, grayscale=True).to_pil().convert("L"), dpi)
    finally:
        page.close()
    base = Path(folder) / f"page-{number}"
    return _Run(number, dpi, scan, _tesseract(scan.ocr, base, dpi, languages, PAGE_LAYOUT), base, languages)


def _tesseract(image: Image.Image, base: Path, dpi: int, languages: str, layout: str) -> subprocess.Popen[bytes]:
    """Tesseract started on ``image`` (saved as ``base``.pgm), writing ``base``.tsv and ``base``.log."""
    image.save(base.with_suffix(".pgm"))
    image_file = str(base.with_suffix(".pgm"))
    command = [TESSERACT, image_file, str(base), "--dpi", str(dpi), "-l", languages, "--psm", layout, "tsv"]
    with open(base.with_suffix(".log"), "wb") as log:
        return subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env={**os.environ, "OMP_THREAD_LIMIT": "1"}
        )


def _words(path: str, number: int, process: subprocess.Popen[bytes], base: Path) -> list[Ink]:
    """The words of a Tesseract run once it ends (a failed run: a SourceError naming the page)."""
    try:
        status = process.wait()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    if status != 0:
        raise SourceError(path, f"OCR failed on page {number}: {_said(base) or f'tesseract exit status {status}'}")
    return parse(base.with_suffix(".tsv").read_text(encoding="utf-8", errors="replace"))


def _finish(path: str, run: _Run) -> Found:
    """The words Tesseract found on the page of ``run`` (doubtful ones read again on their own, see
    :func:`.tsv.doubtful`) and the page's rules, in points."""
    words = _words(path, run.number, run.process, run.base)
    groups = doubtful(words, DOUBTFUL)
    if groups:
        again = run.base.with_name(f"{run.base.name}-again")
        image, corners = stack(run.scan.ocr, [box(group) for group in groups])
        process = _tesseract(image, again, run.dpi, run.languages, SPARSE_LAYOUT)
        words = looked_again(words, groups, _words(path, run.number, process, again), corners)
    scale = POINTS / run.dpi
    rules = [(x0 * scale, top * scale, x1 * scale, bottom * scale) for x0, top, x1, bottom in run.scan.rules]
    return raw_words(words, run.scan.pixels, scale), rules


def _said(base: Path) -> str:
    """The last line Tesseract printed for a page."""
    lines = base.with_suffix(".log").read_text(encoding="utf-8", errors="replace").strip().splitlines()
    return lines[-1].strip() if lines else ""


def _read(path: str, pdf: pypdfium2.PdfDocument, plans: dict[int, int], options: ReadOptions) -> dict[int, Found]:
    """Each planned page's words and rules (``plans``: page number -> resolution), ``ocr_jobs`` pages at a time."""
    jobs = options.ocr_jobs or len(os.sched_getaffinity(0))
    found: dict[int, Found] = {}
    running: deque[_Run] = deque()
    with tempfile.TemporaryDirectory(prefix="jwpextract-ocr-") as folder:
        try:
            for number, dpi in plans.items():
                if len(running) >= jobs:
                    run = running.popleft()
                    found[run.number] = _finish(path, run)
                running.append(_start(pdf, number, dpi, folder, options.ocr_lang))
            while running:
                run = running.popleft()
                found[run.number] = _finish(path, run)
        finally:
            for run in running:
                run.process.kill()
                run.process.wait()
    return found


def recognise(
    path: str, data: bytes, pages: list[RawPage], options: ReadOptions, rules: Rules
) -> tuple[list[RawPage], list[int]]:
    """The pages with those to recognise (see the module docstring) read by Tesseract, and their numbers."""
    if options.ocr == "never":
        return pages, []
    wanted = [p.number for p in pages if options.ocr == "always" or _letters(p) < LAYER_LETTERS]
    if not wanted:
        return pages, []
    try:
        pdf = pypdfium2.PdfDocument(data, password=options.password)
    except pypdfium2.PdfiumError as exc:
        raise SourceError(path, "truncated or corrupt PDF") from exc
    try:
        plans: dict[int, int] = {}
        for number in wanted:
            page = pdf[number - 1]
            try:
                dpi = _resolution(page, options.ocr)
            finally:
                page.close()
            if dpi is not None:
                plans[number] = dpi
        if not plans:
            return pages, []
        _check(path, options.ocr_lang)
        found = _read(path, pdf, plans, options)
    finally:
        pdf.close()
    numbers = sorted(found)
    heights = {p.number: p.height for p in pages}
    words = sized([found[n][0] for n in numbers])
    words = agreed_margins([(heights[n], w) for n, w in zip(numbers, words, strict=True)], rules.layout.furniture_margin)
    fixed = {n: numerals(symbols(w, rules.conventions.conventions)) for n, w in zip(numbers, words, strict=True)}
    return [_recognised(p, fixed[p.number], found[p.number][1]) if p.number in fixed else p for p in pages], numbers


def _recognised(page: RawPage, words: list[RawWord], rules: list[Box]) -> RawPage:
    """The page with its recognised words, and the rules found on its image unless it has ruling lines
    of its own (exact)."""
    if page.lines or page.rects:
        return replace(page, words=words, marks=[])
    return replace(page, words=words, lines=rules, marks=[])
