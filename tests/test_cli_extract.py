"""``jwpextract extract`` as a batch: exit codes, one line per failure, summary, resume, time limit, Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jwpextract.batch import MANIFEST_NAME

from .conftest import CORPUS, TESTDATA

SEED = CORPUS / "UNEP-CMS-StC38-Doc4.txt"
BAD = TESTDATA / "bad"


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "jwpextract", *args], capture_output=True, text=True, check=False, cwd=cwd)


def lines_naming(stderr: str, path: Path) -> list[str]:
    return [line for line in stderr.splitlines() if str(path) in line]


def copies(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = SEED.read_text(encoding="utf-8")
    for n in range(count):
        (folder / f"doc{n:02d}.txt").write_text(text.replace("2012", str(2000 + n), 1), encoding="utf-8")
    return folder


def test_corpus_and_bad_inputs_extract_every_good_source_and_name_every_bad_one(tmp_path: Path) -> None:
    out = tmp_path / "out"
    good = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".pdf", ".txt"))
    bad = sorted(BAD.iterdir())
    run = cli("extract", str(CORPUS), str(BAD), "-o", str(out), "--workers", "2")
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    for path in bad:
        named = lines_naming(run.stderr, path)
        assert len(named) == 1 and named[0].startswith(f"jwpextract: {path}: "), run.stderr
        assert not (out / f"{path.name}.json").exists()
    for path in good:
        assert (out / path.relative_to(CORPUS)).with_name(path.name + ".json").is_file(), run.stderr
    summary = run.stderr.splitlines()[-1]
    assert summary.startswith(f"jwpextract: {len(good)} extracted, {len(bad)} failed (")
    assert summary.endswith(" s") and ", 0 skipped in " in summary

    rerun = cli("extract", str(CORPUS), str(BAD), "-o", str(out))
    assert rerun.returncode == 1
    for path in good:
        assert lines_naming(rerun.stderr, path) == [f"jwpextract: {path}: skipped (up to date)"]
    for path in bad:
        assert len(lines_naming(rerun.stderr, path)) == 1
    assert rerun.stderr.splitlines()[-1].startswith(f"jwpextract: 0 extracted, {len(bad)} failed (")
    assert f", {len(good)} skipped in " in rerun.stderr.splitlines()[-1]


def test_all_good_exits_0_then_skips_then_force_redoes(tmp_path: Path) -> None:
    src, out = copies(tmp_path / "in", 3), tmp_path / "out"
    first = cli("extract", str(src), "-o", str(out), "--workers", "1")
    assert first.returncode == 0, first.stderr
    assert first.stderr.splitlines()[:3] == [f"jwpextract: {src}/doc0{n}.txt -> {out}/doc0{n}.txt.json" for n in range(3)]
    assert first.stderr.splitlines()[-1].startswith("jwpextract: 3 extracted, 0 failed, 0 skipped in ")
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert sorted(manifest["outputs"]) == ["doc00.txt.json", "doc01.txt.json", "doc02.txt.json"]
    second = cli("extract", str(src), "-o", str(out), "--quiet")
    assert (second.returncode, second.stderr) == (0, "")
    forced = cli("extract", str(src), "-o", str(out), "--force", "--workers", "1")
    assert forced.stderr.splitlines()[-1].startswith("jwpextract: 3 extracted, 0 failed, 0 skipped in ")


def test_one_source_reports_nothing_but_a_failure(tmp_path: Path) -> None:
    run = cli("extract", str(SEED), "-o", str(tmp_path / "out"))
    assert (run.returncode, run.stderr) == (0, "")
    bad = cli("extract", str(BAD / "empty.pdf"), "-o", str(tmp_path / "out"))
    assert (bad.returncode, bad.stderr) == (1, f"jwpextract: {BAD / 'empty.pdf'}: empty file\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            [str(SEED), str(SEED.with_suffix(".pdf")), "-o", "x.json"],
            "a .json output takes exactly one source",
            id="two-sources-one-json",
        ),
        pytest.param([str(SEED), "--workers", "0"], "Invalid value for '--workers'", id="no-workers"),
        pytest.param([str(SEED), "--timeout", "-1"], "Invalid value for '--timeout'", id="negative-timeout"),
        pytest.param([str(SEED), "--engine", "ocr"], "Invalid value for '--engine'", id="unknown-engine"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    run = cli("extract", *args, cwd=tmp_path)
    assert run.returncode == 2
    assert message in run.stderr
    assert list(tmp_path.iterdir()) == []


def test_two_sources_for_one_output_is_a_usage_error(tmp_path: Path) -> None:
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "plan.txt").write_bytes(SEED.read_bytes())
    run = cli("extract", "a", "b", "-o", "out", cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr == "jwpextract: a/plan.txt and b/plan.txt would both be written to out/plan.txt.json\n"


def test_a_source_over_the_time_limit_fails_and_the_others_extract(tmp_path: Path) -> None:
    src, out = copies(tmp_path / "in", 2), tmp_path / "out"
    (src / "slow.txt").write_text(SEED.read_text(encoding="utf-8") * 200, encoding="utf-8")
    run = cli("extract", str(src), "-o", str(out), "--timeout", "3", "--workers", "2")
    assert run.returncode == 1
    assert lines_naming(run.stderr, src / "slow.txt") == [f"jwpextract: {src / 'slow.txt'}: timed out after 3 s"]
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST_NAME, "doc00.txt.json", "doc01.txt.json"]


def started_batch(src: Path, out: Path, workers: str) -> subprocess.Popen[str]:
    """A batch of ``src`` into ``out`` in its own process group, once it has written its first output."""
    process = subprocess.Popen(
        [sys.executable, "-m", "jwpextract", "extract", str(src), "-o", str(out), "--workers", workers],
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not list(out.glob("*.txt.json")) and time.monotonic() < deadline:
        time.sleep(0.01)
    return process


def test_ctrl_c_exits_130_leaves_no_partial_file_and_a_rerun_resumes(tmp_path: Path) -> None:
    src, out = copies(tmp_path / "in", 12), tmp_path / "out"
    process = started_batch(src, out, "2")
    os.killpg(process.pid, signal.SIGINT)  # as Ctrl-C does: the whole process group
    stderr = process.communicate(timeout=30)[1]
    assert process.returncode == 130
    assert stderr.splitlines()[-1] == "jwpextract: interrupted; outputs written so far are kept, a rerun resumes"
    assert "Traceback" not in stderr
    written = sorted(p.name for p in out.glob("*.txt.json"))
    assert 0 < len(written) < 12
    manifest = out / MANIFEST_NAME
    assert sorted(p.name for p in out.iterdir() if p != manifest) == written  # no temporary file
    # an output written while the parent was being interrupted may be missing from the manifest: redone
    recorded = json.loads(manifest.read_text(encoding="utf-8"))["outputs"] if manifest.exists() else {}
    assert set(recorded) <= set(written)
    rerun = cli("extract", str(src), "-o", str(out))
    assert rerun.returncode == 0
    assert f", {len(recorded)} skipped in " in rerun.stderr.splitlines()[-1]


KILLER = """
import os
import signal

from jwpextract import pipeline

real_extract_bytes = pipeline.extract_bytes


def extract_bytes(path, data, rules, options=None):
    if b"KILL THE WORKER" in data:
        os.kill(os.getpid(), signal.SIGKILL)
    return real_extract_bytes(path, data, rules, options)


pipeline.extract_bytes = extract_bytes
"""


def test_a_source_that_kills_its_worker_fails_alone(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "sitecustomize.py").write_text(KILLER, encoding="utf-8")
    src, out = copies(tmp_path / "in", 5), tmp_path / "out"
    (src / "doc01.txt").write_text("KILL THE WORKER", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "jwpextract", "extract", str(src), "-o", str(out), "--workers", "2"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(tmp_path / "site")},
    )
    assert run.returncode == 1
    died = f"jwpextract: {src / 'doc01.txt'}: worker process died while extracting (crash or out of memory)"
    assert lines_naming(run.stderr, src / "doc01.txt") == [died], run.stderr
    assert run.stderr.splitlines()[-1].startswith("jwpextract: 4 extracted, 1 failed (")
    assert sorted(p.name for p in out.glob("*.txt.json")) == [f"doc0{n}.txt.json" for n in (0, 2, 3, 4)]
