"""Lists of numbers under one keyword: "decisions 12/3, 12/5 of 17 October 2014 and 13/1",
"decisions 4/CP.21, paragraph 3, and 9/CP.23", "the fourth and fifth sessions".

An instrument list is read forwards from its first number: items, connectors ("," "and"), revisions
("Rev.1", "(Rev. CoP17)") and gaps the list may hold between items — a date ("of 17 October 2014",
"(2015)"), a pinpoint ("paragraph 3", "annex, para. 4(j)", "section V") or a footnote marker glued
to a comma ("XII/1,4"). Anything else ends the list. An item is one of

- session first: "14/5", "X/20", "8.11", "2013/18" (``number_separators`` between, nothing else);
- number first, then its body and session: "1/CP.19", "3/CMA.2", "3/COP.13";
- a convention or body, a dash and session/number: "IPBES-2/5".

A list of ordinals before a meeting word is read backwards from its last ordinal: "the Third, Fourth
and Fifth Meetings", "the fifty-second to sixty-third sessions".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..rules import Rules
from .numbers import SESSION_DIGITS, session_number

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

NUMBER_DIGITS = 4
"""Figures of an instrument's own number at most."""
LABEL_DIGITS = 3
"""Figures of a pinpoint label ("paragraph 112") or a day at most; a year has four."""
ORDINAL_SUFFIXES = ("st", "nd", "rd", "th")


@dataclass
class Item:
    """One instrument of a list, as printed, with the tokens it spans."""

    session: int
    number: int
    printed: str
    first: Token
    last: Token
    body: str | None = None  # a body printed in the item ("CP" in "1/CP.19")
    convention: str | None = None  # a convention named in the item ("IPBES" in "IPBES-2/5")
    revision: str | None = None
    revised: tuple[Token, ...] = ()  # body tokens of the revision ("CoP" in "Rev. CoP17")


def glued(doc: Doc, start: int, end: int) -> bool:
    """Whether no white space separates the tokens ``start .. end`` (inclusive)."""
    return all(not doc[i].whitespace_ for i in range(start, end))


