"""The rules audit: every regex of the bundled rules and of the stages is linear; a user's catastrophic
regex is refused at load with one line naming its file and key."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from jwpextract.actors import _names
from jwpextract.errors import RulesError
from jwpextract.references import _ordinal_words
from jwpextract.rules import bundled_rules_dir, load_rules
from jwpextract.rules_audit import audit, families, growth
from jwpextract.rules_check import regexes
from jwpextract.structure.decisions import DecisionPatterns
from jwpextract.timeframes import _grammar

from .conftest import CORPUS

CATASTROPHIC = [
    r"(a+)+$",
    r"(?:[A-Z][a-z]*/)+X",
    r"(\w+\s?)+$",
    r"(a|a)*b",
    r"\s*,(?:\s*[^\s,.;:]+){1,5}\s*,",
    r"a*a*a*a*a*b",
    # the document symbol before it was made linear
    r"^(?:Doc(?:ument)?\.?\s*)?(?P<value>(?:[A-Z][A-Za-z]*/)+[A-Za-z]*[A-Za-z0-9]*(?:[ ./-]*[A-Za-z0-9]+)*)$",
]
LINEAR = [
    r"^\d{1,3}$",
    r"^(?P<value>(?:[A-Z][A-Za-z]*+/)++(?:[ ./-]*+[A-Za-z0-9]++)*+)$",
    r"\bConf\s+(?=\d)",
    r"(?i)bold|black|heavy",
    r"^(?:(?P<label>[A-Z][a-z]+)\s+)?(?P<number>\d{1,2}(?:\.\d{1,2}){1,3})\.?(?:\s+(?P<rest>\S.*))?$",
]


def test_bundled_rules_are_linear() -> None:
    assert [str(finding) for finding in audit(regexes(load_rules()))] == []


def test_the_stages_regexes_built_from_the_rules_are_linear() -> None:
    rules = load_rules()
    actors, timeframes = _names(rules), _grammar(rules)
    searched = [actors.mention, actors.article, actors.separator, *actors.names.values(), _ordinal_words(rules)]
    searched += [timeframes.range, timeframes.plan_period, timeframes.meeting]
    matched = [actors.subject, timeframes.deadline, timeframes.opening, timeframes.core]
    decisions = DecisionPatterns(rules)
    searched += [decisions.kind_word]
    matched += [decisions.heading, decisions.numbered_title, decisions.chapeau, decisions.opener, decisions.adoption]
    grown = {regex.pattern[:60]: growth(regex) for regex in searched}
    grown |= {regex.pattern[:60]: growth(regex, anchored=True) for regex in matched}
    assert {pattern: str(found) for pattern, found in grown.items() if found} == {}


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_catastrophic_regexes_fail(pattern: str) -> None:
    found = growth(re.compile(pattern))
    assert found is not None
    assert found.long_seconds > found.short_seconds


@pytest.mark.parametrize("pattern", LINEAR)
def test_linear_regexes_pass(pattern: str) -> None:
    assert growth(re.compile(pattern)) is None


def test_near_misses_follow_what_matches_before_each_repetition() -> None:
    found = families(r"^(?:Doc\.)?(?P<value>(?:[A-Z]+/)+\d+)$")
    assert ("", "A/") in found  # the repeated segment
    assert ("", "A") in found  # the letters inside it
    assert ("A/", "0") in found  # the digits after one segment
    assert ("", "Doc.") in found  # a literal run of the pattern


USER_SPELLING = len(json.loads((bundled_rules_dir() / "references.json").read_text(encoding="utf-8"))["document_spellings"])
"""Index of a user's first document spelling in the merged list (after the bundled ones)."""

PLANTED: list[tuple[str, dict[str, Any], str]] = [
    ("layout.json", {"masthead": {"fields": {"agenda_item": "^(?P<value>(a+)+)$"}}}, "masthead.fields.agenda_item"),
    ("layout.json", {"page_number_patterns": ["(?:[A-Z][a-z]*/)+X"]}, "page_number_patterns[5]"),
    ("glyphs.json", {"bold_font_pattern": "(\\w+\\s?)+$"}, "bold_font_pattern"),
    ("references.json", {"document_spellings": [["(\\w+\\s?)+,", "x"]]}, f"document_spellings[{USER_SPELLING}]"),
    (
        "references.json",
        {
            "patterns": [
                {"id": "mine", "kind": "meeting", "pattern": [{"_": {"role": "body"}}, {"TEXT": {"REGEX": "^(a|a)*$"}}]}
            ]
        },
        "patterns.mine[1].TEXT.REGEX",
    ),
    ("timeframes.json", {"meeting_pattern": "(?:COP\\s*)+x"}, "meeting_pattern"),
]


@pytest.mark.parametrize(("file", "content", "key"), PLANTED, ids=[row[2] for row in PLANTED])
def test_a_catastrophic_user_regex_is_refused_at_load(file: str, content: dict[str, Any], key: str, tmp_path: Path) -> None:
    path = tmp_path / file
    path.write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(RulesError) as caught:
        load_rules([tmp_path])
    assert caught.value.path == str(path)
    assert caught.value.problem.startswith(f"{key}: time grows faster than the line's length")
    assert "\n" not in str(caught.value)


def test_auditing_a_users_folder_is_fast(tmp_path: Path) -> None:
    """Every regex of layout.json brought anew (wrapped in a group): all audited, in well under a second."""
    layout = load_rules().layout
    anew = {
        "page_number_patterns": [f"(?:{p})" for p in layout.page_number_patterns],
        "masthead": {
            "fields": {k: f"(?:{p})" for k, p in layout.masthead.fields.items()},
            "symbols": [{"id": s.id, "pattern": f"(?:{s.pattern})"} for s in layout.masthead.symbols],
        },
        "numbering": {k: f"(?:{p})" for k, p in layout.numbering.items()},
        "annex_heading": f"(?:{layout.annex_heading})",
    }
    (tmp_path / "layout.json").write_text(json.dumps(anew), encoding="utf-8")
    start = time.thread_time()
    load_rules([tmp_path])
    assert time.thread_time() - start < 1.0


def test_cli_refuses_a_catastrophic_rule_with_one_line(tmp_path: Path) -> None:
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    path = rules_dir / "layout.json"
    path.write_text(json.dumps({"masthead": {"fields": {"agenda_item": "^(?P<value>(a+)+)$"}}}), encoding="utf-8")
    out = tmp_path / "out.json"
    source = CORPUS / "UNEP-CMS-StC38-Doc4.txt"
    command = [sys.executable, "-m", "jwpextract", "extract", str(source), "-o", str(out), "--rules", str(rules_dir)]
    run = subprocess.run(command, capture_output=True, check=False)
    err = run.stderr.decode()
    assert run.returncode == 2
    assert len(err.strip().splitlines()) == 1
    assert f"{path}: masthead.fields.agenda_item: time grows faster" in err and "Traceback" not in err
    assert not out.exists()
