"""Reading the matched spans of one passage into references: instruments, instrument symbols,
documents, meetings and targets. See :mod:`jwpextract.references` for the patterns and
:mod:`.context` for the conventions the spans belong to."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..rules import Convention, Rules
from .context import Context, Named, body_key
from .lists import Item, ListReader, glued
from .numbers import MEETING_DIGITS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


SUBJECT_REACH = 4
"""Tokens after a session or instrument of "its" in which the body it is of may be named: "At its 51st
meeting, the Standing Committee"."""


@dataclass
class Cited:
    """One reference found at one place of a passage (character offsets into the passage text)."""

    fields: dict[str, Any]
    start: int
    end: int


def meeting_fields(conv: Convention, body: str, session: int) -> dict[str, Any]:
    forms = conv.bodies.get(body) or conv.context_bodies.get(body) or [body]
    return {
        "id": f"{conv.key}/meeting/{body}/{session}",
        "kind": "meeting",
        "convention": conv.short,
        "body": body,
        "session": session,
        "label": f"{conv.short} {forms[0]}{session}",
    }


def _instrument_fields(
    conv: Convention, body: str | None, kind: str, item: Item, draft: bool, marker: str
) -> dict[str, Any]:
    prefix = f"{conv.key}/{body}" if body else conv.key
    label = [conv.short, conv.bodies[body][0] if body in conv.bodies else "", kind.capitalize(), marker, item.printed]
    return {
        "id": f"{prefix}/{kind}/{item.session}/{item.number}",
        "kind": kind,
        "convention": conv.short,
        "body": body,
        "session": item.session,
        "number": item.printed,
        "status": "draft" if draft else "adopted",
        "revision": item.revision,
        "label": " ".join(part for part in label if part),
    }


def _printed_end(doc: Doc, start: int, end: int) -> int:
    """``end`` moved back past the punctuation that closes a symbol's span (a sentence period, a bracket)."""
    while end > start and not doc[end - 1].text[-1].isalnum():
        end -= 1
    return end


