"""A page image made ready for OCR: levelled, its rules found and taken out, smoothed when noisy.

Skew: the angle that makes the image's rows of ink sharpest (the sum of the squared ink of each row,
highest when text lines are level); the image is turned back by it.

Rules: runs of ink at least ``RULE_LENGTH`` long, along rows (horizontal) or columns (vertical), in
adjacent rows (columns) overlapping, are a rule when the band they make is at most ``RULE_WIDTH``
thick, with paper beside it (see :func:`_bands`). Tesseract reads the image without them (a rule
touching a line of text garbles it); the table reader gets them as a text layer's ruling lines.

Noise: the standard deviation of the image's noise by Immerkær's estimate (the mean response to a
Laplacian difference kernel that cancels edges and ramps); an image noisier than ``NOISY`` is
smoothed by a Gaussian before Tesseract binarizes it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageFilter

from .raw import Box

INK = 128  # a grey level under this is ink
RULE_INK = 200  # a grey level under this is ink of a rule (rules may be printed grey)
RULE_MARGIN = 2  # pixels: the rows this far above and below a rule ...
RULE_CLEAR = 0.8  # ... are at least this share paper
RULE_SOLID = 0.85  # a rule's darkest row is ink along at least this share of it
RULE_LENGTH = 0.5  # inches: a rule is at least this long ...
RULE_WIDTH = 0.03  # ... and at most this thick
SKEW_RANGE = 5.0  # degrees: a page is skewed by at most this much either way ...
SKEW_STEPS = (0.5, 0.1)  # ... searched in these steps
NOISY = 3.0  # grey levels: an image noisier than this (a clean rendering: under 2) ...
SMOOTH = 1.0  # ... is smoothed by a Gaussian of this radius (pixels)
STACK_PAD = 24  # pixels of paper around a word read again
Pixels = NDArray[np.uint8]


@dataclass(frozen=True, slots=True)
class Scan:
    pixels: Pixels  # the page levelled: the words' ink is measured on it
    ocr: Image.Image  # what Tesseract reads: levelled, without rules, smoothed when noisy
    rules: list[Box]  # pixels: (x0, top, x1, bottom), a horizontal one with top == bottom, a vertical one x0 == x1


def _sharpness(xs: NDArray[np.float64], ys: NDArray[np.float64], angle: float) -> float:
    """The sum of the squared counts of ink per row once the ink is turned by ``angle`` (degrees,
    counter-clockwise; small angles: a shear)."""
    rows = np.floor(ys - xs * np.tan(np.radians(angle))).astype(np.int64)
    counts = np.bincount(rows - rows.min())
    return float((counts.astype(np.float64) ** 2).sum())


def skew(image: Image.Image) -> float:
    """The angle (degrees, counter-clockwise) that levels the image's lines of text: searched in coarse
    steps, then in fine ones about the best, on the ink of the half-size image."""
    ys, xs = np.nonzero(np.asarray(image.reduce(2)) < INK)
    if not len(xs):
        return 0.0
    x, y = xs.astype(np.float64), ys.astype(np.float64)
    coarse, fine = SKEW_STEPS
    best = max(np.arange(-SKEW_RANGE, SKEW_RANGE + coarse / 2, coarse), key=lambda a: _sharpness(x, y, a))
    return float(max(np.arange(best - coarse, best + coarse + fine / 2, fine), key=lambda a: _sharpness(x, y, a)))


def noise(pixels: Pixels) -> float:
    """The standard deviation of the image's noise, in grey levels (see the module docstring)."""
    a = pixels.astype(np.float32)
    response = (
        a[:-2, :-2] - 2 * a[:-2, 1:-1] + a[:-2, 2:]
        - 2 * a[1:-1, :-2] + 4 * a[1:-1, 1:-1] - 2 * a[1:-1, 2:]
        + a[2:, :-2] - 2 * a[2:, 1:-1] + a[2:, 2:]
    )  # fmt: skip
    return float(np.sqrt(np.pi / 2) * np.abs(response).mean() / 6)


def _rule_ink(pixels: Pixels) -> NDArray[np.bool_]:
    """Where a horizontal rule may be: ink in either of two adjacent rows (a thin rule may fall between
    two), gaps of up to two pixels along a row closed (noise breaks a grey rule)."""
    ink = np.minimum(pixels[:-1], pixels[1:]) < RULE_INK
    left = np.pad(ink[:, :-1], ((0, 0), (1, 0))) | np.pad(ink[:, :-2], ((0, 0), (2, 0)))
    right = np.pad(ink[:, 1:], ((0, 0), (0, 1))) | np.pad(ink[:, 2:], ((0, 0), (0, 2)))
    return ink | (left & right)


