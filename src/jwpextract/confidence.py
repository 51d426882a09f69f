"""Warnings on the words OCR recognised with low confidence, left on the elements that hold them.

A word with a letter or a digit that Tesseract recognised with a confidence under
``LOW_CONFIDENCE`` (of 0-100) is doubtful. Each element holding doubtful words (an activity, a
cover-note paragraph, a section, an introduction paragraph, a footnote: the narrowest whose
provenance spans the word) gets one warning ``ocr-low-confidence`` (``where``: its id) listing
them with their page and confidence; doubtful words outside every element (the letterhead, page
furniture) get one on the source (``where``: its path).
"""

from __future__ import annotations

from collections.abc import Iterator

from .layout import LayoutDocument
from .models import CanonicalDocument, Provenance, Warning

LOW_CONFIDENCE = 60.0
LISTED = 5  # words named in a warning; the rest are counted
CODE = "ocr-low-confidence"

Doubt = tuple[int, int, str, float]  # offset in the document text, page, word, confidence


def _doubtful(layout: LayoutDocument) -> Iterator[Doubt]:
    for line in layout.lines():
        cursor = 0
        for word in line.words:
            at = line.text.find(word.text, cursor)
            cursor = at + len(word.text) if at >= 0 else cursor
            low = word.confidence is not None and word.confidence < LOW_CONFIDENCE
            if low and word.confidence is not None and any(c.isalnum() for c in word.text):
                yield line.start + max(at, 0), line.page, word.text, word.confidence


def _elements(doc: CanonicalDocument) -> list[tuple[str, Provenance]]:
    """Every element that holds text, by the id warnings name it with, and its provenance."""
    held: list[tuple[str, Provenance | None]] = [(a.id, a.provenance) for a in doc.activities()]
    held += [(f"paragraph:{p.number}", p.provenance) for p in doc.paragraphs]
    for decision in doc.decisions:
        held.append((decision.id, decision.provenance))
        held += [(f"{decision.id}/paragraph:{p.number}", p.provenance) for p in decision.paragraphs]
    for k, plan in enumerate(doc.plans):
        prefix = f"{plan.id}/" if k else ""
        held += [(f"{prefix}section:{s.number}", s.provenance) for s in plan.sections]
        held += [(f"{prefix}intro:{i.number}", i.provenance) for i in plan.intro]
    held += [(t.id, t.provenance) for t in doc.tables]
    held += [(f"footnote:{f.number}", f.provenance) for f in doc.footnotes]
    return [(where, p) for where, p in held if p is not None]


def _message(doubts: list[Doubt]) -> str:
    listed = ", ".join(f"{text!r} (page {page}, {confidence:.0f})" for _, page, text, confidence in doubts[:LISTED])
    more = f" and {len(doubts) - LISTED} more" if len(doubts) > LISTED else ""
    noun = "word" if len(doubts) == 1 else "words"
    return f"{len(doubts)} {noun} recognised by OCR with low confidence (under {LOW_CONFIDENCE:.0f}): {listed}{more}"


def low_confidence_warnings(layout: LayoutDocument, plan: CanonicalDocument) -> list[Warning]:
    """The warnings on the plan's elements that hold doubtful words (see the module docstring)."""
    elements = _elements(plan)
    held: dict[str, list[Doubt]] = {}
    for doubt in _doubtful(layout):
        spans = [(p.end - p.start, where) for where, p in elements if p.start <= doubt[0] < p.end]
        held.setdefault(min(spans)[1] if spans else layout.path, []).append(doubt)
    return [Warning(code=CODE, message=_message(doubts), where=where) for where, doubts in held.items()]