@dataclass
class Reader:
    """Reads the matched spans of one passage."""

    rules: Rules
    doc: Doc
    context: Context
    frameworks: Named[str]
    numbers_targets: Callable[[str, str], bool]
    line_breaks: frozenset[int] = frozenset()
    """Character offsets of the passage text where a line break was folded into a space."""
    heading: bool = False
    """Whether the passage is a heading, where a session alone ("Seventy-eighth session") is the document's."""
    meeting_label: str | None = None
    """The document's own meeting as its documents' symbols print it ("SC77"), or None."""
    naming: dict[int, int] = field(default_factory=dict)
    """Start token of each naming span -> its end token."""
    revised_at: dict[int, Convention] = field(default_factory=dict)
    """Body token of a meeting in an instrument's revision -> the instrument's convention."""

    def __post_init__(self) -> None:
        self.lists = ListReader(self.rules, self.doc)

    def instrument(self, span: Span) -> list[Cited]:
        doc = self.doc
        kind_token = next(t for t in span if t._.role == "kind")
        start = kind_token.i + 1
        while start < span.end and (doc[start].text == "." or doc[start]._.role == "marker"):
            start += 1
        items, end, stop = self.lists.items(start)
        at = end if end in self.naming else stop
        named_after = doc[at : self.naming.get(at, at)]
        printed = [t.text for t in [*doc[span.start : kind_token.i], *named_after] if t._.role == "body"]
        possessive = span.start > 0 and doc[span.start - 1]._.role == "possessive"
        subject = self._body_after(stop) if possessive and not printed else None
        printed = printed or (
            [subject.text] if subject is not None else []
        )  # "in its resolution 70/1, the General Assembly"
        where = doc[span.start : max(named_after.end, span.end)]
        kind = str(kind_token._.value)
        draft = any(t._.role == "draft" for t in span)
        marker = next((doc[t.i : start].text.strip() for t in span if t._.role == "marker"), "")
        cited = []
        for n, item in enumerate(items):
            form = item.body or (printed[0] if printed else None)
            conv = self.rules.convention(item.convention) if item.convention else self.context.convention(where, form)
            if conv is None:
                continue
            self.revised_at.update({t.i: conv for t in item.revised})
            body = body_key(conv, form) if form else None
            body = None if body == conv.governing_body else body
            first = (span[1] if span[0].is_digit else span[0]) if n == 0 else item.first  # not a page number before
            fields = _instrument_fields(conv, body, kind, item, draft, marker)
            cited.append(Cited(fields, first.idx, item.last.idx + len(item.last)))
        return cited

    def symbol(self, span: Span) -> list[Cited]:
        """An instrument printed as its document symbol: "A/RES/71/312", "UNEP/EA.4/Res.3"."""
        doc = self.doc
        after = doc[span.end] if span.end < len(doc) else None
        if after is not None and not span[-1].whitespace_ and (after.is_alpha or after.is_digit or after.text == "/"):
            return []  # a longer symbol: a document ("A/RES/71/312/Corr.1")
        prefix = next(t for t in span if t._.role == "prefix")
        conv = self.rules.convention(prefix._.value)
        kind_token = next(t for t in span if t._.role == "kind")
        body_token = next((t for t in span if t._.role == "body"), None)
        digits = [t for t in span if t.is_digit]
        if conv is None or len(digits) != 2:
            return []
        body = body_key(conv, body_token.text) if body_token is not None else None
        body = None if body == conv.governing_body else body
        printed = doc[span.start : _printed_end(doc, span.start, span.end)].text
        item = Item(int(digits[0].text), int(digits[1].text), printed, span[0], digits[1])
        fields = _instrument_fields(conv, body, str(kind_token._.value), item, False, "")
        fields["label"] = printed
        return [Cited(fields, span.start_char, digits[1].idx + len(digits[1]))]

    def _session(self, span: Span) -> tuple[int, int, int] | None:
        """The session of a meeting span as (value, its first token, its last token): its first number, else its
        ordinal in words."""
        digits = next((t for t in span if t.is_digit), None)
        if digits is not None:
            valid = len(digits) <= MEETING_DIGITS and int(digits.text)
            return (int(digits.text), digits.i, digits.i) if valid else None
        words = self.rules.references.ordinal_words
        last = next((t.i for t in span if t.lower_ in words), None)
        return self.lists.ordinal_ending(last) if last is not None else None

    def _broken(self, body: Token, session_at: int) -> bool:
        """Whether a line break separates an abbreviated body from its number ("Plenary" heading, "4." paragraph)."""
        end = self.doc[session_at].idx
        return any(body.idx + len(body) <= at < end for at in self.line_breaks)

    def _body_before(self, i: int) -> Token | None:
        """The nearest body named before token ``i`` in its sentence, not in an instrument's number ("1/CP.19")."""
        doc = self.doc
        for j in range(i - 1, self.context.since_break(i) - 1, -1):
            token = doc[j]
            if token.text == ";" or (token.text == "." and token.whitespace_):
                return None
            in_number = j and doc[j - 1].text == "/" and not doc[j - 1].whitespace_
            if token._.role == "body" and not in_number:
                return token
        return None

    def meeting(self, span: Span) -> list[Cited]:
        doc = self.doc
        own = self._session(span)
        if own is None or (span.end < len(doc) and doc[span.end].text == "/" and not span[-1].whitespace_):
            return []  # no session, or one that opens an instrument's number ("IPBES-2/5")
        listed = [*reversed(list(self.lists.ordinals_before(own[1]))), own]
        first = listed[0][1]
        body_token = next((t for t in span if t._.role == "body"), None)
        possessive = first > 0 and doc[first - 1]._.role == "possessive"
        if body_token is not None:
            if body_token.i < own[1] and self._broken(body_token, own[1]):
                return []
            conv = self.revised_at.get(body_token.i) or self.context.convention(span, body_token.text)
            body = body_key(conv, body_token.text) if conv else None
        elif possessive or self.heading:
            conv, body = self._speaker(first - 1 if possessive else first, possessive, span.end)
        else:
            named = [t for t in span if t._.role == "convention"]
            conv = self.rules.convention(named[0]._.value) if named else None
            body = conv.governing_body if conv else None
        if conv is None or body is None:
            return []
        cited = [
            Cited(meeting_fields(conv, body, value), doc[at].idx, doc[to].idx + len(doc[to]))
            for value, at, to in listed[:-1]
        ]
        start = doc[own[1]].idx if len(listed) > 1 else span.start_char
        return [*cited, Cited(meeting_fields(conv, body, own[0]), start, span.end_char)]

    def _body_after(self, end: int) -> Token | None:
        """A body named right after a session or an instrument of "its" that opens its sentence ("At its 51st
        meeting, the Standing Committee ...", "in its resolution 70/1, the General Assembly")."""
        return next((t for t in self.doc[end : end + SUBJECT_REACH] if t._.role == "body"), None)

    def _speaker(self, i: int, possessive: bool, end: int) -> tuple[Convention | None, str | None]:
        """The convention and body of the session of "its"/"their" at token ``i`` ending at token ``end`` (the
        nearest body named before it in its sentence, else right after it, else the governing body of the
        convention it stands for) or of a heading's session."""
        body_token = (self._body_before(i) or self._body_after(end)) if possessive else None
        if body_token is not None:
            end = self.naming.get(body_token.i + 1, body_token.i + 1)
            conv = self.context.convention(self.doc[body_token.i : end], body_token.text)
            return conv, body_key(conv, body_token.text) if conv else None
        conv = self.context.possessor(i) if possessive else self.context.own
        if conv is None:
            conv = next((c for c in self.context.candidates(i) if c.governing_body in c.bodies), None)
        return conv, conv.governing_body if conv else None

    def _symbol_end(self, start: int, end: int) -> int:
        """Where a symbol starting at token ``start`` ends, at most at ``end``: before a number after white space
        unless it follows a word ("AEWA/MOP 7.14", "SC69 Doc. 8.1"; not a date, a sentence or a marker:
        "UNEP/CBD/COP/12/24 14 October", "A/77/945. 24-07683"), and before closing punctuation."""
        doc = self.doc
        for i in range(start + 1, end):
            before = doc[i - 1]
            after_word = before.is_alpha or (before.text == "." and i >= 2 and doc[i - 2].is_alpha)
            if doc[i]._.space_before and doc[i].is_digit and not after_word:
                end = i
                break
        return _printed_end(doc, start, end)

    def _document(self, symbol: str, span: Span, start: int, end: int) -> Cited:
        for pattern, replacement in self.rules.references.document_spellings:
            symbol = re.sub(pattern, replacement, symbol)
        conv = self.context.convention(span, roles=("prefix", "convention"))
        fields = {
            "id": f"doc/{symbol}",
            "kind": "document",
            "convention": conv.short if conv else None,
            "number": symbol,
            "label": symbol,
        }
        return Cited(fields, start, end)

    def document(self, span: Span) -> list[Cited]:
        doc = self.doc
        start = next((t.i for t in span if t._.role in ("prefix", "body")), span.start)
        printed = doc[start : self._symbol_end(start, span.end)]
        if not any(t.is_digit for t in printed):
            return []
        return [self._document(" ".join(printed.text.split()), span, printed.start_char, printed.end_char)]

    def documents(self, span: Span) -> list[Cited]:
        """A list of documents of one meeting: "SC77 Docs 38.2, 38.3 and 38.4"; without its meeting, of the
        document's own meeting."""
        doc, connectors = self.doc, self.rules.references.list_connectors
        word = next(t for t in span if t._.role == "documents")
        meeting = doc[span.start : word.i].text.strip() or self.meeting_label
        if not meeting:
            return []
        cited = []
        i = span.end - 1
        while i < len(doc) and doc[i].is_digit:
            end = i + 1
            while end + 1 < len(doc) and doc[end].text == "." and doc[end + 1].is_digit and glued(doc, end - 1, end + 1):
                end += 2
            start = span[0] if not cited else doc[i]
            symbol = f"{meeting} {word._.value} {doc[i:end].text}"
            cited.append(self._document(symbol, span, start.idx, doc[end - 1].idx + len(doc[end - 1])))
            i = end
            while i < len(doc) and doc[i].lower_ in connectors:
                i += 1
        return cited

    def target_numbers(self, span: Span) -> list[tuple[str, Token, Token]]:
        """The target numbers of a span as read ("11", "14.2", "14.a"), each with its first and last token."""
        separators = self.rules.references.number_separators
        found: list[tuple[str, Token, Token]] = []
        i = 0
        while i < len(span):
            token = span[i]
            if token.is_digit:
                part = span[i + 2] if i + 2 < len(span) else None
                dotted = (
                    part is not None
                    and span[i + 1].text in separators
                    and not (token.whitespace_ or span[i + 1].whitespace_)
                    and (part.is_digit or (len(part.text) == 1 and part.is_lower))
                )
                if part is not None and dotted:
                    found.append((f"{int(token.text)}.{int(part.text) if part.is_digit else part.text}", token, part))
                    i += 2
                else:
                    found.append((str(int(token.text)), token, token))
            i += 1
        return found

    def target(self, span: Span) -> list[Cited]:
        named = [t._.value for t in span if t._.role == "framework"]
        candidates = named[:1] or self.frameworks.around(self.context.origin[span.start_char])[0]
        cited = []
        for n, (number, first, last) in enumerate(self.target_numbers(span)):
            framework = next((key for key in candidates if self.numbers_targets(key, number)), None)
            if framework is None:
                continue
            name = self.rules.references.target_frameworks[framework][0]
            fields = {"id": f"{framework}/target/{number}", "kind": "target", "number": number, "label": f"{name} {number}"}
            cited.append(Cited(fields, (span[0] if n == 0 else first).idx, last.idx + len(last)))
        return cited


READERS: dict[str, Callable[[Reader, Span], list[Cited]]] = {
    "symbol": Reader.symbol,
    "document": Reader.document,
    "documents": Reader.documents,
    "instrument": Reader.instrument,
    "meeting": Reader.meeting,
    "target": Reader.target,
}
"""Pattern kind -> how its spans are read; symbols and documents first (what a symbol holds is no other
reference)."""
