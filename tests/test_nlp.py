"""What the entity stages share: regexes of rule words, memoizing on the rules' digest."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pytest

from jwpextract.nlp import alternation, memoized
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
