"""Document metadata from the masthead: symbol, ISO date, convention, meeting, distribution, language,
agenda item; a warning for each of them the masthead does not give."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .models import Document, Warning
from .references import ordinal_number
from .rules import Convention, Issuer, Rules

if TYPE_CHECKING:
    from .masthead import Masthead

Issuing = Convention | Issuer
"""Who issues a document: a convention of ``conventions.json`` or an issuer of the masthead rules."""
SEPARATORS = " \t|*,;:–—-()[]"
"""What may stand between the fields and names of a masthead cell."""
LEADING_NUMBER = re.compile(r"\d{1,3}")

DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+(\w+)\s+(\d{4})$")
MONTH_DAY_YEAR = re.compile(r"^(\w+)\s+(\d{1,2}),\s+(\d{4})$")


def iso_date(text: str | None, rules: Rules) -> str | None:
    """"5 October 2011" or "October 5, 2011" -> "2011-10-05"; None when unreadable."""
    if not text:
        return None
    text = " ".join(text.split())
    match = DAY_MONTH_YEAR.match(text)
    if match:
        day, month, year = match.groups()
    else:
        match = MONTH_DAY_YEAR.match(text)
        if not match:
            return None
        month, day, year = match.groups()
    number = rules.layout.months.get(month.lower())
    if number is None or not 1 <= int(day) <= 31:
        return None
    return f"{int(year):04d}-{number:02d}-{int(day):02d}"


def opens_with(text: str, name: str) -> bool:
    """Whether ``text`` opens with ``name`` as whole words."""
    return text.startswith(name) and not text[len(name) : len(name) + 1].isalnum()


def session_of(text: str, rules: Rules) -> int | None:
    """A session as a masthead prints it: "13th" -> 13, "Twenty-fifth" -> 25; None otherwise."""
    figures = LEADING_NUMBER.match(text)
    if figures:
        return int(figures.group()) or None
    return ordinal_number(text, rules)


def _issuers(rules: Rules) -> list[Issuing]:
    return [*rules.conventions.conventions, *rules.layout.masthead.issuers]


def convention_of_symbol(symbol: str | None, rules: Rules) -> Issuing | None:
    if not symbol:
        return None
    prefixes = [(p, c) for c in _issuers(rules) for p in c.symbol_prefixes]
    for prefix, conv in sorted(prefixes, key=lambda pc: len(pc[0]), reverse=True):
        if symbol.upper().startswith(prefix.upper()):
            return conv
    return None


def conventions_named_in(text: str, rules: Rules) -> list[Convention]:
    """Conventions named in ``text`` (short or full names, whole words), in order of first mention."""
    first: dict[str, tuple[int, Convention]] = {}
    for name, conv in rules.convention_aliases.items():
        match = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, flags=re.IGNORECASE)
        if match and (conv.key not in first or match.start() < first[conv.key][0]):
            first[conv.key] = (match.start(), conv)
    return [conv for _, conv in sorted(first.values(), key=lambda pc: pc[0])]


def _named(name: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, flags=re.IGNORECASE) is not None


def _issuer_named(text: str, rules: Rules) -> Issuing | None:
    """The convention named first in ``text``, else an issuer named in it ("General Assembly")."""
    named = conventions_named_in(text, rules)
    if named:
        return named[0]
    return next((i for i in rules.layout.masthead.issuers if any(_named(n, text) for n in [i.short, *i.names])), None)


def _body_at(text: str, issuer: Issuing, rules: Rules) -> str | None:
    """The key of the body a masthead line names ("Conference of the Parties to the Convention on ...",
    "General Assembly"), or None when the line says more than a body's name."""
    lowered = " ".join(text.split()).strip(SEPARATORS).lower()
    forms = [(form.lower(), key) for key, printed in issuer.bodies.items() for form in printed]
    found = [(form, key) for form, key in forms if opens_with(lowered, form)]
    if not found:
        return None
    form, key = max(found, key=lambda fk: len(fk[0]))
    rest = lowered[len(form) :].strip(SEPARATORS)
    return key if not rest or any(rest.startswith(f"{j} ") for j in rules.layout.masthead.joiners) else None


