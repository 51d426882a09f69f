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

import numpy as np
import pypdfium2
import pypdfium2.raw as pdfium
from numpy.typing import NDArray
from PIL import ImageFilter

from ..errors import SourceError
from . import ReadOptions
from .raw import RawPage, RawWord
from .tsv import raw_words, sized

TESSERACT = "tesseract"
INSTALL = "apt-get install tesseract-ocr"
LAYER_LETTERS = 20  # a text layer with fewer letters than this is not usable ...
IMAGE_COVER = 0.5  # ... on a page whose images cover this share of it
DPI_RANGE = (200, 300)
DEFAULT_DPI = 300  # a page without images (``always``)
POINTS = 72.0  # per inch
NOISY = 3.0  # grey levels: an image noisier than this (a clean rendering: under 2) ...
SMOOTH = 1.0  # ... is smoothed by a Gaussian of this radius (pixels) before Tesseract reads it
IMAGE_DEPTH = 3  # image objects are looked for this deep in form XObjects


@dataclass(slots=True)
class _Run:
    number: int
    dpi: int
    pixels: NDArray[np.uint8]  # the image, grey levels
    process: subprocess.Popen[bytes]
    base: Path


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


def noise(pixels: NDArray[np.uint8]) -> float:
    """The standard deviation of the image's noise in grey levels (Immerkær's estimate: the mean
    response to a Laplacian difference kernel that cancels edges and ramps)."""
    a = pixels.astype(np.float32)
    mask = (
        a[:-2, :-2] - 2 * a[:-2, 1:-1] + a[:-2, 2:]
        - 2 * a[1:-1, :-2] + 4 * a[1:-1, 1:-1] - 2 * a[1:-1, 2:]
        + a[2:, :-2] - 2 * a[2:, 1:-1] + a[2:, 2:]
    )  # fmt: skip
    return float(np.sqrt(np.pi / 2) * np.abs(mask).mean() / 6)


def _start(pdf: pypdfium2.PdfDocument, number: int, dpi: int, folder: str, languages: str) -> _Run:
    """Render page ``number`` and start Tesseract on it."""
    page = pdf[number - 1]
    try:
        image = page.render(scale=dpi / POINTS, grayscale=True).to_pil().convert("L")
    finally:
        page.close()
    pixels = np.asarray(image)
    base = Path(folder) / f"page-{number}"
    (image.filter(ImageFilter.GaussianBlur(SMOOTH)) if noise(pixels) > NOISY else image).save(base.with_suffix(".pgm"))
    command = [TESSERACT, str(base.with_suffix(".pgm")), str(base), "--dpi", str(dpi), "-l", languages, "tsv"]
    with open(base.with_suffix(".log"), "wb") as log:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env={**os.environ, "OMP_THREAD_LIMIT": "1"}
        )
    return _Run(number, dpi, pixels, process, base)


def _finish(path: str, run: _Run) -> list[RawWord]:
    """The words Tesseract found on the page of ``run``, in points."""
    if run.process.wait() != 0:
        said = _said(run.base) or f"tesseract exit status {run.process.returncode}"
        raise SourceError(path, f"OCR failed on page {run.number}: {said}")
    tsv = run.base.with_suffix(".tsv").read_text(encoding="utf-8", errors="replace")
    return raw_words(tsv, run.pixels, POINTS / run.dpi)


def _said(base: Path) -> str:
    """The last line Tesseract printed for a page."""
    lines = base.with_suffix(".log").read_text(encoding="utf-8", errors="replace").strip().splitlines()
    return lines[-1].strip() if lines else ""


def _read(path: str, pdf: pypdfium2.PdfDocument, plans: dict[int, int], options: ReadOptions) -> dict[int, list[RawWord]]:
    """Each planned page's words (``plans``: page number -> resolution), ``ocr_jobs`` pages at a time."""
    jobs = options.ocr_jobs or len(os.sched_getaffinity(0))
    found: dict[int, list[RawWord]] = {}
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


def recognise(path: str, data: bytes, pages: list[RawPage], options: ReadOptions) -> tuple[list[RawPage], list[int]]:
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
    words = dict(zip(numbers, sized([found[n] for n in numbers]), strict=True))
    return [replace(p, words=words[p.number], marks=[]) if p.number in words else p for p in pages], numbers
