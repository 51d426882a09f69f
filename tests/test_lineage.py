"""``jwpextract lineage``: three versions built from the corpus plans with known edits; every edit is recovered."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from jwpextract.diff import Lineage, lineage, render_lineage
from jwpextract.models import Activity, CanonicalDocument, Plan
from jwpextract.rules import Rules
from jwpextract.writers import to_json

from .archive_inputs import extracted
from .plan_edits import EDITS, Expected, edit

SOURCES = ("UNEP-CMS-StC38-Doc4.txt", "aewa-ramsar-jwp-2019.txt")


def versions_of(source: str, seed: int, edits: int) -> tuple[list[CanonicalDocument], list[Expected]]:
    """The corpus plan, a version with ``edits`` known edits, and a version of that one with more."""
    first = extracted(source)
    documents, expected = [first], []
    plan = first.plans[0]
    for step in range(2):
        plan, known, _ = edit(plan, seed * 7 + step, edits, EDITS)
        documents.append(first.model_copy(update={"plans": [plan]}))
        expected.append(known)
    return documents, expected


def steps_found(report: Lineage, k: int) -> Expected:
    steps = [s for chain in report.chains for s in chain.steps[k]]
    return Expected(
        pairs={(s.old, s.new, tuple(s.changes)) for s in steps if s.old and s.new},
        added={s.new for s in steps if s.status == "added" and s.new},
        removed={s.old for s in steps if s.status == "removed" and s.old},
    )


def chains_expected(documents: list[CanonicalDocument], expected: list[Expected]) -> set[frozenset[tuple[int, str]]]:
    """The connected groups of (version, number) that the known edits make."""
    group = {(k, a.number): {(k, a.number)} for k, doc in enumerate(documents) for a in doc.plans[0].activities}
    for k, known in enumerate(expected):
        for old, new, _ in known.pairs:
            joined = group[(k, old)] | group[(k + 1, new)]
            for node in joined:
                group[node] = joined
    return {frozenset(g) for g in group.values()}


def chains_found(report: Lineage) -> set[frozenset[tuple[int, str]]]:
    return {frozenset((k, n) for k, numbers in enumerate(c.numbers) for n in numbers) for c in report.chains}


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("seed", range(40))
def test_lineage_of_three_versions_recovers_every_edit(rules: Rules, source: str, seed: int) -> None:
    documents, expected = versions_of(source, seed, 1 + seed % 3)
    report = lineage(documents, rules)
    for k, known in enumerate(expected):
        assert steps_found(report, k) == known, (k, seed)
    assert chains_found(report) == chains_expected(documents, expected)


def _renumbered(activity: Activity, number: str, section: str | None = None) -> Activity:
    section = section or activity.section
    return activity.model_copy(update={"number": number, "id": f"activity:{number}", "section": section})


def _version(doc: CanonicalDocument, activities: list[Activity]) -> CanonicalDocument:
    return doc.model_copy(update={"plans": [doc.plans[0].model_copy(update={"activities": activities})]})


@pytest.fixture(scope="module")
def story() -> list[CanonicalDocument]:
    return story_versions()


def story_versions() -> list[CanonicalDocument]:
    """v2: 2.3 moved to section 3 as 3.1 (old 3.1, 3.2 become 3.2, 3.3), 4.1 and 4.2 merged;
    v3: 3.1 renumbered 3.4, 2.8 dropped, a new 6.5 added."""
    first = extracted("UNEP-CMS-StC38-Doc4.txt")
    by_number = {a.number: a for a in first.plans[0].activities}
    merged = by_number["4.1"].model_copy(update={"text": f"{by_number['4.1'].text} {by_number['4.2'].text}"})
    merged = merged.model_copy(update={"actors": sorted({*by_number["4.1"].actors, *by_number["4.2"].actors})})
    second = []
    for a in first.plans[0].activities:
        if a.number == "2.3":
            continue
        if a.number in ("3.1", "3.2"):
            second.append(_renumbered(a, f"3.{int(a.number[2]) + 1}"))
            if a.number == "3.2":
                second.append(_renumbered(by_number["2.3"], "3.1", "3"))
        elif a.number == "4.1":
            second.append(merged)
        elif a.number != "4.2":
            second.append(a)
    added = by_number["6.4"].model_copy(
        update={
            "number": "6.5",
            "id": "activity:6.5",
            "text": "The Secretariats will draft a joint outreach strategy.",
            "items": [],
        }
    )
    third = [_renumbered(a, "3.4") if a.number == "3.1" else a for a in second if a.number != "2.8"] + [added]
    return [first, _version(first, second), _version(first, third)]


def chain_of(report: Lineage, version: int, number: str) -> tuple[list[list[str]], list[list[str]], int | None, int | None]:
    chain = next(c for c in report.chains if number in c.numbers[version])
    kinds = [sorted({k for s in step for k in s.changes}) for step in chain.steps]
    return chain.numbers, kinds, chain.added_in, chain.dropped_in


@pytest.mark.parametrize(
    ("version", "number", "numbers", "kinds", "added_in", "dropped_in"),
    [
        (0, "2.3", [["2.3"], ["3.1"], ["3.4"]], [["moved", "renumbered"], ["renumbered"]], None, None),
        (0, "3.1", [["3.1"], ["3.2"], ["3.2"]], [["renumbered"], []], None, None),
        (0, "4.1", [["4.1", "4.2"], ["4.1"], ["4.1"]], [["actors", "merged"], []], None, None),
        (0, "2.8", [["2.8"], ["2.8"], []], [[], []], None, 3),
        (2, "6.5", [[], [], ["6.5"]], [[], []], 3, None),
    ],
)
def test_a_story_of_three_versions(
    rules: Rules,
    story: list[CanonicalDocument],
    version: int,
    number: str,
    numbers: list[list[str]],
    kinds: list[list[str]],
    added_in: int | None,
    dropped_in: int | None,
) -> None:
    assert chain_of(lineage(story, rules), version, number) == (numbers, kinds, added_in, dropped_in)


def test_csv_and_markdown_have_a_row_per_chain(rules: Rules, story: list[CanonicalDocument]) -> None:
    report = lineage(story, rules)
    rows = list(csv.reader(io.StringIO(render_lineage(report, story, "csv"))))
    assert rows[0] == ["lineage", "v1", "v1-v2", "v2", "v2-v3", "v3"]
    assert len(rows) == 1 + len(report.chains)
    by_first = {row[1]: row[1:] for row in rows[1:]}
    assert by_first["2.3"] == ["2.3", "renumbered, moved", "3.1", "renumbered", "3.4"]
    assert by_first["4.1 + 4.2"] == ["4.1 + 4.2", "actors, merged", "4.1", "unchanged", "4.1"]
    assert by_first["2.8"] == ["2.8", "unchanged", "2.8", "dropped", "—"]
    assert by_first["—"] == ["—", "", "—", "added", "6.5"]
    markdown = render_lineage(report, story, "md")
    assert "| lineage:8 | 2.3 | renumbered, moved | 3.1 | renumbered | 3.4 |" in markdown
    assert f"{len(report.chains)} chains: 1 added after v1, 1 dropped before the last version." in markdown


def test_json_reads_back(rules: Rules, story: list[CanonicalDocument]) -> None:
    report = lineage(story, rules)
    assert Lineage.model_validate_json(render_lineage(report, story, "json")) == report
    assert [v.period.start if v.period else None for v in report.versions] == [2012, 2012, 2012]


def test_a_version_without_the_plan_drops_every_chain(rules: Rules) -> None:
    first = extracted("aewa-ramsar-jwp-2019.txt")
    empty = first.model_copy(update={"plans": []})
    report = lineage([first, empty, first], rules)
    assert [v.plan for v in report.versions] == ["plan:1", None, None]
    assert {c.dropped_in for c in report.chains} == {2}


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "jwpextract", *args], capture_output=True, text=True, check=False)


def test_command_line(story: list[CanonicalDocument], tmp_path: Path) -> None:
    files = []
    for k, doc in enumerate(story, 1):
        files.append(tmp_path / f"v{k}.json")
        files[-1].write_text(to_json(doc), encoding="utf-8")
    out = tmp_path / "lineage.csv"
    run = cli("lineage", *map(str, files), "-o", str(out))
    assert run.returncode == 0, run.stderr
    assert out.read_text(encoding="utf-8").startswith("lineage,v1,v1-v2,v2,v2-v3,v3\n")
    run = cli("lineage", *map(str, files), "-f", "json")
    assert json.loads(run.stdout)["versions"][0]["plan"] == "plan:1"
    assert cli("lineage", str(files[0])).returncode == 2
    bad = cli("lineage", str(files[0]), str(tmp_path / "missing.json"))
    assert bad.returncode == 1 and bad.stderr == f"jwpextract: {tmp_path / 'missing.json'}: no such file\n"
    wrong = cli("lineage", *map(str, files), "--plan", "plan:9")
    assert wrong.returncode == 2 and "--plan plan:9: no such plan in the first version" in wrong.stderr


def test_a_plan_is_followed_by_pairing(rules: Rules) -> None:
    """The followed plan is the one paired with it, not the one in the same position."""
    doc = extracted("aewa-ramsar-jwp-2019.txt")
    other = Plan(id="plan:1", title="Budget of the secretariat", activities=[])
    moved = doc.model_copy(update={"plans": [other, doc.plans[0].model_copy(update={"id": "plan:2"})]})
    report = lineage([doc, moved], rules)
    assert [v.plan for v in report.versions] == ["plan:1", "plan:2"]
    assert all(c.dropped_in is None and c.added_in is None for c in report.chains)
