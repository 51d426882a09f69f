"""The command line as scripts use it: exit codes, outputs, schema, validation, rules, encodings."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from jwpextract.models import json_schema

from .conftest import CORPUS, ROOT, TESTDATA

SEED = CORPUS / "UNEP-CMS-StC38-Doc4.txt"


def cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "jwpextract", *args], input=stdin, capture_output=True, check=False)


def test_committed_schema_is_the_generated_one() -> None:
    committed = json.loads((ROOT / "schema" / "plan.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(), "schema changed: run `make schema` and note it in CHANGELOG.md"


def test_schema_command_prints_the_schema() -> None:
    run = cli("schema")
    assert run.returncode == 0
    assert json.loads(run.stdout)["$id"] == "jwpextract/plan/2"


def test_output_is_deterministic(tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert cli("extract", str(SEED), "-o", str(first)).returncode == 0
    assert cli("extract", str(SEED), "-o", str(second)).returncode == 0
    assert first.read_bytes() == second.read_bytes()


def test_stdin_to_stdout_gives_the_same_plan(tmp_path: Path) -> None:
    run = cli("extract", "-", "-o", "-", stdin=SEED.read_bytes())
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["source"]["path"] == "<stdin>"
    assert len(out["plans"]) == 1
    assert len(out["plans"][0]["activities"]) == 24


def test_folder_output_names_each_source_after_its_file(tmp_path: Path) -> None:
    src = tmp_path / "in" / "sub"
    src.mkdir(parents=True)
    (src / "plan.txt").write_bytes(SEED.read_bytes())
    run = cli("extract", str(tmp_path / "in"), "-o", str(tmp_path / "out"))
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "out" / "sub" / "plan.txt.json").is_file()


def test_validate_accepts_extractions_and_rejects_broken_files(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    assert cli("extract", str(SEED), "-o", str(good)).returncode == 0
    broken = tmp_path / "broken.json"
    data = json.loads(good.read_text(encoding="utf-8"))
    del data["source"]
    broken.write_text(json.dumps(data), encoding="utf-8")
    assert cli("validate", str(good)).returncode == 0
    run = cli("validate", str(good), str(broken))
    assert run.returncode == 1
    assert run.stderr.decode().strip().splitlines() == [f"jwpextract: {broken}: invalid: source: Field required"]


@pytest.fixture(scope="module")
def seed_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed's extraction (schema 2), once for the module."""
    out = tmp_path_factory.mktemp("seed") / "seed.json"
    run = cli("extract", str(SEED), "-o", str(out))
    assert run.returncode == 0, run.stderr
    return out


def as_schema_1(out: dict) -> dict:
    """A schema-2 output of one plan as schema 1 wrote it: one `plan`, top-level intro, sections, activities."""
    (plan,) = out["plans"]
    older = {k: v for k, v in out.items() if k not in ("plans", "decisions", "tables", "annexes")}
    older["schema_version"] = "1"
    older["document"] = {k: v for k, v in out["document"].items() if k != "kind"}
    older["plan"] = {k: plan[k] for k in ("title", "period", "parties")}
    older |= {k: plan[k] for k in ("intro", "sections", "activities")}
    return older


def test_validate_accepts_a_schema_2_output(seed_output: Path) -> None:
    assert json.loads(seed_output.read_text(encoding="utf-8"))["schema_version"] == "2"
    run = cli("validate", str(seed_output))
    assert run.returncode == 0, run.stderr
    assert run.stdout.decode().splitlines() == [f"{seed_output}: valid"]
    assert run.stderr == b""


def test_validate_names_an_older_schema_version(seed_output: Path, tmp_path: Path) -> None:
    older = tmp_path / "older.json"
    older.write_text(json.dumps(as_schema_1(json.loads(seed_output.read_text(encoding="utf-8")))), encoding="utf-8")
    run = cli("validate", str(older))
    assert run.returncode == 1
    assert run.stderr.decode().splitlines() == [
        f"jwpextract: {older}: schema_version 1: extract it again (this jwpextract reads schema_version 2)"
    ]
    assert b"Traceback" not in run.stderr and run.stdout == b""


def activities_of(output: Path) -> list[dict]:
    return [a for plan in json.loads(output.read_text(encoding="utf-8"))["plans"] for a in plan["activities"]]


