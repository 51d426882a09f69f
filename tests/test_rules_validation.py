"""Malformed rules fail at load with one line naming the file, the key and the problem (exit 2 on the CLI)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jwpextract.errors import RulesError
from jwpextract.rules import RULE_FILES, bundled_rules_dir, load_rules
from jwpextract.rules_check import MAX_DEPTH, check_rules, depth_error, regexes

from .conftest import CORPUS

SEED = CORPUS / "UNEP-CMS-StC38-Doc4.txt"


def pattern(kind: str, *tokens: dict[str, Any]) -> dict[str, Any]:
    return {"patterns": [{"id": "mine", "kind": kind, "pattern": list(tokens)}]}


def nested(depth: int) -> dict[str, Any]:
    value: Any = "x"
    for _ in range(depth - 1):
        value = [value]
    return {"table_header_words": value}


USER_SPELLING = len(json.loads((bundled_rules_dir() / "references.json").read_text(encoding="utf-8"))["document_spellings"])
"""Index of a user's first document spelling in the merged list (after the bundled ones)."""

MALFORMED: list[tuple[str, str, Any, list[str]]] = [
    # (id, file, content, what the message says besides the file)
    ("unknown kind", "references.json", pattern("treaty", {"ORTH": "x"}), ["patterns.mine", "unknown kind 'treaty'"]),
    (
        "unknown attribute",
        "references.json",
        pattern("meeting", {"NOT_AN_ATTR": "x"}),
        ["patterns.mine", "invalid meeting pattern", "NOT_AN_ATTR"],
    ),
    ("bad operator", "references.json", pattern("meeting", {"ORTH": "x", "OP": "??"}), ["patterns.mine", "OP"]),
    ("empty pattern", "references.json", pattern("document"), ["patterns.mine", "at least 1 item"]),
    (
        "bad attribute value",
        "references.json",
        pattern("target", {"LENGTH": {"<=": "two"}}),
        ["patterns.mine", "LENGTH"],
    ),
    (
        "bad REGEX",
        "references.json",
        pattern("meeting", {"_": {"role": "body"}}, {"TEXT": {"REGEX": "(unclosed"}}),
        ["patterns.mine[1].TEXT.REGEX", "invalid regular expression"],
    ),
    (
        "instrument without kind word",
        "references.json",
        pattern("instrument", {"_": {"role": "body"}}, {"IS_DIGIT": True}),
        ["patterns.mine", 'needs a token, never optional, with {"_": {"role": "kind"}}'],
    ),
    ("score past 100", "entities.json", {"fuzzy_threshold": 101}, ["fuzzy_threshold", "less than or equal to 100"]),
    ("negative margin", "actors.json", {"fuzzy_margin": -1}, ["fuzzy_margin", "greater than or equal to 0"]),
    (
        "unknown extension",
        "references.json",
        pattern("meeting", {"_": {"colour": "red"}}),
        ["patterns.mine", "unknown token attribute _.colour"],
    ),
    (
        "spelling regex",
        "references.json",
        {"document_spellings": [["Doc(", "Doc."]]},
        [f"document_spellings[{USER_SPELLING}]", "invalid regular expression 'Doc('"],
    ),
    (
        "spelling group number",
        "references.json",
        {"document_spellings": [["Doc\\s+", "\\2"]]},
        [f"document_spellings[{USER_SPELLING}]", "invalid replacement '\\\\2'"],
    ),
    (
        "spelling group name",
        "references.json",
        {"document_spellings": [["(?P<n>\\d+)", "\\g<m>"]]},
        [f"document_spellings[{USER_SPELLING}]", "unknown group name 'm'"],
    ),
    ("spelling escape", "references.json", {"document_spellings": [["Doc", "\\q"]]}, ["bad escape \\q"]),
    (
        "metadata without value",
        "layout.json",
        {"masthead": {"fields": {"date": "^Date \\S+$"}}},
        ["masthead.fields", "has no group 'value'"],
    ),
    (
        "numbering without number",
        "layout.json",
        {"numbering": {"paragraph": "^(\\d{1,3})\\.\\s+(?P<rest>\\S.*)$"}},
        ["numbering.paragraph", "no group named 'number'"],
    ),
    (
        "item without label2",
        "layout.json",
        {"numbering": {"item": "^\\((?P<label>[a-z])\\)\\s*(?P<rest>\\S.*)$"}},
        ["numbering.item", "no group named 'label2'"],
    ),
    (
        "meeting without year",
        "timeframes.json",
        {"meeting_year_pattern": "COP\\s*\\d+\\s*\\(\\d{4}\\)"},
        ["meeting_year_pattern", "no group named 'year'"],
    ),
    ("font regex", "glyphs.json", {"bold_font_pattern": "[bold"}, ["bold_font_pattern", "invalid regular expression"]),
    (
        "secretariat template",
        "actors.json",
        {"secretariat_templates": ["{convention} Secretariat"]},
        ["secretariat_templates[6]", "only {name} may be named"],
    ),
    (
        "aside of no words",
        "actors.json",
        {"parenthetical_max_words": 0},
        ["parenthetical_max_words", "greater than or equal to 1"],
    ),
    ("nested too deep", "layout.json", nested(MAX_DEPTH + 1), [f"nested deeper than {MAX_DEPTH} levels"]),
]


