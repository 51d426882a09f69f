"""The masthead: the block at the top of a document's first page that states the document's own metadata.

A line is read as cells (a text conversion prints them between "|"). A cell is a masthead cell when it
is wholly fields (``rules/layout.json`` ``masthead``: a symbol of one of the secretariats' forms, the
distribution, a date, the original language, the agenda item, the session, the venue) and names printed
beside them ("United Nations", a convention's, an issuer's or a body's name). The masthead is the run of
lines around the first line that gives a symbol, a distribution or an original language: masthead lines,
lines of names only, short lines in capitals (a convention's name broken over lines), printed rules and
labels whose value is on the next line ("Distr." over "GENERAL"). It needs two pieces of evidence: two
fields, or a field and names. Print job numbers, barcodes and banners (``not_metadata``) are furniture,
never a symbol or a date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .layout import Line
from .metadata import SEPARATORS, iso_date, opens_with, session_of
from .nlp import per_rules
from .rules import Rules

NAMES = "names"
"""The pseudo-field of the names printed beside the fields: "United Nations", "General Assembly"."""
STRONG = ("symbol", "distribution", "original_language")
"""Fields that open a masthead; a date, an agenda item or a session alone do not."""
TITLE_LINES = 3
"""Lines after the masthead read for a report's title ("Report of ... on its twenty-fifth session")."""
START = r"(?<![\w/.\-])"
END = r"(?![\w/])"


@dataclass(frozen=True)
class Field:
    name: str
    value: str
    body: str | None = None  # a session's body printed after it: "59th meeting of the Standing Committee"


@dataclass
class Masthead:
    lines: list[Line]
    fields: list[tuple[Line, Field]]
    after: list[Line] = field(default_factory=list)  # the lines right after the block: a report's title

    def first(self, name: str) -> str | None:
        return next((f.value for _, f in self.fields if f.name == name), None)

    def symbol(self) -> str | None:
        """The document's symbol: the one beside "Distr.", else the one furthest right, else the first."""
        symbols = [(line, f) for line, f in self.fields if f.name == "symbol"]
        beside = [f for line, f in symbols if any(o.name == "distribution" for other, o in self.fields if other is line)]
        if beside:
            return beside[0].value
        placed = [(line.bbox[0], f) for line, f in symbols if line.bbox]
        if len(placed) == len(symbols) > 1:
            return max(placed, key=lambda xf: xf[0])[1].value
        return symbols[0][1].value if symbols else None


@dataclass(frozen=True)
class _Patterns:
    fields: list[tuple[str, re.Pattern[str]]]
    labels: re.Pattern[str]
    not_metadata: list[re.Pattern[str]]
    names: list[str]  # lower case, longest first: names and joiners


@per_rules
def patterns(rules: Rules) -> _Patterns:
    head = rules.layout.masthead
    pairs = [("symbol", rule.pattern) for rule in head.symbols] + list(head.fields.items())
    names = {*head.words, *head.joiners}
    for issuer in [*rules.conventions.conventions, *head.issuers]:
        names.update([issuer.short, *issuer.names, *(form for forms in issuer.bodies.values() for form in forms)])
    return _Patterns(
        fields=[(name, re.compile(f"{START}(?:{pattern}){END}")) for name, pattern in pairs],
        labels=re.compile(head.labels),
        not_metadata=[re.compile(pattern) for pattern in head.not_metadata],
        names=sorted({n.lower() for n in names}, key=len, reverse=True),
    )


def is_not_metadata(text: str, rules: Rules) -> bool:
    """A print job number, a barcode, a banner: furniture, never a symbol or a date."""
    return any(p.fullmatch(text.strip()) for p in patterns(rules).not_metadata)


def names_only(text: str, rules: Rules) -> bool:
    """Whether ``text`` is nothing but names and joiners ("United Nations", "Conference of the Parties to the
    Convention on Biological Diversity"); empty text is."""
    rest = text.strip(SEPARATORS).lower()
    while rest:
        name = next((n for n in patterns(rules).names if opens_with(rest, n)), None)
        if name is None:
            return False
        rest = rest[len(name) :].lstrip(SEPARATORS)
    return True


