from __future__ import annotations

import time

import pytest

from jwpextract.layout import Line
from jwpextract.textjoin import JoinedText


def lines_of(*texts: str) -> tuple[str, list[Line]]:
    doc, lines, offset = "", [], 0
    for i, text in enumerate(texts):
        lines.append(Line(text, 1, i, offset))
        doc += text + "\n"
        offset += len(text) + 1
    return doc, lines


@pytest.mark.parametrize(
    ("texts", "joined"),
    [
        (("biodiversity-", "related conventions"), "biodiversity-related conventions"),
        (("UN Decade on Biodiversity 2011-", "2020. For example"), "UN Decade on Biodiversity 2011-2020. For example"),
        (("The 11", "th", "Meeting of the Parties"), "The 11th Meeting of the Parties"),
        (("SC69 Doc.", "8.1"), "SC69 Doc. 8.1"),
        (("policy  coherence", "and   implementation"), "policy coherence and implementation"),
        (("pursued", "– one such example"), "pursued – one such example"),
    ],
)
def test_join_repairs(texts: tuple[str, ...], joined: str) -> None:
    doc, lines = lines_of(*texts)
    out = JoinedText()
    for line in lines:
        out.add(line)
    assert out.text == joined
    assert len(out.origin) == len(out.text)
    for i, ch in enumerate(out.text):
        if ch != " ":
            assert doc[out.origin[i]] == ch


def test_pieces_keep_document_offsets() -> None:
    doc, lines = lines_of("1.1 The Secretariats will", "cooperate.")
    out = JoinedText()
    out.add(lines[0], "The Secretariats will", 4)
    out.add(lines[1])
    assert out.text == "The Secretariats will cooperate."
    assert (out.start, doc[out.start : out.start + 3]) == (4, "The")
    assert doc[out.origin[out.text.index("cooperate")] :].startswith("cooperate")


def folded(piece: str, start: int) -> tuple[str, list[int]]:
    """White space folding by definition, character by character: a run becomes one space at its first offset."""
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(piece):
        if ch.isspace() and i > 0 and piece[i - 1].isspace():
            continue
        out.append(" " if ch.isspace() else ch)
        origin.append(start + i)
    return "".join(out), origin


@pytest.mark.parametrize(
    "piece",
    [
        "policy  coherence",
        "a\t\n b",
        "a\u00a0\u2003b c",
        "a\tb\nc d",
        "  lead",
        "trail \t",
        "",
        " ",
        "\t",
        "x",
        "a \u3000\u200bb",
    ],
)
def test_white_space_runs_fold_to_one_space(piece: str) -> None:
    out = JoinedText()
    out._append(piece, 7)
    assert (out.text, out.origin) == folded(piece, 7)


def test_a_line_given_in_pieces_or_appended_from_outside_is_listed_once() -> None:
    _, lines = lines_of("1.1 The Secretariats will", "cooperate", "widely.")
    out = JoinedText()
    out.add(lines[0], "1.1", 0)
    out.add(lines[0], "The Secretariats will", 4)
    out.lines.append(lines[1])  # as structure adds a line whose text went elsewhere
    out.add(lines[1])
    out.add(lines[2])
    other = JoinedText()
    other.add(lines[2])
    out.add_text(other)
    assert out.lines == lines
    assert out.text == "1.1 The Secretariats will cooperate widely. widely."


def test_joining_is_linear_in_the_number_of_lines() -> None:
    """100,000 lines in one text: seconds (a lookup of each line in the list before: hours)."""
    _, lines = lines_of(*(f"line {n} of a long paragraph-" if n % 7 else f"line {n}" for n in range(100_000)))
    started = time.perf_counter()
    out = JoinedText()
    for line in lines:
        out.add(line)
    assert out.text.count(" line ") == sum(1 for n in range(99_999) if n % 7 == 0)  # after an unhyphenated line
    assert len(out.origin) == len(out.text) and out.lines == lines
    assert time.perf_counter() - started < 10
