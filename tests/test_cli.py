"""The command line as scripts use it: exit codes, outputs, schema, validation, rules, encodings."""

from __future__ import annotations

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
