"""Which convention a reference belongs to, when the reference does not name it.

A reference's convention is the one named in it; else, for an instrument after a possessive ("its
resolution 72/249"), the convention named right before the possessive ("the CBD in its decision"),
else the document's own; else the nearest convention named before it in its passage (a footnote rule
ends that context: a footnote printed inside a passage is not read in the context of the text above
it); else the document's own; else the nearest named before it in the document, then any named after
it. A reference printing a body takes the first of these that has the body, else the one convention
that has it ("SBSTTA" is the CBD's), else the one convention whose governing body it is ("General
Assembly"). A body's ``context_bodies`` forms ("the conference") name it only through those
candidates, never alone. An instrument printing no body belongs only to a convention whose governing
body has printed forms (UNEP's instruments always name theirs: "Governing Council decision 25/3").
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..nlp import matches_form
from ..rules import Convention, Rules

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

NAMING_ROLES = ("marker", "prefix", "convention")
"""Roles of tokens that name the convention of the reference they are part of, strongest first."""
CONTEXT_ROLES = ("prefix", "convention")
"""Roles of tokens that name the convention of the bare references after them."""
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
class Context:
    """The conventions around the references of one parsed passage."""

    rules: Rules
    doc: Doc
    origin: Sequence[int]
    own: Convention | None
    in_document: Sequence[tuple[int, Convention]] = ()
    """(document offset, convention) of every convention named in the document, in order."""
    breaks: list[int] = field(init=False)
    """Token indices where the context of the passage starts afresh."""
    naming: list[tuple[int, Convention]] = field(init=False)
    """(token index, convention) of the tokens of the passage that name a convention, in order."""

    def __post_init__(self) -> None:
        pattern = re.compile(self.rules.references.context_break)
        ends = [m.end() for m in pattern.finditer(self.doc.text)]
        self.breaks = sorted({next((t.i for t in self.doc if t.idx >= end), len(self.doc)) for end in ends})
        tokens = named(self.doc, CONTEXT_ROLES)
        self.naming = [(t.i, c) for t in tokens if (c := self.rules.convention(t._.value)) is not None]

    def since_break(self, i: int) -> int:
        """The token where the context of token ``i`` starts."""
        return self.breaks[bisect_right(self.breaks, i) - 1] if self.breaks and self.breaks[0] <= i else 0

    def before(self, i: int) -> list[Convention]:
        """The conventions named in the passage before token ``i`` since its last break, nearest first."""
        since = self.since_break(i)
        return [c for at, c in reversed(self.naming[: bisect_left(self.naming, i, key=lambda n: n[0])]) if at >= since]

    def candidates(self, i: int) -> list[Convention]:
        """Named before token ``i`` in its passage, the document's own, named before it in the document, after it."""
        offset = self.origin[self.doc[i].idx] if len(self.doc) else 0
        earlier = [c for at, c in reversed(self.in_document) if at < offset]
        later = [c for at, c in self.in_document if at >= offset]
        unique: dict[str, Convention] = {}
        for conv in [*self.before(i), self.own, *earlier, *later]:
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
        candidates = self.candidates(start)
        if body is None:
            return next((c for c in candidates if c.governing_body in c.bodies), None)
        return self.owner(body, candidates)

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
