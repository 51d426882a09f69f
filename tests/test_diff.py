"""diff: assignment, word diff, kinds of change, ordering, reports and the command line."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from jwpextract.cli import app
from jwpextract.diff import default_format, diff_plans, render_markdown
from jwpextract.diff.align import hungarian
from jwpextract.diff.models import CHANGE_KINDS
from jwpextract.diff.text import word_diff
from jwpextract.models import CanonicalDocument, Timeframe
from jwpextract.rules import Rules
from jwpextract.wording import fold, words
from jwpextract.writers import to_json

from .conftest import CORPUS
from .test_diff_fixtures import Key, document_from_key, extracted, load_key, seed_2015_key

# --- assignment -------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 6).flatmap(
        lambda rows: st.integers(1, 6).flatmap(
            lambda cols: st.lists(
                st.lists(st.floats(0, 1, allow_nan=False), min_size=cols, max_size=cols), min_size=rows, max_size=rows
            )
        )
    )
)
def test_hungarian_finds_the_best_assignment(matrix: list[list[float]]) -> None:
    score = np.array(matrix)
    rows, cols = score.shape
    pairs = hungarian(score)
    assert len(pairs) == min(rows, cols)
    assert len({i for i, _ in pairs}) == len({j for _, j in pairs}) == len(pairs)
    if rows <= cols:
        best = max(sum(score[i, p[i]] for i in range(rows)) for p in itertools.permutations(range(cols), rows))
    else:
        best = max(sum(score[p[j], j] for j in range(cols)) for p in itertools.permutations(range(rows), cols))
    assert sum(score[i, j] for i, j in pairs) >= best - 1e-9


def test_hungarian_on_nothing() -> None:
    assert hungarian(np.zeros((0, 3))) == []


# --- text ---------------------------------------------------------------------------------------


def test_wording_ignores_case_punctuation_quotes_dashes_and_line_breaks() -> None:
    assert words("The CMS’s “Guidelines” –\nsub-regional") == words('the CMS\'s "guidelines" - sub- regional')
    assert fold("a\u00a0 b\u2013c\u00add") == "a b-cd"


def test_word_diff_marks_replaced_words() -> None:
    ops = word_diff(
        "collaborate through the Scientific Task Force on Wildlife Diseases.",
        "collaborate through the Scientific Task Force on Wildlife and Ecosystem Health.",
    )
    assert [(o.op, o.text) for o in ops] == [
        ("equal", "collaborate through the Scientific Task Force on Wildlife"),
        ("delete", "Diseases."),
        ("insert", "and Ecosystem Health."),
    ]
    assert [o.op for o in word_diff("a, b c", "a b c")] == ["equal"]


# --- kinds of change ----------------------------------------------------------------------------


def _edited(key: Key, number: str, **fields: object) -> Key:
    activities = [dict(a, **fields) if a["number"] == number else a for a in key["activities"]]
    return dict(key, activities=activities)


def _versions(new_key: Key, name: str = "aewa-ramsar-jwp-2019") -> tuple[CanonicalDocument, CanonicalDocument]:
    return document_from_key(load_key(name))[0], document_from_key(new_key)[0]


def _seed_versions() -> tuple[CanonicalDocument, CanonicalDocument]:
    """The seed plan (2012-2014) and its 2015-2017 version."""
    return document_from_key(load_key("UNEP-CMS-StC38-Doc4"))[0], document_from_key(seed_2015_key())[0]


def test_equivalent_timeframes_and_layout_are_no_change(rules: Rules) -> None:
    key = load_key("aewa-ramsar-jwp-2019")
    first = key["activities"][1]
    new_key = _edited(
        key,
        "1.2",
        timeframe={"text": "2019-21", "start": 2019, "end": 2021},
        text="  " + first["text"].replace(" ", "\n", 3) + " 2019-21",
    )
    old, new = _versions(new_key)
    old.plans[0].activities[1].timeframe = Timeframe(text="2019-2021", start=2019, end=2021, basis="printed")
    new.plans[0].activities[1].timeframe = Timeframe(text="2019-21", start=2019, end=2021, basis="printed")
    entry = next(a for a in diff_plans(old, new, rules).activities if a.new == "1.2")
    assert (entry.status, entry.changes) == ("unchanged", [])


def test_a_plan_period_word_is_another_timeframe_than_printed_years(rules: Rules) -> None:
    old, new = _versions(load_key("aewa-ramsar-jwp-2019"))
    old.plans[0].activities[5].timeframe = Timeframe(text="2019-2021", start=2019, end=2021, basis="printed")
    new.plans[0].activities[5].timeframe = Timeframe(text="Ongoing", start=2019, end=2021, basis="plan-period")
    assert next(a for a in diff_plans(old, new, rules).activities if a.new == "2.3").changes == ["timeframe"]


def test_references_and_actors_changes(rules: Rules) -> None:
    key = load_key("aewa-ramsar-jwp-2019")
    new_key = _edited(key, "2.1", references=["aewa/resolution/6/12"], actors=["Ramsar Secretariat"])
    entry = next(a for a in diff_plans(*_versions(new_key), rules).activities if a.new == "2.1")
    assert entry.changes == ["actors", "references"]


def test_kinds_come_in_the_published_order(rules: Rules) -> None:
    old, new = _seed_versions()
    for entry in diff_plans(old, new, rules).activities:
        assert entry.changes == sorted(entry.changes, key=CHANGE_KINDS.index)
    assert CHANGE_KINDS[:4] == ("text", "items", "renumbered", "moved")


def test_merge_is_two_entries_with_the_same_new_and_one_text_diff(rules: Rules) -> None:
    old, new = _seed_versions()
    merged = [a for a in diff_plans(old, new, rules).activities if "merged" in a.changes]
    assert [(a.old, a.new) for a in merged] == [("4.1", "4.1"), ("4.2", "4.1")]
    assert merged[0].text_diff == merged[1].text_diff
    assert {o.op for o in merged[0].text_diff} == {"equal", "delete", "insert"}


def test_removed_entries_follow_their_old_neighbour(rules: Rules) -> None:
    old, new = _seed_versions()
    order = [(a.old, a.new) for a in diff_plans(old, new, rules).activities]
    assert order.index(("2.8", None)) == order.index(("2.7", "2.7")) + 1
    assert order.index((None, "2.9")) == order.index(("2.9", "2.8")) + 1


def test_section_titles_added_and_dropped(rules: Rules) -> None:
    key = load_key("aewa-ramsar-jwp-2019")
    sections = [*key["sections"][:2], {"number": "4", "title": "Capacity building"}]
    diff = diff_plans(*_versions(dict(key, sections=sections)), rules)
    assert [(s.number, s.old is None, s.new is None) for s in diff.plan.section_titles] == [
        ("3", False, True),
        ("4", True, False),
    ]


# --- reports and command line -------------------------------------------------------------------


def test_json_has_the_published_fields(rules: Rules) -> None:
    old, new = _seed_versions()
    data = json.loads(diff_plans(old, new, rules).model_dump_json())
    assert list(data) == ["old", "new", "plan", "activities", "plans_added", "plans_removed"]
    assert list(data["old"]) == ["path", "symbol", "plan"]
    assert (data["old"]["plan"], data["new"]["plan"]) == ("plan:1", "plan:1")
    assert (data["plans_added"], data["plans_removed"]) == ([], [])
    assert list(data["plan"]) == ["period", "title", "section_titles"]
    assert list(data["activities"][0]) == ["old", "new", "status", "changes", "similarity", "text_diff"]
    assert data["plan"]["period"] == {"old": {"start": 2012, "end": 2014}, "new": {"start": 2015, "end": 2017}}


def test_markdown_has_summary_and_table(rules: Rules) -> None:
    old, new = _seed_versions()
    text = render_markdown(diff_plans(old, new, rules))
    assert "| count | 0 | 23 | 1 | 1 |" in text
    assert "| 2.2 | 2.2 | changed | text, timeframe |" in text
    assert "~~Diseases.~~ **and Ecosystem Health.**" in text
    assert "- Period: 2012-2014 → 2015-2017" in text


def test_default_format() -> None:
    assert default_format("-", terminal=False) == "json"
    assert default_format("-", terminal=True) == "md"
    assert default_format("report.HTML", terminal=True) == "html"
    assert default_format("report.md", terminal=False) == "md"
    assert default_format("report.out", terminal=True) == "json"


def _plan_files(tmp_path: Path) -> tuple[str, str]:
    old_path, new_path = tmp_path / "old.json", tmp_path / "new.json"
    old_doc, new_doc = _seed_versions()
    old_path.write_text(to_json(old_doc), encoding="utf-8")
    new_path.write_text(to_json(new_doc), encoding="utf-8")
    return str(old_path), str(new_path)


def test_cli_writes_json_markdown_and_html(tmp_path: Path) -> None:
    old, new = _plan_files(tmp_path)
    runner = CliRunner()
    result = runner.invoke(app, ["diff", old, new])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["plan"]["section_titles"][0]["number"] == "2"
    for name, marker in (("report.md", "# Plan diff"), ("report.html", "<!DOCTYPE html>")):
        result = runner.invoke(app, ["diff", old, new, "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).read_text(encoding="utf-8").startswith(marker)
    result = runner.invoke(app, ["diff", old, new, "--format", "md"])
    assert result.stdout.startswith("# Plan diff")


def test_cli_extracts_sources(tmp_path: Path) -> None:
    """A source is extracted; the same document as an extracted document has no change."""
    extraction = tmp_path / "seed.json"
    extraction.write_text(to_json(extracted("UNEP-CMS-StC38-Doc4.txt")), encoding="utf-8")
    result = CliRunner().invoke(app, ["diff", str(extraction), str(CORPUS / "UNEP-CMS-StC38-Doc4.txt")])
    assert result.exit_code == 0, result.output
    assert {a["status"] for a in json.loads(result.stdout)["activities"]} == {"unchanged"}


def test_cli_names_an_unreadable_version(tmp_path: Path) -> None:
    old, _ = _plan_files(tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": "2"}', encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["diff", old, str(bad)])
    assert result.exit_code == 1
    assert f"{bad}: invalid: extractor: Field required" in result.stderr
    older = tmp_path / "older.json"
    older.write_text('{"schema_version": "1"}', encoding="utf-8")
    result = runner.invoke(app, ["diff", old, str(older)])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"jwpextract: {older}: schema_version 1: extract it again (this jwpextract reads schema_version 2)"
    ]
    result = runner.invoke(app, ["diff", old, str(tmp_path / "missing.txt")])
    assert result.exit_code == 1 and "no such file" in result.stderr
    assert runner.invoke(app, ["diff", old, old, "--format", "pdf"]).exit_code == 2
