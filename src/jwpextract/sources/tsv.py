"""Tesseract's TSV output to placed words: boxes in points, sizes from word heights, level lines.

Tesseract (``tesseract IMAGE OUT tsv``) prints a header row, then a row per page, block, paragraph,
line and word (``level`` 1 to 5): the numbers of each, the box in pixels (left, top, width,
height), a confidence (0-100 for a word, -1 otherwise) and a word's text. Rows of level 5 are the
words; (block, paragraph, line) is the line a word belongs to.

A word's box is the tight box of its ink, so its height depends on its letters: from the top of
a capital or an ascender (or of an x-height letter, for words without either) to the baseline or
to the bottom of a descender. From the letters, the share of the em the ink spans; from that and
the height, the font size. A line's words share its size and its baseline (the median of its
words'), except raised smaller words (note markers) that keep their own; every word then spans
the font's em as a text layer's word does, its bottom a descent below its baseline.

Bullets: a printed bullet reads as another character (Tesseract's '¢', 'e', '«', ...); a
one-character word of a bullet's shape (a small blob about as wide as tall, above the baseline
below the x-height's top) prints as "•". Words without a letter or digit under ``JUNK_CONFIDENCE``
are specks, and words of bars only ("|", "_") stretches of rules: both are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from statistics import median

import numpy as np
from numpy.typing import NDArray

from .raw import RawWord

LEVEL_WORD = "5"
COLUMNS = 12  # level page block par line word left top width height conf text
TALL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789bdfhijklt!?/\\'\"()[]{}%#&@$|")
DEEP = frozenset("gjpqyQ(),;[]{}|@")
ASCENT = 0.75  # em: the top of a capital or an ascender above the baseline ...
X_HEIGHT = 0.56  # ... of an x-height letter ...
DESCENT = 0.21  # ... and the bottom of a descender below it
SAME_SIZE = 1.25  # words of one run are at most this much larger or smaller than its first ...
SAME_BASELINE = 0.3  # ... and their baselines this share of its size apart
SHORT = 2  # a word of this many letters and digits may measure smaller than its run
SIZE_STEP = 0.06  # measured sizes this much apart are one size
DARK = 170  # a grey level under this is ink (anti-aliased edges of thin strokes included) ...
STEM_DARK = 128  # ... and under this, the width of a stroke
ROW_GAP = 0.2  # rows of ink this share of a word's box height apart are one block
MIN_SIZE = 3.0  # points: a word measured smaller is a speck
BULLET_SIDES = (0.2, 0.45)  # em: a bullet's ink is between these wide and tall ...
BULLET_CENTRE = (0.15, 0.5)  # ... its centre this high above the baseline
BULLET = "•"
BOLD_STROKE = 0.12  # em: a bold stem is wider than this (regular ones: 0.08 to 0.1; bold: 0.13 to 0.16)
REGULAR, BOLD = "OCR", "OCR-Bold"  # font names (rules/glyphs.json's bold_font_pattern finds "Bold")
JUNK_CONFIDENCE = 50.0
RULE_BARS = "|_"


@dataclass(frozen=True, slots=True)
class Ink:
    """A recognised word as Tesseract boxes it, in pixels."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float
    line: tuple[str, str, str]  # block, paragraph, line
    stroke: float = 0.0  # pixels: the median length of its ink's horizontal runs (a stem's width)

    @property
    def measured(self) -> bool:
        """Whether its height tells its size (it holds a letter or a digit)."""
        return any(c.isalnum() for c in self.text)

    @property
    def tall(self) -> bool:
        """Whether it holds a capital, a digit or an ascender."""
        return any(c in TALL for c in self.text)

    @property
    def deep(self) -> bool:
        """Whether it holds a descender."""
        return any(c in DEEP for c in self.text)

    @property
    def extent(self) -> float:
        """The share of the em its ink spans, by its letters."""
        return (ASCENT if self.tall else X_HEIGHT) + (DESCENT if self.deep else 0.0)

    @property
    def size(self) -> float:
        return (self.bottom - self.top) / self.extent

    def baseline(self, size: float) -> float:
        return self.bottom - (DESCENT * size if self.deep else 0.0)


def parse(tsv: str) -> list[Ink]:
    """The words of Tesseract's TSV output, in its order (blank words left out)."""
    words: list[Ink] = []
    for row in tsv.splitlines()[1:]:
        fields = row.split("\t", COLUMNS - 1)
        if len(fields) < COLUMNS or fields[0] != LEVEL_WORD or not fields[11].strip():
            continue
        left, top, width, height = (float(v) for v in fields[6:10])
        line = (fields[2], fields[3], fields[4])
        words.append(Ink(fields[11].strip(), left, top, left + width, top + height, float(fields[10]), line))
    return words


