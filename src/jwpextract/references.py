"""References: the decisions, resolutions, documents, meetings and targets a document cites.

Matching is done by the spaCy ``Matcher`` patterns of ``rules/references.json`` over the tokens of
:mod:`jwpextract.nlp`; each pattern has a ``kind`` (instrument, meeting, document, target) telling how
a matched span is read, or is a ``naming`` span ("of the CBD", "of the Conference of the Parties to
the CBD") that names the convention and body of the instrument right before it. Reading is generic:
the roles marked on the tokens (convention, body, kind word, draft word, revision word, convention
marker, framework) and the numbers give the parts of the canonical id. An instrument with no
convention of its own takes the one of its naming span, else the nearest convention named before it
in the same passage, else the document's own convention; a meeting in an instrument's revision
("Res. Conf. 11.3 (Rev. CoP17)") is a meeting of the instrument's convention.

A target belongs to the framework named in its span, else to the nearest framework named before it
whose targets are numbered like it: a number is a target of a framework when the framework's first
name followed by the number is itself matched as a target ("SDG Target 14.2" is, "SDG Target 14" is
not), so the patterns say how each framework numbers its targets.

Every reader needs a number, in figures or an ordinal in words ("the eleventh meeting of the Conference
of the Parties"), so passages without one are only parsed for the frameworks they name.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from .errors import RulesError
from .models import Mention, Reference
from .nlp import analyzer, matches_form, parse, per_rules
from .rules import Convention, Rules

if TYPE_CHECKING:
    from spacy.matcher import Matcher
    from spacy.tokens import Doc, Span, Token

ROMAN_DIGITS = [
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
]  # fmt: skip
NAMING_ROLES = ("marker", "prefix", "convention")
"""Roles of tokens that name the convention of the reference they are part of, strongest first."""
CONTEXT_ROLES = ("prefix", "convention")
"""Roles of tokens that name the convention of the bare references after them."""
NAMING = "naming"
"""Pattern kind of a span that names the convention or body of the instrument right before it."""


def int_to_roman(number: int) -> str:
    """1 -> "I", 13 -> "XIII"."""
    if number < 1:
        raise ValueError(f"no roman numeral for {number}")
    out = []
    for value, digits in ROMAN_DIGITS:
        count, number = divmod(number, value)
        out.append(digits * count)
    return "".join(out)


def roman_to_int(text: str) -> int:
    """ "XIII" -> 13; ValueError unless ``text`` is a well-formed upper-case roman numeral."""
    total, rest = 0, text
    for value, digits in ROMAN_DIGITS:
        while rest.startswith(digits):
            total += value
            rest = rest[len(digits) :]
    if not text or rest or int_to_roman(total) != text:
        raise ValueError(f"not a roman numeral: {text!r}")
    return total


def ordinal_number(text: str, rules: Rules) -> int | None:
    """An ordinal written in words ("eleventh" -> 11, "Twenty-first" -> 21, "twenty first" -> 21), or None."""
    refs = rules.references
    *tens, unit = re.split(r"[\s-]+", text.strip().lower())
    value = refs.ordinal_words.get(unit)
    if value is None or len(tens) > 1:
        return None
    if not tens:
        return value
    ten = refs.ordinal_tens.get(tens[0])
    return ten + value if ten is not None and value < 10 else None


def session_number(text: str) -> int | None:
    """A session printed in arabic or roman figures, or None."""
    if text.isdigit():
        return int(text) or None
    try:
        return roman_to_int(text)
    except ValueError:
        return None


@dataclass(frozen=True)
class Passage:
    """A stretch of logical text of the document, with the document offset of each character."""

    where: str  # "paragraph" | "activity" | "item" | "footnote" | "intro"
    key: str  # paragraph number, activity number, footnote number, or intro index as str
    text: str  # logical text (lines joined)
    origin: Sequence[int]  # origin[i] = offset of text[i] in the document text (same length as text)
    page: int | None = None
    place: Mapping[str, Any] | None = None  # the Mention fields that locate it, when ``where``/``key`` can't say


PLACES: dict[str, str | None] = {
    "paragraph": "paragraph",
    "activity": "activity",
    "item": "activity",
    "footnote": "footnote",
    "intro": "intro",
    "preamble": None,
}
"""Passage kind -> the Mention field that locates it (none for the cover's preamble: offsets only)."""


@dataclass
class _Cited:
    """One reference found at one place of a passage (character offsets into the passage text)."""

    fields: dict[str, Any]
    start: int
    end: int


@dataclass
class _Number:
    """One "session/number" of an instrument, as printed, with its revision."""

    session: int
    number: int
    printed: str
    first: Token
    last: Token
    revision: str | None = None


def _collapse(text: str, origin: Sequence[int]) -> tuple[str, list[int]]:
    """White space folded to single spaces, keeping each character's document offset."""
    chars: list[str] = []
    offsets: list[int] = []
    for ch, offset in zip(text, origin, strict=True):
        if ch.isspace() and (not chars or chars[-1] == " "):
            continue
        chars.append(" " if ch.isspace() else ch)
        offsets.append(offset)
    return "".join(chars), offsets


def document_key(symbol: str) -> str:
    """Document symbols compare without white space, dots and case."""
    return re.sub(r"[\s.]", "", symbol).casefold()


def _body_key(conv: Convention, printed: str) -> str | None:
    return next((key for key, forms in conv.bodies.items() if any(matches_form(printed, f) for f in forms)), None)


def _meeting_fields(conv: Convention, body: str, session: int) -> dict[str, Any]:
    return {
        "id": f"{conv.key}/meeting/{body}/{session}",
        "kind": "meeting",
        "convention": conv.short,
        "body": body,
        "session": session,
        "label": f"{conv.short} {conv.bodies[body][0]}{session}",
    }


def _named(tokens: Iterable[Token], roles: Sequence[str]) -> list[Token]:
    return [t for t in tokens if t._.role in roles]


def _squeezed(text: str) -> str:
    """``text`` without white space, in lower case: whatever tokens of it a phrase matches, it contains the
    phrase squeezed the same way."""
    return "".join(text.split()).lower()


@per_rules
def _ordinal_words(rules: Rules) -> re.Pattern[str]:
    """Any ordinal written as a word, as a whole run of letters, in any case."""
    words = "|".join(re.escape(word) for word in rules.references.ordinal_words) or "(?!)"
    return re.compile(rf"(?<![^\W\d_])(?:{words})(?![^\W\d_])", re.IGNORECASE)


@per_rules
def _framework_names(rules: Rules) -> tuple[str, ...]:
    """The printed names of the target frameworks, squeezed (see :func:`_squeezed`)."""
    return tuple(_squeezed(name) for names in rules.references.target_frameworks.values() for name in names)


@per_rules
def _numbers_targets(rules: Rules) -> Callable[[str, str], bool]:
    """``numbers_targets(framework, number)``: whether the framework's first name followed by ``number``
    is matched as a target, i.e. whether the framework numbers its targets that way."""
    matcher = _matcher(rules)

    @cache
    def numbers_targets(framework: str, number: str) -> bool:
        doc = parse(f"{rules.references.target_frameworks[framework][0]} {number}", rules)
        return any(doc.vocab.strings[key] == "target" and (start, end) == (0, len(doc)) for key, start, end in matcher(doc))

    return numbers_targets


SESSION_REACH = 6  # tokens after a body in which its session number is looked for ...
KIND_LETTERS = 4  # ... past a document kind of this many capitals at most ("DEC", "REC", "INF")


def document_meeting(symbol: str | None, convention: str | None, rules: Rules) -> str | None:
    """The id of the meeting a document symbol belongs to: "UNEP/CMS/StC38/Doc.4" -> cms/meeting/stc/38."""
    if not symbol:
        return None
    doc = parse(symbol, rules)
    named = _named(doc, CONTEXT_ROLES)
    conv = rules.convention(named[0]._.value if named else convention)
    if conv is None:
        return None
    for token in doc:
        body = _body_key(conv, token.text) if token._.role == "body" else None
        session = _session(doc[token.i + 1 : token.i + SESSION_REACH]) if body else None
        if session:
            return f"{conv.key}/meeting/{body}/{session}"
    return None


def _session(tokens: Span) -> int | None:
    """The session number after a body in a symbol: "COP/10", "COP/DEC/15" (a document kind between),
    "COP/DEC/X" (roman)."""
    for token in tokens:
        if token.is_digit:
            return int(token.text) or None
        if token.is_punct:
            continue
        try:
            return roman_to_int(token.text)
        except ValueError:
            if not (token.is_alpha and token.is_upper and len(token) <= KIND_LETTERS):
                return None
    return None


@dataclass
class _Reader:
    """Reads the matched spans of one passage into references."""

    rules: Rules
    doc: Doc
    origin: list[int]
    own: Convention | None
    frameworks: list[tuple[int, str]]
    naming: dict[int, int] = field(default_factory=dict)
    """Start token of each naming span -> its end token."""
    revised_at: dict[int, Convention] = field(default_factory=dict)
    """Body token of a meeting in an instrument's revision -> the instrument's convention."""

    def convention(self, span: Span, body: str | None = None, roles: Sequence[str] = NAMING_ROLES) -> Convention | None:
        """Named in the span (``roles``, strongest first), else the nearest named before it, else the document's.

        A span printing a ``body`` takes the nearest of these that has the body, else the one convention
        that has it ("SBSTTA" is the CBD's).
        """
        inside = sorted(_named(span, roles), key=lambda t: roles.index(t._.role))
        if inside:
            return self.rules.convention(inside[0]._.value)
        context = _named(self.doc[: span.start], CONTEXT_ROLES)
        before = [self.rules.convention(t._.value) for t in reversed(context)]
        candidates = [c for c in [*before, self.own] if c is not None]
        if body is None:
            return candidates[0] if candidates else None
        owners = [c for c in self.rules.conventions.conventions if _body_key(c, body)]
        fitting = [c for c in candidates if c in owners] or (owners if len(owners) == 1 else [])
        return fitting[0] if fitting else None

    def numbers(self, tokens: Span) -> list[_Number]:
        """The session/number pairs of a list ("14/2, 14/5 and 14/9"), each with its revision ("Rev.1")."""
        separators = self.rules.references.number_separators
        found: list[_Number] = []
        i = 0
        while i < len(tokens):
            token = tokens[i]
            session = session_number(token.text)
            if token._.role == "revision" and found:
                end = next((j for j in range(i + 1, len(tokens)) if tokens[j].is_digit), len(tokens) - 1)
                found[-1].revision = tokens[i : end + 1].text
                found[-1].last = tokens[end]
                i = end + 1
            elif session and i + 2 < len(tokens) and tokens[i + 1].text in separators and tokens[i + 2].is_digit:
                printed = "".join(t.text for t in tokens[i : i + 3])
                found.append(_Number(session, int(tokens[i + 2].text), printed, token, tokens[i + 2]))
                i += 3
            else:
                i += 1
        return found

    def instrument(self, span: Span) -> list[_Cited]:
        kind_token = next(t for t in span if t._.role == "kind")
        named_after = self.doc[span.end : self.naming.get(span.end, span.end)]
        printed = [t.text for t in [*self.doc[span.start : kind_token.i], *named_after] if t._.role == "body"]
        conv = self.convention(self.doc[span.start : named_after.end], printed[0] if printed else None)
        after = self.doc[kind_token.i + 1 : span.end]
        numbers = self.numbers(after)
        if conv is None or not numbers:
            return []
        self.revised_at.update({t.i: conv for t in after if t._.role == "body" and _body_key(conv, t.text)})
        kind = str(kind_token._.value)
        body = _body_key(conv, printed[0]) if printed else None
        body = None if body == conv.governing_body else body
        marker = next((self.doc[t.i : numbers[0].first.i].text.strip() for t in after if t._.role == "marker"), "")
        status = "draft" if any(t._.role == "draft" for t in span) else "adopted"
        prefix = f"{conv.key}/{body}" if body else conv.key
        label = [conv.short, conv.bodies[body][0] if body else "", kind.capitalize(), marker]
        return [
            _Cited(
                {
                    "id": f"{prefix}/{kind}/{number.session}/{number.number}",
                    "kind": kind,
                    "convention": conv.short,
                    "body": body,
                    "session": number.session,
                    "number": number.printed,
                    "status": status,
                    "revision": number.revision,
                    "label": " ".join(part for part in [*label, number.printed] if part),
                },
                (span[0] if n == 0 else number.first).idx,
                number.last.idx + len(number.last),
            )
            for n, number in enumerate(numbers)
        ]

    def session(self, span: Span) -> int | None:
        """The session of a meeting span: its first number, else the ordinal in words it opens with."""
        digits = [t for t in span if t.is_digit]
        if digits:
            return int(digits[0].text)
        refs = self.rules.references
        words = refs.ordinal_words.keys() | refs.ordinal_tens.keys()
        leading = itertools.takewhile(lambda t: t.text == "-" or t.lower_ in words, span)
        return ordinal_number(" ".join(t.text for t in leading), self.rules)

    def meeting(self, span: Span) -> list[_Cited]:
        body_token = next(t for t in span if t._.role == "body")
        printed = body_token.text
        conv = self.revised_at.get(body_token.i) or self.convention(span, printed)
        session = self.session(span)
        body = _body_key(conv, printed) if conv else None
        if conv is None or body is None or not session:
            return []
        return [_Cited(_meeting_fields(conv, body, session), span.start_char, span.end_char)]

    def document(self, span: Span) -> list[_Cited]:
        end = span.end
        while end > span.start and not self.doc[end - 1].text[-1].isalnum():
            end -= 1
        printed = self.doc[span.start : end]
        if not any(t.is_digit for t in printed):
            return []
        symbol = " ".join(printed.text.split())
        for pattern, replacement in self.rules.references.document_spellings:
            symbol = re.sub(pattern, replacement, symbol)
        conv = self.convention(span, roles=CONTEXT_ROLES)
        fields = {
            "id": f"doc/{symbol}",
            "kind": "document",
            "convention": conv.short if conv else None,
            "number": symbol,
            "label": symbol,
        }
        return [_Cited(fields, printed.start_char, printed.end_char)]

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

    def target(self, span: Span) -> list[_Cited]:
        named = [t._.value for t in span if t._.role == "framework"]
        offset = self.origin[span.start_char]
        before = dict.fromkeys(key for at, key in reversed(self.frameworks) if at < offset)
        candidates = named[:1] or list(before)
        numbers_targets = _numbers_targets(self.rules)
        cited = []
        for n, (number, first, last) in enumerate(self.target_numbers(span)):
            framework = next((key for key in candidates if numbers_targets(key, number)), None)
            if framework is None:
                continue
            name = self.rules.references.target_frameworks[framework][0]
            fields = {"id": f"{framework}/target/{number}", "kind": "target", "number": number, "label": f"{name} {number}"}
            cited.append(_Cited(fields, (span[0] if n == 0 else first).idx, last.idx + len(last)))
        return cited


READERS: dict[str, Callable[[_Reader, Span], list[_Cited]]] = {
    "document": _Reader.document,
    "instrument": _Reader.instrument,
    "meeting": _Reader.meeting,
    "target": _Reader.target,
}
"""Pattern kind -> how its spans are read; documents first (what a symbol holds is no other reference)."""


@per_rules
def _matcher(rules: Rules) -> Matcher:
    from spacy.matcher import Matcher

    matcher = Matcher(analyzer(rules).nlp.vocab, validate=True)
    by_kind: dict[str, list[list[dict[str, Any]]]] = {}
    for rule in rules.references.patterns:
        if rule.kind not in READERS and rule.kind != NAMING:
            raise RulesError("references.json", f"pattern {rule.id!r}: unknown kind {rule.kind!r}")
        by_kind.setdefault(rule.kind, []).append(rule.pattern)
    for kind, patterns in by_kind.items():
        try:
            matcher.add(kind, patterns, greedy="LONGEST")
        except ValueError as exc:
            raise RulesError("references.json", f"invalid {kind} pattern: {exc}") from exc
    return matcher


def _mention(passage: Passage, text: str, origin: list[int], cited: _Cited) -> Mention:
    field_name = PLACES[passage.where]
    place: dict[str, Any] = dict(passage.place or {})
    if field_name is not None and not place:
        place[field_name] = int(passage.key) if passage.where == "intro" else passage.key
    return Mention(
        text=text[cited.start : cited.end],
        start=origin[cited.start],
        end=origin[cited.end - 1] + 1,
        page=passage.page,
        **place,
    )


def find_references(
    passages: Sequence[Passage],
    rules: Rules,
    *,
    convention: str | None,
    own_symbol: str | None = None,
    own_meeting: str | None = None,
) -> list[Reference]:
    """One reference per distinct cited thing, ordered by first mention, each with all its mentions."""
    matcher = _matcher(rules)
    own = rules.convention(convention)
    unknown = sorted({p.where for p in passages} - PLACES.keys())
    if unknown:
        raise ValueError(f"unknown passage kind {unknown[0]!r} (expected one of: {', '.join(PLACES)})")
    parsed = []
    frameworks: list[tuple[int, str]] = []
    framework_names = _framework_names(rules)
    ordinals = _ordinal_words(rules)
    for passage in passages:
        numbered = any(map(str.isdigit, passage.text)) or ordinals.search(passage.text) is not None
        squeezed = _squeezed(passage.text)
        names_framework = any(name in squeezed for name in framework_names)
        if not (numbered or names_framework):
            continue
        text, origin = _collapse(passage.text, passage.origin)
        doc = parse(text, rules)
        if numbered:
            parsed.append((passage, text, origin, doc))
        if names_framework:
            frameworks += [(origin[t.idx], str(t._.value)) for t in doc if t._.role == "framework"]
    frameworks.sort()
    order = list(READERS)
    found: list[tuple[dict[str, Any], Mention]] = []
    for passage, text, origin, doc in parsed:
        reader = _Reader(rules, doc, origin, own, frameworks)
        documents: list[tuple[int, int]] = []
        matches = [(doc.vocab.strings[key], start, end) for key, start, end in matcher(doc)]
        reader.naming = {start: end for kind, start, end in matches if kind == NAMING}
        readable = [m for m in matches if m[0] != NAMING]
        for kind, start, end in sorted(readable, key=lambda m: (order.index(m[0]), m[1])):
            if any(s < end and start < e for s, e in documents):
                continue
            cited = READERS[kind](reader, doc[start:end])
            if kind == "document" and cited:
                documents.append((start, end))
            found += [(c.fields, _mention(passage, text, origin, c)) for c in cited]
    own_document = document_key(own_symbol) if own_symbol else None
    references: dict[str, Reference] = {}
    for fields, mention in sorted(found, key=lambda f: (f[1].start, f[1].end)):
        if fields["id"] == own_meeting or (fields["kind"] == "document" and document_key(fields["number"]) == own_document):
            continue
        reference = references.setdefault(fields["id"], Reference(**fields))
        if fields.get("status") == "draft":
            reference.status = "draft"
        reference.revision = reference.revision or fields.get("revision")
        if all((m.start, m.end) != (mention.start, mention.end) for m in reference.mentions):
            reference.mentions.append(mention)
    return list(references.values())
