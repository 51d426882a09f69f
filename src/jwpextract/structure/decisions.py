"""Decisions, resolutions and recommendations printed in a document.

A decision opens with its heading ("Decision 3/CP.25", "Resolution XIII.5: Title", "78/272. Title",
"Draft decision"), then its title lines, then the chapeau naming the body that takes it ("The
Conference of the Parties,"). A heading counts only when its chapeau, a preambular paragraph or
operative paragraph 1 follows within a few lines: a table of contents lists the same numbers
without them. The body is the preamble (unnumbered paragraphs opening with a participle:
"Recalling", "Noting"), then the numbered operative paragraphs with their items, up to the adoption
line ("8th plenary meeting" and its date) or the next heading. The words and forms are rules data
(``rules/documents.json``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..layout import Line
from ..rules import Rules
from ..textjoin import JoinedText
from .cover import parse_cover
from .parsed import ParsedDecision
from .patterns import Patterns

LOOK_BEHIND = 6  # lines above a numbered-title heading where its instrument word may be printed


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


class DecisionPatterns:
    """The rules' decision forms, compiled once per extraction."""

    def __init__(self, rules: Rules) -> None:
        spec = rules.documents
        self.kinds = {word.lower(): kind for kind, words in spec.instrument_words.items() for word in words}
        kinds = _alternatives(list(self.kinds))
        drafts = _alternatives(spec.draft_words)
        self.heading = re.compile(
            rf"^(?:(?P<draft>(?i:{drafts}))\s+)?(?P<kind>(?i:{kinds}))"
            rf"(?:\s+(?P<number>{spec.instrument_number}))?"
            r"(?:\s*[.:–—-]\s*(?P<title>\S.*)|\s+(?P<upper>[A-Z\"“].*))?$"
        )
        self.numbered_title = re.compile(spec.numbered_title)
        printed = _alternatives([word for words in spec.instrument_words.values() for word in words])
        self.kind_word = re.compile(rf"(?<!\w)(?P<kind>{printed})(?!\w)")
        self.chapeau = re.compile(spec.chapeau)
        self.opener = re.compile(spec.preamble_opener)
        self.adoption = re.compile(spec.adoption)
        self.lookahead = spec.chapeau_lookahead


@dataclass
class _Heading:
    number: str | None
    kind: str
    draft: bool
    title: JoinedText


def _heading(lines: list[Line], i: int, dp: DecisionPatterns, every: list[Line]) -> _Heading | None:
    """The decision heading printed on ``lines[i]``, if the line is one (``every``: all the document's
    lines, letterhead included, by index)."""
    line = lines[i]
    title = JoinedText()
    match = dp.heading.match(line.text)
    if match:
        rest = "title" if match.group("title") else "upper"
        if match.group(rest):
            title.add(line, match.group(rest), line.start + match.start(rest))
        kind = dp.kinds[match.group("kind").lower()]
        return _Heading(match.group("number"), kind, bool(match.group("draft")), title)
    match = dp.numbered_title.match(line.text)
    if match is None:
        return None
    title.add(line, match.group("title"), line.start + match.start("title"))
    kind = "decision"
    for earlier in reversed(every[max(0, line.index - LOOK_BEHIND) : line.index]):
        named = dp.kind_word.search(earlier.text)
        if named:
            kind = dp.kinds[named.group("kind").lower()]
            break
    return _Heading(match.group("number"), kind, False, title)


def _body_start(lines: list[Line], i: int, pat: Patterns, dp: DecisionPatterns) -> int | None:
    """Index of the chapeau (or first preambular or operative paragraph) after the heading at ``i``."""
    for j in range(i + 1, min(len(lines), i + 1 + dp.lookahead)):
        text = lines[j].text
        joined = f"{text} {lines[j + 1].text}" if j + 1 < len(lines) else text
        if dp.chapeau.match(text) or (not text.endswith(",") and dp.chapeau.match(joined)):
            return j
        para = pat.paragraph.match(text)
        if (para and para.group("number") == "1") or (dp.opener.match(text) and j > i + 1):
            return j
        if dp.heading.match(text) or dp.numbered_title.match(text):
            return None
    return None


def find_decisions(
    lines: list[Line], every: list[Line], pat: Patterns, dp: DecisionPatterns
) -> list[tuple[int, int, _Heading]]:
    """(heading index, body index, heading) of every decision printed in ``lines`` (the content lines
    of ``every`` line of the document)."""
    found = []
    i = 0
    while i < len(lines):
        heading = _heading(lines, i, dp, every)
        body = _body_start(lines, i, pat, dp) if heading else None
        if heading is None or body is None:
            i += 1
            continue
        for line in lines[i + 1 : body]:
            heading.title.add(line)
        found.append((i, body, heading))
        i = body
    return found


def _chapeau_end(lines: list[Line], dp: DecisionPatterns) -> int:
    """Lines of the chapeau at the start of the body (0 when the body opens with a paragraph)."""
    if lines and dp.chapeau.match(lines[0].text):
        return 1
    if len(lines) > 1 and dp.chapeau.match(f"{lines[0].text} {lines[1].text}"):
        return 2
    return 0


def _preamble(lines: list[Line], dp: DecisionPatterns) -> list[JoinedText]:
    """Preambular paragraphs: each opens with an opener word after a line ending a clause."""
    paragraphs: list[JoinedText] = []
    for line in lines:
        opens = dp.opener.match(line.text) and (not paragraphs or paragraphs[-1].text.endswith((",", ";", ":")))
        if opens or not paragraphs:
            paragraphs.append(JoinedText())
        paragraphs[-1].add(line)
    return paragraphs


def _adoption(lines: list[Line], dp: DecisionPatterns, rules: Rules) -> tuple[int, JoinedText | None]:
    """Index of the adoption line in the body (``len(lines)`` when none) and its text with its date."""
    from ..metadata import iso_date

    for k, line in enumerate(lines):
        if dp.adoption.match(line.text):
            joined = JoinedText()
            joined.add(line)
            if k + 1 < len(lines) and iso_date(lines[k + 1].text, rules):
                joined.add(lines[k + 1])
            return k, joined
    return len(lines), None


def parse_decision(
    heading: _Heading, head_line: Line, body: list[Line], pat: Patterns, dp: DecisionPatterns, rules: Rules
) -> ParsedDecision:
    """The decision whose ``body`` (chapeau on) follows its heading."""
    end, adoption = _adoption(body, dp, rules)
    body = body[_chapeau_end(body, dp) : end]
    first = next((k for k, line in enumerate(body) if (m := pat.paragraph.match(line.text)) and m["number"] == "1"), None)
    first = len(body) if first is None else first
    _title, paragraphs, _preface = parse_cover(body[first:], pat)
    return ParsedDecision(
        number=heading.number,
        kind=heading.kind,
        draft=heading.draft,
        title=heading.title if heading.title.text else None,
        heading=head_line,
        preamble=_preamble(body[:first], dp),
        paragraphs=paragraphs,
        adoption=adoption,
        lines=[head_line, *body],
    )