@dataclass
class ListReader:
    """Reads the lists of one parsed passage."""

    rules: Rules
    doc: Doc

    def _digits(self, i: int, most: int) -> int | None:
        if i < len(self.doc) and self.doc[i].is_digit and len(self.doc[i]) <= most and int(self.doc[i].text):
            return int(self.doc[i].text)
        return None

    def item(self, i: int) -> Item | None:
        """The item that starts at token ``i``, or None."""
        doc, separators = self.doc, self.rules.references.number_separators
        if i + 2 >= len(doc) or not glued(doc, i, i + 2):
            return None
        token, sep, third = doc[i], doc[i + 1], doc[i + 2]
        number = self._digits(i, NUMBER_DIGITS)
        if number is not None and sep.text == "/" and third._.role == "body":
            at = i + 4 if i + 3 < len(doc) and doc[i + 3].text in separators else i + 3
            session = self._digits(at, SESSION_DIGITS) if glued(doc, i + 2, at) else None
            if session is None:
                return None
            return Item(session, number, doc[i : at + 1].text, token, doc[at], body=third.text)
        if token._.role in ("convention", "body") and sep.text == "-":
            found = self.item(i + 2)
            if found is None or found.body or found.convention:
                return None
            named = {"convention": str(token._.value)} if token._.role == "convention" else {"body": token.text}
            return Item(found.session, found.number, doc[i : found.last.i + 1].text, token, found.last, **named)
        session = session_number(token.text)
        number = self._digits(i + 2, NUMBER_DIGITS)
        if session is None or number is None or sep.text not in separators:
            return None
        return Item(session, number, doc[i : i + 3].text, token, third)

    def items(self, start: int) -> tuple[list[Item], int, int]:
        """The items of the list whose first item starts at token ``start``, the token after its last item and
        the token after the gaps that follow it ("decisions 14/2, paragraph 3, | of the CBD")."""
        found: list[Item] = []
        end = i = start
        connectors = self.rules.references.list_connectors
        while i < len(self.doc):
            item = self.item(i)
            if item is not None:
                found.append(item)
                i = end = item.last.i + 1
                continue
            if not found:
                break
            revised = self._revision(i, found[-1])
            if revised is not None:
                i = end = revised
                continue
            gap = self._gap(i)
            if gap is not None:
                i = gap
            elif self.doc[i].lower_ in connectors:
                i += 1
            else:
                break
        return found, end, min(i, len(self.doc))

    def _revision(self, i: int, item: Item) -> int | None:
        """After a revision of ``item`` at token ``i`` ("/Rev.1", "(Rev. CoP17)"), with the revision set; or None."""
        doc = self.doc
        opened = doc[i].text in ("/", "(")
        at = i + 1 if opened else i
        if item.revision or at >= len(doc) or doc[at]._.role != "revision":
            return None
        last = next((j for j in range(at + 1, min(len(doc), at + 6)) if doc[j].is_digit), None)
        if last is None:
            return None
        item.revision = doc[at : last + 1].text
        item.revised = tuple(t for t in doc[at:last] if t._.role == "body")
        after = last + 1
        if doc[i].text == "(" and after < len(doc) and doc[after].text == ")":
            after += 1
        item.last = doc[after - 1]  # the mention runs to the revision's end: "Resolution 10.5/Rev.1"
        return after

    def _gap(self, i: int) -> int | None:
        """After a gap a list holds between its items (a date, a pinpoint, a glued footnote marker), or None."""
        doc, refs = self.doc, self.rules.references
        token = doc[i]
        if token.lower_ in refs.date_words:
            return self._date(i + 1)
        if token.text == "(":
            at = self._date(i + 1)
            return at + 1 if at is not None and at < len(doc) and doc[at].text == ")" else None
        if token.lower_ in refs.pinpoint_words:
            return self._labels(i + 1)
        if token.is_digit and len(token) <= 2 and i and doc[i - 1].text == "," and not doc[i - 1].whitespace_:
            return i + 1
        return None

    def _year(self, i: int) -> bool:
        return i < len(self.doc) and self.doc[i].is_digit and len(self.doc[i]) == SESSION_DIGITS

    def _date(self, i: int) -> int | None:
        """After a date at token ``i`` ("17 October 2014", "October 2014", "2014"), or None."""
        months = self.rules.layout.months
        at = i + 1 if self._digits(i, 2) is not None else i
        if at < len(self.doc) and self.doc[at].lower_ in months:
            at += 1
        elif at != i:
            return None
        return at + 1 if self._year(at) else None

    def _labels(self, i: int) -> int:
        """After the labels of a pinpoint ("3", "4(j)", "80–90", "8 and 24", "V", none), stopping before an item."""
        doc, connectors = self.doc, self.rules.references.list_connectors
        while i < len(doc):
            if doc[i].lower_ in connectors:
                ahead = i + 1
                while ahead < len(doc) and doc[ahead].lower_ in connectors:
                    ahead += 1
                if ahead >= len(doc) or not self._label(ahead) or self.item(ahead) is not None:
                    return i
                i = ahead
            elif self._label(i) and self.item(i) is None:
                i += 1
            else:
                return i
        return i

    def _label(self, i: int) -> bool:
        token = self.doc[i]
        if token.is_digit:
            return len(token) <= LABEL_DIGITS
        if token.text in ("(", ")", ".", "-", "–"):
            return True
        return (len(token) == 1 and token.is_alpha) or session_number(token.text) is not None

    def ordinal_ending(self, j: int) -> tuple[int, int, int] | None:
        """The ordinal that ends at token ``j`` ("11th", "11 th", "fifth", "fifty-second", "twenty first") as
        (value, its first token, ``j``), or None."""
        doc, refs = self.doc, self.rules.references
        if j < 0:
            return None
        if doc[j].lower_ in ORDINAL_SUFFIXES:
            value = self._digits(j - 1, LABEL_DIGITS) if j else None
            return (value, j - 1, j) if value is not None else None
        value = refs.ordinal_words.get(doc[j].lower_)
        if value is None:
            return None
        k = j - 2 if j >= 2 and doc[j - 1].text == "-" else j - 1
        ten = refs.ordinal_tens.get(doc[k].lower_) if k >= 0 else None
        if ten is None:
            return value, j, j
        return (ten + value, k, j) if value < 10 else None

    def ordinals_before(self, i: int) -> Iterator[tuple[int, int, int]]:
        """The ordinals listed before the one that starts at token ``i`` ("Third, Fourth and" before "Fifth"),
        nearest first, each as (value, its first token, its last token)."""
        connectors = self.rules.references.meeting_connectors
        while True:
            j = i - 1
            while j >= 0 and self.doc[j].lower_ in connectors:
                j -= 1
            found = self.ordinal_ending(j) if j < i - 1 else None
            if found is None:
                return
            yield found
            i = found[1]