def _solid(pixels: Pixels, first: int, last: int, x0: int, x1: int) -> bool:
    """Whether a row of the band is ink along at least ``RULE_SOLID`` of it (a line of small print,
    its letters' gaps closed, is not)."""
    return float((pixels[first : last + 2, x0:x1] < RULE_INK).mean(axis=1).max()) >= RULE_SOLID


def _clear(pixels: Pixels, row: int, x0: int, x1: int) -> bool:
    """Whether the stretch of row ``row`` is mostly paper (outside the image: yes)."""
    if not 0 <= row < len(pixels):
        return True
    return float((pixels[row, x0:x1] >= RULE_INK).mean()) >= RULE_CLEAR


def _bands(pixels: Pixels, length: int, width: int) -> list[tuple[int, int, int, int]]:
    """Horizontal rules: (first row, last row, x0, x1) of each band of long runs of rule ink, thin,
    solid, with paper above and below it (a row of serifs along a line of text has the letters above)."""
    edges = np.diff(np.pad(_rule_ink(pixels).astype(np.int8), ((0, 0), (1, 1))), axis=1)
    rows, starts = np.nonzero(edges == 1)
    ends = np.nonzero(edges == -1)[1]
    long = ends - starts >= length
    bands: list[list[int]] = []  # first row, last row, x0, x1
    for row, x0, x1 in zip(rows[long].tolist(), starts[long].tolist(), ends[long].tolist(), strict=True):
        band = next((b for b in reversed(bands) if b[1] >= row - 1 and x0 < b[3] and b[2] < x1), None)
        if band is None:
            bands.append([row, row, x0, x1])
        else:
            band[1], band[2], band[3] = row, min(band[2], x0), max(band[3], x1)
    return [
        (a, b, x0, x1)
        for a, b, x0, x1 in bands
        if b - a < width
        and _solid(pixels, a, b, x0, x1)
        and _clear(pixels, a - RULE_MARGIN, x0, x1)
        and _clear(pixels, b + 1 + RULE_MARGIN, x0, x1)
    ]


def prepared(image: Image.Image, dpi: int) -> Scan:
    """The page image (grey, ``dpi``) levelled, its rules found and taken out of what Tesseract reads."""
    image = image.rotate(skew(image), resample=Image.BICUBIC, fillcolor=255)
    pixels = np.asarray(image)
    length, width = round(RULE_LENGTH * dpi), max(1, round(RULE_WIDTH * dpi))
    clean = pixels.copy()
    rules: list[Box] = []
    for first, last, x0, x1 in _bands(pixels, length, width):
        clean[max(0, first - 1) : last + 2, x0:x1] = 255
        rules.append((x0, (first + last + 1) / 2, x1, (first + last + 1) / 2))
    for first, last, y0, y1 in _bands(pixels.T, length, width):
        clean[y0:y1, max(0, first - 1) : last + 2] = 255
        rules.append(((first + last + 1) / 2, y0, (first + last + 1) / 2, y1))
    ocr = Image.fromarray(clean)
    if noise(pixels) > NOISY:
        ocr = ocr.filter(ImageFilter.GaussianBlur(SMOOTH))
    return Scan(pixels, ocr, rules)


def stack(image: Image.Image, boxes: list[Box]) -> tuple[Image.Image, list[tuple[int, int]]]:
    """The boxes of ``image`` (pixels) one under another on paper, each alone (the ink beside it left
    out), ``STACK_PAD`` pixels of paper around each; and where each box's top-left corner went."""
    crops = [image.crop((round(x0), round(top), round(x1), round(bottom))) for x0, top, x1, bottom in boxes]
    width = max(c.width for c in crops) + 2 * STACK_PAD
    height = sum(c.height for c in crops) + STACK_PAD * (len(crops) + 1)
    paper = Image.new("L", (width, height), 255)
    corners: list[tuple[int, int]] = []
    y = STACK_PAD
    for crop in crops:
        paper.paste(crop, (STACK_PAD, y))
        corners.append((STACK_PAD, y))
        y += crop.height + STACK_PAD
    return paper, corners