def test_export_rows_name_their_plan(seed_output: Path) -> None:
    run = cli("export", str(seed_output), "--format", "csv")
    assert run.returncode == 0, run.stderr
    rows = list(csv.DictReader(io.StringIO(run.stdout.decode(), newline="")))
    assert len(rows) == 24
    assert {(r["source"], r["plan"]) for r in rows} == {(str(SEED), "plan:1")}
    assert list(rows[0])[:3] == ["source", "plan", "number"]
    run = cli("export", str(seed_output), "--format", "jsonl")
    assert run.returncode == 0, run.stderr
    objects = [json.loads(line) for line in run.stdout.decode().splitlines()]
    assert [(o["plan"], o["id"]) for o in objects] == [("plan:1", a["id"]) for a in activities_of(seed_output)]
    assert list(objects[0])[:3] == ["source", "plan", "id"]


def test_diff_plan_names_a_paired_plan_or_exits_2_with_one_line(seed_output: Path) -> None:
    run = cli("diff", str(seed_output), str(seed_output), "--plan", "plan:1", "--format", "json")
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert (report["old"]["plan"], report["new"]["plan"]) == ("plan:1", "plan:1")
    run = cli("diff", str(seed_output), str(seed_output), "--plan", "plan:9")
    assert run.returncode == 2
    assert run.stderr.decode().splitlines() == [
        "jwpextract: --plan plan:9: no such plan in either version (paired plans only)"
    ]
    assert run.stdout == b""


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "invalid JSON at line 1 column 2"),
        ('{"page_number_patterns": ["(unclosed"]}', "invalid regular expression"),
        ('{"bullet_chars": [""]}', "a bullet is at least one visible character"),
    ],
)
def test_malformed_rules_exit_2_with_one_line(content: str, problem: str, tmp_path: Path) -> None:
    (tmp_path / "layout.json").write_text(content, encoding="utf-8")
    run = cli("extract", str(SEED), "-o", str(tmp_path / "out.json"), "--rules", str(tmp_path))
    err = run.stderr.decode()
    assert run.returncode == 2
    assert len(err.strip().splitlines()) == 1 and "layout.json" in err and problem in err
    assert not (tmp_path / "out.json").exists()


def test_unknown_rule_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "typo.json").write_text("{}", encoding="utf-8")
    run = cli("extract", str(SEED), "-o", "-", "--rules", str(tmp_path))
    assert run.returncode == 2 and "unknown rule file" in run.stderr.decode()


def test_user_rules_extend_the_bundled_ones(tmp_path: Path) -> None:
    (tmp_path / "layout.json").write_text('{"timeframe_labels": ["Calendrier"]}', encoding="utf-8")
    text = SEED.read_bytes().replace(b"2012-14 \n\n5.1 The", b"Calendrier: 2013\n\n5.1 The")
    run = cli("extract", "-", "-o", "-", "--rules", str(tmp_path), stdin=text)
    assert run.returncode == 0, run.stderr
    acts = {a["number"]: a for a in json.loads(run.stdout)["plans"][0]["activities"]}
    assert acts["1.1"]["timeframe"]["text"] == "2013"


def test_latin1_text_extracts_with_a_warning(tmp_path: Path) -> None:
    out = tmp_path / "odd.json"
    run = cli("extract", str(TESTDATA / "odd" / "latin1.txt"), "-o", str(out))
    assert run.returncode == 0, run.stderr
    codes = [w["code"] for w in json.loads(out.read_text(encoding="utf-8"))["warnings"]]
    assert "encoding-fallback" in codes


def test_binary_text_source_fails_with_one_line_and_no_output(tmp_path: Path) -> None:
    out = tmp_path / "x.json"
    run = cli("extract", str(TESTDATA / "bad" / "random-bytes.txt"), "-o", str(out))
    assert run.returncode == 1
    assert run.stderr.decode().strip().endswith("random-bytes.txt: not text (binary data)")
    assert "Traceback" not in run.stderr.decode() and not out.exists()


def test_help_teaches_with_examples() -> None:
    run = cli("extract", "--help")
    assert run.returncode == 0 and b"jwpextract extract corpus/ -o output/" in run.stdout


def test_version() -> None:
    run = cli("--version")
    assert run.returncode == 0 and run.stdout.decode().startswith("jwpextract ")