def _moved(word: Ink, dx: float, dy: float, line: tuple[str, str, str]) -> Ink:
    return replace(word, x0=word.x0 + dx, top=word.top + dy, x1=word.x1 + dx, bottom=word.bottom + dy, line=line)


def doubtful(words: list[Ink], confidence: float) -> list[list[Ink]]:
    """The words recognised with less than ``confidence``, in groups to read again together: those
    next to each other on a line (a gap narrower than their height) make one group."""
    groups: list[list[Ink]] = []
    previous: Ink | None = None
    for word in words:
        if word.measured and word.confidence < confidence:
            last = groups[-1][-1] if groups else None
            beside = last is previous and last is not None and last.line == word.line
            if beside and last is not None and word.x0 - last.x1 < min(word.bottom - word.top, last.bottom - last.top):
                groups[-1].append(word)
            else:
                groups.append([word])
        previous = word
    return groups


def box(group: list[Ink]) -> tuple[float, float, float, float]:
    return min(w.x0 for w in group), min(w.top for w in group), max(w.x1 for w in group), max(w.bottom for w in group)


def looked_again(words: list[Ink], groups: list[list[Ink]], again: list[Ink], corners: list[tuple[int, int]]) -> list[Ink]:
    """The words with each group of doubtful ones replaced by what a second reading found in its box
    (``again``: the words read on the groups' boxes stacked, ``corners``: where each box's top-left
    corner went) when that reading is surer; the new words belong to the group's line."""
    boxes = [box(group) for group in groups]
    spans = [(top, top + b[3] - b[1]) for b, (_, top) in zip(boxes, corners, strict=True)]
    found: list[list[Ink]] = [[] for _ in groups]
    for word in again:
        middle = (word.top + word.bottom) / 2
        found[min(range(len(spans)), key=lambda k: max(spans[k][0] - middle, middle - spans[k][1], 0.0))].append(word)
    better: dict[int, list[Ink]] = {}
    for group, b, new, (left, top) in zip(groups, boxes, found, corners, strict=True):
        if new and _mean_confidence(new) > _mean_confidence(group):
            better[id(group[0])] = [_moved(w, b[0] - left, b[1] - top, group[0].line) for w in new]
            better.update((id(w), []) for w in group[1:])
    return [n for w in words for n in better.get(id(w), [w])]


def _mean_confidence(words: list[Ink]) -> float:
    return sum(w.confidence for w in words) / len(words)


def _lines(words: list[Ink]) -> list[list[Ink]]:
    lines: dict[tuple[str, str, str], list[Ink]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    return list(lines.values())


def _body(ink: NDArray[np.bool_]) -> tuple[int, int] | None:
    """The rows of a word's box that hold its ink: the block of inked rows (gaps of up to ``ROW_GAP``
    of the box's height bridged: an i and its dot) holding the most ink; a speck above or below
    stays out."""
    counts = ink.sum(axis=1)
    rows = np.flatnonzero(counts)
    if not rows.size:
        return None
    breaks = np.flatnonzero(np.diff(rows) > ROW_GAP * len(counts) + 1)
    starts, ends = np.r_[rows[0], rows[breaks + 1]], np.r_[rows[breaks], rows[-1]]
    best = max(range(len(starts)), key=lambda k: counts[starts[k] : ends[k] + 1].sum())
    return int(starts[best]), int(ends[best])


def inked(words: list[Ink], pixels: NDArray[np.uint8]) -> list[Ink]:
    """The words with their boxes' tops and bottoms moved to their ink (a word's box may take in
    its line's, or specks) and their strokes measured."""
    inked: list[Ink] = []
    for w in words:
        top, left = int(w.top), int(w.x0)
        grey = pixels[top : int(w.bottom) + 1, left : int(w.x1) + 1]
        body = _body(grey < DARK)
        if body is None:
            inked.append(w)
            continue
        first, last = body
        stems = grey[first : last + 1] < STEM_DARK
        edges = np.diff(np.pad(stems.astype(np.int8), ((0, 0), (1, 1))), axis=1).ravel()
        runs = np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)
        inked.append(replace(w, top=top + first, bottom=top + last + 1, stroke=float(np.median(runs))))
    return inked