def _body_before(text: str, issuer: Issuing, rules: Rules) -> str | None:
    """The key of the body whose name ends ``text``: "Report of the Conference of the Parties", "Report of
    the Plenary of the Intergovernmental Science-Policy Platform on Biodiversity and Ecosystem Services"."""
    lowered = " ".join(text.split()).lower()
    name = next((n for n in sorted((n.lower() for n in issuer.names), key=len, reverse=True) if lowered.endswith(n)), None)
    if name:
        lowered = lowered.removesuffix(name).rstrip()
        joiner = next((j for j in rules.layout.masthead.joiners if lowered.endswith(f" {j}")), "")
        lowered = lowered.removesuffix(joiner).rstrip()
    found = [(form, key) for key, printed in issuer.bodies.items() for form in (p.lower() for p in printed)]
    ending = [(form, key) for form, key in found if lowered.endswith(form)]
    return max(ending, key=lambda fk: len(fk[0]))[1] if ending else None


def masthead_meeting(masthead: Masthead, issuer: Issuing | None, rules: Rules) -> str | None:
    """The document's own meeting from its masthead: a session under its body ("General Assembly" /
    "Seventy-eighth session"), a session of a body ("59th meeting of the Standing Committee"), or the
    session in a report's title ("Report of the Conference of the Parties on its twenty-fifth session")."""
    if issuer is None:
        return None
    body = None
    previous = ""  # the line before, when it is no field: a body's name broken over two lines
    for line in masthead.lines:
        fields = [f for other, f in masthead.fields if other is line]
        for found in (f for f in fields if f.name == "session"):
            key = _body_at(found.body, issuer, rules) if found.body else body
            session = session_of(found.value, rules)
            if key and session:
                return f"{issuer.key}/meeting/{key}/{session}"
        names = [f.value for f in fields if f.name == "names"]
        printed = names if fields else [f"{previous} {line.text}", line.text]
        body = next((key for text in printed if (key := _body_at(text, issuer, rules))), body)
        previous = "" if fields else line.text
    title = ""
    for line in masthead.after:  # a word broken at its hyphen joins without a space: "seventy-" "second"
        title += line.text if title.endswith("-") or not title else f" {line.text}"
    match = re.search(rules.layout.masthead.report_session, title)
    key = _body_before(title[: match.start()], issuer, rules) if match else None
    session = session_of(match.group("value"), rules) if match else None
    return f"{issuer.key}/meeting/{key}/{session}" if key and session else None


def document_metadata(masthead: Masthead | None, rules: Rules) -> tuple[Document, list[Warning]]:
    """``document`` from the masthead, and a warning for what it does not give (when the masthead prints no
    session, the meeting of the symbol is added later)."""
    if masthead is None:
        return Document(), [
            Warning(code="masthead-not-found", message="no masthead on the first page: no document symbol or date")
        ]
    symbol = masthead.symbol()
    text = " ".join(line.text for line in masthead.lines)
    issuer = convention_of_symbol(symbol, rules) or _issuer_named(text, rules)
    page = masthead.lines[0].page
    warnings = [
        Warning(code=f"{name}-not-found", message=f"the masthead on page {page} gives no document {name}")
        for name, value in (("symbol", symbol), ("date", masthead.first("date")))
        if value is None
    ]
    document = Document(
        symbol=symbol,
        date=iso_date(masthead.first("date"), rules),
        convention=issuer.short if issuer else None,
        meeting=masthead_meeting(masthead, issuer, rules),
        distribution=masthead.first("distribution"),
        original_language=masthead.first("original_language"),
        agenda_item=masthead.first("agenda_item"),
    )
    return document, warnings