def _field(name: str, match: re.Match[str], rules: Rules) -> Field | None:
    """The field of a match, or None when its value does not read (no such date, no ordinal)."""
    value = " ".join(match.group("value").split())
    if name == "symbol":
        value = value.rstrip(".")
        if value.endswith(")") and value.count(")") > value.count("("):
            value = value[:-1]
        return Field(name, value) if any(c.isdigit() for c in value) else None
    if name == "date" and iso_date(value, rules) is None:
        return None
    if name == "session":
        body = match.groupdict().get("body")
        return Field(name, value, " ".join(body.split()) if body else None) if session_of(value, rules) else None
    return Field(name, value)


def cell_fields(cell: str, rules: Rules) -> list[Field] | None:
    """The fields of a cell that holds nothing but fields and names; None for any other cell."""
    found: list[tuple[int, int, Field]] = []
    for name, pattern in patterns(rules).fields:
        for match in pattern.finditer(cell):
            read = _field(name, match, rules)
            if read is not None:
                found.append((match.start(), match.end(), read))
    chosen: list[Field] = []
    position = 0
    for start, end, read in sorted(found, key=lambda f: (f[0], f[0] - f[1])):
        if start >= position:
            chosen += [*_names(cell[position:start]), read]
            position = end
    chosen += _names(cell[position:])
    if not any(f.name != NAMES for f in chosen) or not all(names_only(f.value, rules) for f in chosen if f.name == NAMES):
        return None
    return chosen


def _names(text: str) -> list[Field]:
    text = " ".join(text.split()).strip(SEPARATORS)
    return [Field(NAMES, text)] if text else []


def line_fields(text: str, rules: Rules) -> list[Field] | None:
    """The fields of a masthead line, the names beside them as fields ``NAMES``: every cell fields or
    names; None for any other line."""
    fields: list[Field] = []
    for cell in (c.strip() for c in text.split("|")):
        found = _names(cell) if names_only(cell, rules) else cell_fields(cell, rules)
        if found is None:
            return None
        fields += found
    return fields


@dataclass
class _Read:
    fields: list[Field] | None
    kind: str | None  # "fields", "label", "rule" (a printed line: "____"), "capitals"; None: not masthead


def _in_capitals(text: str, rules: Rules) -> bool:
    """A short line in capitals, or opening with a convention's full name ("THE CONVENTION ON WETLANDS
    (Ramsar, Iran, 1971)"); not an annex heading or a plan's title, which open the text after the masthead."""
    layout = rules.layout
    if len(text) > layout.letterhead_line_max_chars or re.match(layout.annex_heading, text) or layout.names_plan(text):
        return False
    letters = [c for c in text if c.isalpha()]
    lowered = text.lower().removeprefix("the ")
    named = any(opens_with(lowered, n.lower()) for c in rules.conventions.conventions for n in c.names)
    return bool(letters) and (all(c.isupper() for c in letters) or lowered in rules.convention_aliases or named)


def _read_lines(lines: list[Line], rules: Rules) -> list[_Read]:
    """Each line as the masthead sees it; a label alone on its line is read with the next line."""
    reads: list[_Read] = []
    label = ""
    for line in lines:
        text = line.text.strip()
        if patterns(rules).labels.fullmatch(text):
            reads.append(_Read([], "label"))
            label = text
            continue
        if not any(c.isalnum() for c in text):
            reads.append(_Read([], "rule"))
            continue
        fields = (line_fields(f"{label} {text}", rules) if label else None) or line_fields(text, rules)
        label = ""
        if fields is not None:
            reads.append(_Read(fields, "fields"))
        else:
            reads.append(_Read(None, "capitals" if _in_capitals(text, rules) else None))
    return reads


def find_masthead(lines: list[Line], rules: Rules) -> Masthead | None:
    """The masthead among ``lines`` (the first page's, in reading order), or None."""
    reads = _read_lines(lines, rules)
    anchor = next(
        (i for i, r in enumerate(reads) if r.fields and any(f.name in STRONG for f in r.fields)),
        None,
    )
    if anchor is None:
        return None
    start = end = anchor
    while start > 0 and reads[start - 1].kind:
        start -= 1
    while end + 1 < len(lines) and reads[end + 1].kind:
        end += 1
    while reads[end].kind != "fields":  # a title in capitals after the masthead is the title
        end -= 1
    fields = [(lines[i], f) for i in range(start, end + 1) for f in reads[i].fields or []]
    if len({f.name for _, f in fields}) < 2:
        return None
    return Masthead(lines[start : end + 1], fields, lines[end + 1 : end + 1 + TITLE_LINES])
