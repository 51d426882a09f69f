"""The cover note: numbered paragraphs with their headings and sub-paragraphs, the title and preamble."""

from __future__ import annotations

import re

from ..layout import Line
from ..textjoin import JoinedText
from ..wording import SENTENCE_END
from .parsed import ParsedItem, ParsedParagraph
from .patterns import SHORT_HEADING, Patterns, starts_upper, word_count


def _is_heading(lines: list[Line], i: int, prev_text: str | None, pat: Patterns, expected: int) -> bool:
    text = lines[i].text
    layout = pat.rules.layout
    if not starts_upper(text) or word_count(text) > layout.heading_max_words or re.search(r"[.,;]$|\. ", text):
        return False
    if pat.paragraph.match(text) or pat.item_start(text, False):
        return False
    after_sentence = prev_text is None or bool(SENTENCE_END.search(prev_text))
    colon = text.endswith(":")
    if not (after_sentence or (colon and word_count(text) <= SHORT_HEADING) or lines[i].bold):
        return False
    nxt = lines[i + 1].text if i + 1 < len(lines) else ""
    para = pat.paragraph.match(nxt)
    next_paragraph = bool(para and int(para.group("number")) == expected)
    short = word_count(text) <= SHORT_HEADING
    return next_paragraph or lines[i].bold or (colon and short)


def parse_cover(lines: list[Line], pat: Patterns) -> tuple[JoinedText | None, list[ParsedParagraph], JoinedText | None]:
    """Numbered paragraphs with their headings and sub-paragraphs; the title printed before them; the
    preamble (the text before the first paragraph from a heading or a line ending in a comma on: a
    decision's "The Conference of the Parties," "Recalling ...")."""
    title = JoinedText()
    preamble = JoinedText()
    paragraphs: list[ParsedParagraph] = []
    heading: str | None = None
    current: ParsedParagraph | None = None
    item: ParsedItem | None = None
    prev_text: str | None = None
    for i, line in enumerate(lines):
        text = line.text
        expected = int(paragraphs[-1].number) + 1 if paragraphs else 1
        match = pat.paragraph.match(text)
        if match and (int(match.group("number")) == expected or (not paragraphs and int(match.group("number")) < 3)):
            current = ParsedParagraph(match.group("number"), heading)
            current.body.add(line, match.group("rest"), line.start + match.start("rest"))
            paragraphs.append(current)
            item = None
        elif current and (found := pat.item_start(text, bool(prev_text and prev_text.endswith(":")))):
            item = ParsedItem(found[0])
            item.body.add(line, found[1], line.start + text.index(found[1]) if found[1] else line.end)
            current.items.append(item)
        elif _is_heading(lines, i, prev_text if current else None, pat, expected):
            heading = text.rstrip(":").strip()
            current = item = None
        elif item is not None:
            item.body.add(line)
        elif current is not None:
            current.body.add(line)
        elif heading is None and not paragraphs and not preamble.lines and not text.endswith((",", ";")):
            title.add(line)
        elif not paragraphs:
            preamble.add(line)
        prev_text = text
    return (title if title.text else None), paragraphs, (preamble if preamble.text else None)

