"""Which convention a reference belongs to, when the reference does not name it.

A reference's convention is the one named in it; else, for an instrument after a possessive ("its
resolution 72/249"), the convention named right before the possessive ("the CBD in its decision"),
else the document's own; else the nearest convention named before it in its passage (a footnote rule
ends that context: a footnote printed inside a passage is not read in the context of the text above
it); else the document's own; else the nearest named before it in the document, then any named after
it. For an instrument printing no body, a convention named before it in its passage counts only within
``context_reach`` tokens ("CMS Res.8.11 stressed ... In addition, Res.8.2"): a convention named far
before, as the subject, is not the issuer of "resolution 69/292". A reference printing a body takes the
first of these that has the body, else the one convention that has it ("SBSTTA" is the CBD's), else the
one convention whose governing body it is ("General Assembly"). A body's ``context_bodies`` forms ("the
conference") name it only through those candidates, never alone. An instrument printing no body
belongs only to a convention whose governing body has printed forms (UNEP's instruments always name
theirs: "Governing Council decision 25/3").
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

from ..nlp import matches_form
from ..rules import Convention, Rules

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

NAMING_ROLES = ("marker", "prefix", "convention")
"""Roles of tokens that name the convention of the reference they are part of, strongest first."""
CONTEXT_ROLES = ("prefix", "convention")
"""Roles of tokens that name the convention of the bare references after them."""
T = TypeVar("T")

POSSESSOR_REACH = 4
"""Tokens before a possessive in which a convention named is its possessor: "the CBD, in its decision"."""


def body_key(conv: Convention, printed: str, *, in_context: bool = True) -> str | None:
    """The key of the body of ``conv`` printed ``printed``; ``context_bodies`` forms only ``in_context``."""
    bodies = [conv.bodies, conv.context_bodies] if in_context else [conv.bodies]
    return next(
        (key for table in bodies for key, forms in table.items() if any(matches_form(printed, f) for f in forms)), None
    )


def named(tokens: Iterable[Token], roles: Sequence[str]) -> list[Token]:
    return [t for t in tokens if t._.role in roles]


@dataclass
class Named(Generic[T]):
    """Where each of a set of things (conventions, frameworks) is named in the document, by key."""

    offsets: dict[str, list[int]] = field(default_factory=dict)
    """key -> the document offsets where it is named, in order."""
    values: dict[str, T] = field(default_factory=dict)

    def add(self, offset: int, key: str, value: T) -> None:
        insort(self.offsets.setdefault(key, []), offset)
        self.values[key] = value

    def around(self, offset: int) -> tuple[list[T], list[T]]:
        """Those named before ``offset``, nearest first, and those named at or after it, nearest first."""
        earlier: list[tuple[int, str]] = []
        later: list[tuple[int, str]] = []
        for key, offsets in self.offsets.items():
            k = bisect_left(offsets, offset)
            if k:
                earlier.append((offsets[k - 1], key))
            if k < len(offsets):
                later.append((offsets[k], key))
        return [self.values[k] for _, k in sorted(earlier, reverse=True)], [self.values[k] for _, k in sorted(later)]


@dataclass
class Context:
    """The conventions around the references of one parsed passage."""

    rules: Rules
    doc: Doc
    text: str
    origin: Sequence[int]
    own: Convention | None
    naming: list[tuple[int, Convention]]
    """(token index, convention) of the tokens of the passage that name a convention, in order."""
    in_document: Named[Convention] = field(default_factory=Named)
    """The conventions named in the document."""
    breaks: list[int] = field(init=False)
    """Token indices where the context of the passage starts afresh."""

    def __post_init__(self) -> None:
        ends = [m.end() for m in re.finditer(self.rules.references.context_break, self.text)]
        starts = [t.idx for t in self.doc] if ends else []
        self.breaks = sorted({bisect_left(starts, end) for end in ends})

    def since_break(self, i: int) -> int:
        """The token where the context of token ``i`` starts."""
        return self.breaks[bisect_right(self.breaks, i) - 1] if self.breaks and self.breaks[0] <= i else 0

    def before(self, i: int, reach: int | None = None) -> list[Convention]:
        """The conventions named in the passage before token ``i`` since its last break (and within ``reach``
        tokens), nearest first."""
        since = max(self.since_break(i), i - reach if reach is not None else 0)
        return [c for at, c in reversed(self.naming[: bisect_left(self.naming, i, key=lambda n: n[0])]) if at >= since]

    def candidates(self, i: int, reach: int | None = None) -> list[Convention]:
        """Named before token ``i`` in its passage (within ``reach`` tokens), the document's own, named before it
        in the document, after it."""
        offset = self.origin[self.doc[i].idx] if len(self.doc) else 0
        earlier, later = self.in_document.around(offset)
        unique: dict[str, Convention] = {}
        for conv in [*self.before(i, reach), self.own, *earlier, *later]:
            if conv is not None:
                unique.setdefault(conv.key, conv)
        return list(unique.values())

    def possessor(self, i: int) -> Convention | None:
        """The convention a possessive at token ``i`` stands for: named right before it, else the document's."""
        near = [c for at, c in self.naming if max(self.since_break(i), i - POSSESSOR_REACH) <= at < i]
        return near[-1] if near else self.own

    def convention(self, span: Span, body: str | None = None, roles: Sequence[str] = NAMING_ROLES) -> Convention | None:
        """The convention of a reference spanning ``span`` that prints ``body`` (see the module's docstring)."""
        inside = sorted(named(span, roles), key=lambda t: roles.index(t._.role))
        if inside:
            return self.rules.convention(inside[0]._.value)
        start = span.start
        if body is None and start and self.doc[start - 1]._.role == "possessive":
            possessor = self.possessor(start - 1)
            if possessor is not None:
                return possessor
        if body is None:
            candidates = self.candidates(start, self.rules.references.context_reach)
            return next((c for c in candidates if c.governing_body in c.bodies), None)
        return self.owner(body, self.candidates(start))

    def owner(self, body: str, candidates: Sequence[Convention]) -> Convention | None:
        """The convention of a printed ``body``: the first candidate that has it, else the one that has it alone."""
        owners = [c for c in self.rules.conventions.conventions if body_key(c, body)]
        fitting = next((c for c in candidates if c in owners), None)
        if fitting is not None:
            return fitting
        open_owners = [c for c in owners if body_key(c, body, in_context=False)]
        governing = [c for c in open_owners if body_key(c, body, in_context=False) == c.governing_body]
        alone = open_owners if len(open_owners) == 1 else governing
        return alone[0] if len(alone) == 1 else None
