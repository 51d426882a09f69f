"""References: the decisions, resolutions, documents, meetings and targets a document cites.

Matching is done by the spaCy ``Matcher`` patterns of ``rules/references.json`` over the tokens of
:mod:`jwpextract.nlp`; each pattern has a ``kind`` (instrument, symbol, document, meeting, target)
telling how a matched span is read (:mod:`.reader`), or is a ``naming`` span ("of the CBD", "of the
Conference of the Parties to the CBD") that names the convention and body of the instrument right
before it. Reading is generic: the roles marked on the tokens (convention, body, kind word, draft
word, revision word, convention marker, framework, possessive) and the numbers give the parts of the
canonical id. An instrument pattern matches a kind word and its first number; the list that follows
("decisions 12/3, 12/5 of 17 October 2014 and 13/1", "4/CP.21, paragraph 3, and 9/CP.23") is read by
:mod:`.lists`. The convention of a reference that names none comes from its context
(:mod:`.context`); a meeting in an instrument's revision ("Res. Conf. 11.3 (Rev. CoP17)") is a
meeting of the instrument's convention; a session of "its"/"their" ("at its twenty-sixth session") is
one of the body named before it, else of the governing body of the document's convention.

A target belongs to the framework named in its span, else to the nearest framework named before it
whose targets are numbered like it: a number is a target of a framework when the framework's first
name followed by the number is itself matched as a target ("SDG Target 14.2" is, "SDG Target 14" is
not), so the patterns say how each framework numbers its targets.

Every reader needs a number, in figures or an ordinal in words, so passages without one are only
parsed for the conventions and frameworks they name. Text matching ``skip_patterns`` (URLs) holds no
reference. The document's own symbol, meeting and instruments are no references.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from ..errors import RulesError
from ..models import Mention, Reference
from ..nlp import alternation, analyzer, case_sensitive, marked, parse, per_rules
from ..rules import Convention, Rules
from .context import CONTEXT_ROLES, Context, Named, body_key, named
from .numbers import MEETING_DIGITS, int_to_roman, ordinal_number, roman_to_int, session_number
from .reader import READERS, Cited, Reader

if TYPE_CHECKING:
    from spacy.matcher import Matcher
    from spacy.tokens import Span

__all__ = [
    "PLACES",
    "Passage",
    "document_key",
    "document_meeting",
    "find_references",
    "instrument_id",
    "int_to_roman",
    "ordinal_number",
    "roman_to_int",
    "session_number",
]

NAMING = "naming"
"""Pattern kind of a span that names the convention or body of the instrument right before it."""
INSTRUMENTS = ("resolution", "decision", "recommendation")


@dataclass(frozen=True)
class Passage:
    """A stretch of logical text of the document, with the document offset of each character."""

    where: str  # "paragraph" | "activity" | "item" | "footnote" | "intro" | "preamble"
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
"""Passage kind -> the Mention field that locates it (none for a preamble: offsets only)."""


def _collapse(text: str, origin: Sequence[int]) -> tuple[str, list[int], frozenset[int]]:
    """White space folded to single spaces, keeping each character's document offset; and the offsets (in the
    folded text) of the spaces that fold a line break."""
    chars: list[str] = []
    offsets: list[int] = []
    breaks: set[int] = set()
    for ch, offset in zip(text, origin, strict=True):
        if ch.isspace() and chars and chars[-1] == " ":
            if ch in "\n\r\f\v":
                breaks.add(len(chars) - 1)
            continue
        if ch.isspace() and not chars:
            continue
        if ch in "\n\r\f\v":
            breaks.add(len(chars))
        chars.append(" " if ch.isspace() else ch)
        offsets.append(offset)
    return "".join(chars), offsets, frozenset(breaks)


def document_key(symbol: str) -> str:
    """Document symbols compare without white space, dots and case."""
    return re.sub(r"[\s.]", "", symbol).casefold()


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
def _skipped(rules: Rules) -> re.Pattern[str]:
    """Text that holds no reference (``skip_patterns``)."""
    return re.compile("|".join(f"(?:{p})" for p in rules.references.skip_patterns) or "(?!)")


@per_rules
def _framework_names(rules: Rules) -> tuple[str, ...]:
    """The printed names of the target frameworks, squeezed (see :func:`_squeezed`)."""
    return tuple(_squeezed(name) for names in rules.references.target_frameworks.values() for name in names)


@per_rules
def _convention_names(rules: Rules) -> tuple[list[tuple[re.Pattern[str], Callable[[str], str]]], dict[str, Convention]]:
    """Regexes of the printed names and symbol prefixes of the conventions (exact, and in any case, as
    :func:`~jwpextract.nlp.case_sensitive` says), each with how a match is keyed, and the conventions by the
    key of each form: the conventions a passage names, found without parsing it."""
    forms: dict[str, Convention] = {}
    for conv in rules.conventions.conventions:
        for form in [conv.short, *conv.names, *conv.symbol_prefixes]:
            forms.setdefault(_form_key(form), conv)
    exact = [f for f in forms if case_sensitive(f)]
    any_case = [f for f in forms if not case_sensitive(f)]
    return [(re.compile(alternation(exact)), str), (re.compile(alternation(any_case), re.IGNORECASE), _form_key)], forms


def _form_key(form: str) -> str:
    return form if case_sensitive(form) else " ".join(form.split()).lower()


def _conventions_named(passage: Passage, rules: Rules) -> list[tuple[int, Convention]]:
    """(document offset, convention) of each convention name or symbol prefix in ``passage``."""
    finders, forms = _convention_names(rules)
    found = []
    for pattern, key in finders:
        for match in pattern.finditer(passage.text):
            conv = forms.get(key(match.group()))
            if conv is not None:
                found.append((passage.origin[match.start()], conv))
    return found


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


SESSION_REACH = 6  # tokens after a body in which its session number is looked for ...
KIND_LETTERS = 4  # ... past a document kind of this many capitals at most ("DEC", "REC", "INF")


def _symbol_session(tokens: Span) -> int | None:
    """The session number after a body in a symbol: "COP/10", "COP/DEC/15" (a document kind between),
    "COP/DEC/X" (roman); not a year ("CP/2019")."""
    for token in tokens:
        if token.is_digit:
            return int(token.text) if len(token) <= MEETING_DIGITS and int(token.text) else None
        if token.is_punct:
            continue
        try:
            return roman_to_int(token.text)
        except ValueError:
            if not (token.is_alpha and token.is_upper and len(token) <= KIND_LETTERS):
                return None
    return None


def document_meeting(symbol: str | None, convention: str | None, rules: Rules, heading: str = "") -> str | None:
    """The id of the document's own meeting: the one its symbol belongs to ("UNEP/CMS/StC38/Doc.4" ->
    cms/meeting/stc/38), else the first one its ``heading`` (masthead, title) names ("Report of the
    Conference of the Parties on its twenty-fifth session", "Seventy-eighth session")."""
    doc = parse(symbol or "", rules)
    context = named(doc, ("prefix", "convention"))
    conv = rules.convention(context[0]._.value if context else convention)
    for token in doc if conv else ():
        body = body_key(conv, token.text) if token._.role == "body" else None
        session = _symbol_session(doc[token.i + 1 : token.i + SESSION_REACH]) if body else None
        if session:
            return f"{conv.key}/meeting/{body}/{session}"
    if not heading.strip():
        return None
    found = _read([Passage("preamble", "", heading, range(len(heading)))], rules, rules.convention(convention), heading=True)
    return next((fields["id"] for fields, _ in found if fields["kind"] == "meeting"), None)


def instrument_id(printed: str, rules: Rules, *, convention: str | None, kind: str = "decision") -> str | None:
    """The canonical id of an instrument printed ``printed`` ("3/CP.25", "Decision 14/8", "Resolution XI.9"),
    read as a reference in a document of ``convention``; ``kind`` when ``printed`` names none."""
    text = printed if named(parse(printed, rules), ("kind",)) else f"{kind} {printed}"
    found = _read([Passage("preamble", "", text, range(len(text)))], rules, rules.convention(convention))
    return next((fields["id"] for fields, _ in found if fields["kind"] in INSTRUMENTS), None)


def _mention(passage: Passage, text: str, origin: list[int], cited: Cited) -> Mention:
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


def _read(
    passages: Sequence[Passage],
    rules: Rules,
    own: Convention | None,
    *,
    heading: bool = False,
    meeting_label: str | None = None,
) -> list[tuple[dict[str, Any], Mention]]:
    """Every reference read in ``passages``, with its mention. Passages are read one at a time in document
    order (a parsed passage is dropped once read), with the frameworks and conventions named so far."""
    framework_names = _framework_names(rules)
    ordinals = _ordinal_words(rules)
    _matcher(rules)  # the patterns are checked even when no passage needs them
    frameworks: Named[str] = Named()
    conventions: Named[Convention] = Named()
    found: list[tuple[dict[str, Any], Mention]] = []
    for passage in sorted(passages, key=lambda p: p.origin[0] if len(p.origin) else 0):
        numbered = any(map(str.isdigit, passage.text)) or ordinals.search(passage.text) is not None
        if not (numbered or any(name in _squeezed(passage.text) for name in framework_names)):
            for offset, conv in _conventions_named(passage, rules):
                conventions.add(offset, conv.key, conv)
            continue
        text, origin, breaks = _collapse(passage.text, passage.origin)
        doc = parse(text, rules)
        roles = [t for t in marked(doc) if t._.role in ("framework", *CONTEXT_ROLES)]
        for token in roles:
            if token._.role == "framework":
                frameworks.add(origin[token.idx], str(token._.value), str(token._.value))
        naming = [(t.i, c) for t in roles if t._.role in CONTEXT_ROLES and (c := rules.convention(t._.value))]
        for i, conv in naming:
            conventions.add(origin[doc[i].idx], conv.key, conv)
        if numbered:
            context = Context(rules, doc, text, origin, own, naming, conventions)
            reader = Reader(rules, doc, context, frameworks, _numbers_targets(rules), breaks, heading, meeting_label)
            found += [(c.fields, _mention(passage, text, origin, c)) for c in _read_passage(reader, text, rules)]
    return found


def _read_passage(reader: Reader, text: str, rules: Rules) -> list[Cited]:
    """The references of one parsed passage: its matched spans read, symbols first (what a symbol holds is no
    other reference), text matching ``skip_patterns`` left out."""
    doc = reader.doc
    blocked = [(m.start(), m.end()) for m in _skipped(rules).finditer(text)]
    matches = [(doc.vocab.strings[key], start, end) for key, start, end in _matcher(rules)(doc)]
    reader.naming = {start: end for kind, start, end in matches if kind == NAMING}
    order = list(READERS)
    readable = sorted((m for m in matches if m[0] != NAMING), key=lambda m: (order.index(m[0]), m[1]))
    cited: list[Cited] = []
    for kind, start, end in readable:
        span = doc[start:end]
        chars = (span.start_char, span.end_char)
        if any(s < chars[1] and chars[0] < e for s, e in blocked):
            continue
        read = READERS[kind](reader, span)
        if kind in ("symbol", "document", "documents") and read:
            blocked.append(chars)
        cited += read
    return cited


def _meeting_label(meeting: str | None, rules: Rules) -> str | None:
    """A meeting's id as symbols print the meeting: cites/meeting/sc/77 -> "SC77"."""
    key, _, body, session = (meeting or "///").split("/", 3)
    conv = rules.convention(key)
    forms = conv.bodies.get(body) if conv else None
    return f"{forms[0]}{session}" if forms else None


def _alone_on_line(text: str, mention: Mention) -> bool:
    """Whether ``mention`` is all of its line of the document ``text`` (but a closing period)."""
    start = text.rfind("\n", 0, mention.start) + 1
    end = text.find("\n", mention.end)
    return not text[start : mention.start].strip() and text[mention.end : end if end >= 0 else len(text)].strip() in (
        "",
        ".",
    )


def _of_meeting(fields: dict[str, Any], meeting: str, rules: Rules) -> bool:
    """Whether the instrument of ``fields`` was adopted at the meeting of id ``meeting``."""
    key = fields["id"].split("/")[0]
    conv = rules.convention(key)
    body = fields.get("body") or (conv.governing_body if conv else None)
    return meeting == f"{key}/meeting/{body}/{fields.get('session')}"


def find_references(
    passages: Sequence[Passage],
    rules: Rules,
    *,
    convention: str | None,
    own_symbol: str | None = None,
    own_meeting: str | None = None,
    own_instruments: Collection[str] = (),
    text: str | None = None,
) -> list[Reference]:
    """One reference per distinct cited thing, ordered by first mention, each with all its mentions.

    Not references: the document's own symbol (and the instrument it is the symbol of: "A/RES/78/272"),
    its own meeting, ``own_instruments`` (ids of the decisions or resolutions whose text it holds) and,
    given the document ``text``, the instruments of its own meeting printed alone on a line: headings of
    the decisions it holds ("Decision 2/CP.25" in the report of COP 25)."""
    unknown = sorted({p.where for p in passages} - PLACES.keys())
    if unknown:
        raise ValueError(f"unknown passage kind {unknown[0]!r} (expected one of: {', '.join(PLACES)})")
    own = rules.convention(convention)
    own_document = document_key(own_symbol) if own_symbol else None
    excluded = {*own_instruments, own_meeting}
    if own_symbol:
        excluded.update(f["id"] for f, _ in _read([Passage("preamble", "", own_symbol, range(len(own_symbol)))], rules, own))
    found = sorted(
        _read(passages, rules, own, meeting_label=_meeting_label(own_meeting, rules)), key=lambda f: (f[1].start, f[1].end)
    )
    if text is not None and own_meeting:
        excluded.update(
            fields["id"]
            for fields, mention in found
            if fields["kind"] in INSTRUMENTS and _of_meeting(fields, own_meeting, rules) and _alone_on_line(text, mention)
        )
    references: dict[str, Reference] = {}
    for fields, mention in found:
        if fields["id"] in excluded or (fields["kind"] == "document" and document_key(fields["number"]) == own_document):
            continue
        reference = references.setdefault(fields["id"], Reference(**fields))
        if fields.get("status") == "draft":
            reference.status = "draft"
        reference.revision = reference.revision or fields.get("revision")
        if all((m.start, m.end) != (mention.start, mention.end) for m in reference.mentions):
            reference.mentions.append(mention)
    return list(references.values())