def write(folder: Path, file: str, content: Any) -> Path:
    path = folder / file
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


@pytest.mark.parametrize(("file", "content", "said"), [row[1:] for row in MALFORMED], ids=[row[0] for row in MALFORMED])
def test_malformed_rules_fail_at_load(file: str, content: Any, said: list[str], tmp_path: Path) -> None:
    path = write(tmp_path, file, content)
    with pytest.raises(RulesError) as caught:
        load_rules([tmp_path])
    message = str(caught.value)
    assert caught.value.path == str(path)
    assert "\n" not in message
    for words in said:
        assert words in message


def test_json_nested_past_the_recursion_limit_is_one_error(tmp_path: Path) -> None:
    path = write(tmp_path, "layout.json", '{"months": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(RulesError, match="nested too deeply") as caught:
        load_rules([tmp_path])
    assert caught.value.path == str(path)


@given(st.integers(min_value=1, max_value=3 * MAX_DEPTH), st.sampled_from(["list", "dict"]))
def test_depth_is_counted_in_arrays_and_objects(depth: int, container: str) -> None:
    value: Any = 0
    for _ in range(depth):
        value = [value] if container == "list" else {"k": value}
    assert (depth_error(value) is None) == (depth <= MAX_DEPTH)


def test_bundled_rules_pass_every_check_with_spacy() -> None:
    rules = load_rules()
    check_rules(rules, {name: str(bundled_rules_dir() / name) for name in RULE_FILES}, token_patterns=True)


def test_a_users_copy_of_the_bundled_rules_loads(tmp_path: Path) -> None:
    for name in RULE_FILES:
        write(tmp_path, name, (bundled_rules_dir() / name).read_text(encoding="utf-8"))
    assert load_rules([tmp_path]).references.patterns == load_rules().references.patterns


def test_every_regex_with_groups_is_found() -> None:
    keys = {regex.key: regex.groups for regex in regexes(load_rules())}
    assert keys["masthead.fields.date"] == ("value",)
    assert keys["masthead.symbols.un"] == ("value",)
    assert keys["numbering.activity"] == ("label", "number", "rest")
    assert keys["meeting_year_pattern"] == ("year",)
    assert "patterns.instrument[10].TEXT.REGEX" in keys
    assert "document_spellings[0]" in keys


@pytest.mark.parametrize("row", ["unknown kind", "bad REGEX", "spelling group number", "nested too deep"])
def test_cli_exits_2_with_one_line(row: str, tmp_path: Path) -> None:
    _, file, content, said = next(r for r in MALFORMED if r[0] == row)
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    path = write(rules_dir, file, content)
    out = tmp_path / "out.json"
    run = subprocess.run(
        [sys.executable, "-m", "jwpextract", "extract", str(SEED), "-o", str(out), "--rules", str(rules_dir)],
        capture_output=True,
        check=False,
    )
    err = run.stderr.decode()
    assert run.returncode == 2
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err and str(path) in err and said[-1] in err
    assert not out.exists()
