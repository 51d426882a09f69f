"""What the entity stages share: regexes of rule words, memoizing on the rules' digest."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pytest
from spacy.vocab import Vocab

from jwpextract.nlp import RunTokenizer, alternation, marked, memoized, parse
from jwpextract.rules import Rules


def one_by_one(words: Iterable[str]) -> str:
    """The alternation by definition: each word its own alternative, with its own word boundaries."""
    parts = []
    for word in sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True):
        body = r"\s+".join(re.escape(piece) for piece in word.split())
        parts.append((r"(?<!\w)" if word[0].isalnum() else "") + body + (r"(?!\w)" if word[-1].isalnum() else ""))
    return "(?:" + ("|".join(parts) or "(?!)") + ")"


ALTERNATIONS = [
    (["CMS", "CMS Secretariat", "the Secretariats"], "The CMS  Secretariat and the\nSecretariats; CMSX, xCMS."),
    (["/", ",", "and", "&"], "CBD/CMS, AEWA and Ramsar & CITES; band"),
    (["By", "Q3", "mid-"], "By 2018, Q3 2020, mid-2019, Bypass"),
    (["(lead)", "lead"], "CMS (lead), lead, leader"),
    ([], "anything"),
    (["  ", "x"], "x y"),
]


@pytest.mark.parametrize(("words", "text"), ALTERNATIONS)
@pytest.mark.parametrize("ignore_case", [False, True])
def test_alternation_matches_like_one_alternative_per_word(words: list[str], text: str, ignore_case: bool) -> None:
    flag = re.IGNORECASE if ignore_case else 0
    found = [m.span() for m in re.finditer(alternation(words), text, flag)]
    assert found == [m.span() for m in re.finditer(one_by_one(words), text, flag)]


@pytest.mark.parametrize(
    ("words", "text", "expected"),
    [
        (["CMS", "CMS Secretariat"], "the CMS  Secretariat, CMS", ["CMS  Secretariat", "CMS"]),
        (["CMS"], "CMSX xCMS CMS.", ["CMS"]),
        (["/"], "CBD/CMS", ["/"]),
        ([], "CMS", []),
    ],
)
def test_alternation_finds_whole_words_longest_first(words: list[str], text: str, expected: list[str]) -> None:
    assert re.findall(alternation(words), text) == expected


def test_memoized_calls_once_per_text_and_rules_digest(rules: Rules) -> None:
    calls: list[tuple[str, str]] = []

    @memoized
    def shout(text: str, rules: Rules) -> str:
        """The text in capitals."""
        calls.append((text, rules.digest))
        return text.upper()

    other = rules.model_copy(update={"digest": "another-digest"})
    results = [shout(text, r) for text, r in [("a", rules), ("a", rules), ("b", rules), ("a", other), ("a", rules)]]
    assert results == ["A", "A", "B", "A", "A"]
    assert calls == [("a", rules.digest), ("b", rules.digest), ("a", "another-digest")]
    assert shout.__doc__ == "The text in capitals."


def runs(text: str) -> tuple[list[str], list[bool]]:
    """The tokens by definition: runs of letters, of digits, of white space and single other characters; a
    white space run starting with a space after a token gives the token its space, the rest is a token."""
    words: list[str] = []
    spaces: list[bool] = []
    for run in re.findall(r"[^\W\d_]+|\d+|\s+|.", text, re.DOTALL):
        if run.isspace() and words and run.startswith(" "):
            spaces[-1] = True
            run = run[1:]
        if run:
            words.append(run)
            spaces.append(False)
    return words, spaces


@pytest.mark.parametrize(
    "text",
    [
        "Res.8.11 and COP10",
        "  two  spaces\n\n and\ttabs ",
        "UNEP/CMS/StC38/Doc.4",
        "x² ½ 10th_of décembre 2019–2020",
        "\u00a0no-break\u00a0 spaces \u2003",
        "",
        " ",
        "\n",
    ],
)
def test_run_tokenizer_tokens_and_spaces(text: str) -> None:
    doc = RunTokenizer(Vocab())(text)
    assert ([t.text for t in doc], [bool(t.whitespace_) for t in doc]) == runs(text)
    assert doc.text == text


def test_parse_tokenizes_by_runs_and_marks_rule_names(rules: Rules) -> None:
    doc = parse("the CBD Secretariat and CMS COP10", rules)
    assert [(t.text, t._.role, t._.value) for t in doc] == [
        ("the", "", ""),
        ("CBD", "convention", "cbd"),
        ("Secretariat", "", ""),
        ("and", "", ""),
        ("CMS", "convention", "cms"),
        ("COP", "body", "COP"),
        ("10", "", ""),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "no names here",
        "the Convention on Biological Diversity in its decision VI/20 and CMS COP 10, see UNEP/CMS/Conf 10.28",
        "Conference of the Parties serving as the meeting of the Parties to the Paris Agreement, decisions 1/CP.19",
    ],
)
def test_marked_tokens_are_those_with_a_role(text: str, rules: Rules) -> None:
    doc = parse(text, rules)
    assert [t.i for t in marked(doc)] == [t.i for t in doc if t._.role]