def _fits(word: Ink, run: Ink) -> bool:
    """Whether ``word`` is printed as the first word of ``run`` is: on its baseline, of its size (a
    word of a character or two may measure smaller: a broken glyph; it is not larger)."""
    size = run.size
    if abs(word.baseline(size) - run.baseline(size)) > SAME_BASELINE * size or word.size > SAME_SIZE * size:
        return False
    return sum(c.isalnum() for c in word.text) <= SHORT or word.size >= size / SAME_SIZE


def _runs(line: list[Ink]) -> list[list[Ink]]:
    """A line's words by print: of one size on one baseline (:func:`_fits` its first, longest word:
    long words measure surest); a word without letters or digits joins the run beside which it
    stands. Tesseract's line may hold text of several sizes and lines (a letterhead)."""
    runs: list[list[Ink]] = []
    for word in sorted((w for w in line if w.measured), key=lambda w: -len(w.text)):
        run = next((run for run in runs if _fits(word, run[0])), None)
        if run is None:
            runs.append([word])
        else:
            run.append(word)
    for word in (w for w in line if not w.measured):
        middle = (word.top + word.bottom) / 2
        beside = [run for run in runs if run[0].top <= middle <= run[0].bottom] or runs
        if beside:
            min(beside, key=lambda run: min(abs(w.x0 - word.x1) + abs(word.x0 - w.x1) for w in run)).append(word)
    return runs


def _bullet(word: Ink, size: float, baseline: float) -> bool:
    """Whether the word is one character of a bullet's shape on a line of ``size`` and ``baseline``."""
    low, high = BULLET_SIDES
    width, height = (word.x1 - word.x0) / size, (word.bottom - word.top) / size
    rise = (baseline - (word.top + word.bottom) / 2) / size
    shaped = low <= width <= high and low <= height <= high
    return len(word.text) == 1 and shaped and BULLET_CENTRE[0] <= rise <= BULLET_CENTRE[1]


def _kept(word: Ink, scale: float) -> bool:
    """Whether the word is print: a word with letters or digits of a readable size, or a sure mark
    (not a bar: Tesseract's reading of a stretch of rule)."""
    if not word.text.strip(RULE_BARS):
        return False
    if word.measured:
        return word.size * scale >= MIN_SIZE
    return word.confidence >= JUNK_CONFIDENCE


def _placed(run: list[Ink], scale: float) -> list[RawWord]:
    """The run's words in points (``scale``: points per pixel), on its size and baseline."""
    measured = [w for w in run if w.measured]
    size = median(w.size for w in [w for w in measured if w.tall] or measured)
    baseline = median(w.baseline(size) for w in measured)
    bottom = (baseline + DESCENT * size) * scale
    top = bottom - size * scale
    placed: list[RawWord] = []
    for word in run:
        bullet = _bullet(word, size, baseline)
        if bullet or _kept(word, scale):
            font = BOLD if word.measured and word.stroke > BOLD_STROKE * size else REGULAR
            text = BULLET if bullet else word.text
            placed.append(RawWord(text, word.x0 * scale, top, word.x1 * scale, bottom, font, size * scale, word.confidence))
    return placed


def raw_words(words: list[Ink], pixels: NDArray[np.uint8], scale: float) -> list[RawWord]:
    """A page's words (of its TSV output) in points (``scale``: points per pixel), placed (see the
    module docstring); ``pixels``: the page's image (grey levels)."""
    words = inked(words, pixels)
    return [placed for line in _lines(words) for run in _runs(line) for placed in _placed(run, scale)]


def sized(pages: list[list[RawWord]]) -> list[list[RawWord]]:
    """The pages' words with their sizes snapped to the document's: sizes within ``SIZE_STEP`` of the
    smallest of a class are one size, the one most of their characters have (measured sizes scatter
    by a few hundredths; a text layer's are exact, and later stages compare them)."""
    weights: dict[float, int] = {}
    for word in (w for page in pages for w in page):
        weights[word.size] = weights.get(word.size, 0) + len(word.text)
    classes: list[list[float]] = []
    for size in sorted(weights):
        if classes and size <= classes[-1][0] * (1 + SIZE_STEP):
            classes[-1].append(size)
        else:
            classes.append([size])
    snapped = {size: max(group, key=lambda s: weights[s]) for group in classes for size in group}
    return [[_resized(w, snapped[w.size]) for w in page] for page in pages]


def _resized(word: RawWord, size: float) -> RawWord:
    if size == word.size:
        return word
    bottom = word.bottom + DESCENT * (size - word.size)  # on the same baseline
    return replace(word, top=bottom - size, bottom=bottom, size=size)
