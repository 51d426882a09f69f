"""Hostile and unlucky inputs through the command line: one line naming the file and the reason,
the documented exit code, bounded time and memory, and a batch that goes on and keeps its manifest.

Every command runs in a subprocess whose address space (inherited by its workers) is capped at
``CAP``: a regression fails a test instead of swapping the machine.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pytest

from jwpextract.batch import MANIFEST_NAME

from .conftest import CORPUS
from .fixtures import hostile

CAP = 3 << 30
SEED = CORPUS / "UNEP-CMS-StC38-Doc4.txt"
OTHER = CORPUS / "aewa-ramsar-jwp-2019.txt"
FORMS = "nested form XObjects expand past 256 MB to parse on page 1"
BOMB = "decompression bomb: stream 4 inflates past 256 MB"
HOSTILE = {  # file: (its bytes, the reason it fails with under --max-memory 512MB)
    "nested-forms.pdf": (hostile.nested_forms, FORMS),
    "form-cycle.pdf": (hostile.self_drawing_form, FORMS),
    "bomb.pdf": (hostile.inflating_stream, BOMB),
    "bomb-twice.pdf": (lambda: hostile.inflating_stream(layers=2), BOMB),
    "many-paths.pdf": (hostile.many_paths, "exceeded 512 MB memory"),
    "no-pages.pdf": (hostile.no_pages, "no pages"),
}


def cli(
    *args: str, env: dict[str, str] | None = None, stdout: IO[str] | None = None, cap: int = CAP
) -> subprocess.CompletedProcess[str]:
    """``jwpextract ARGS`` under an address-space ``cap``; ``stdout``: where its output goes (default: captured)."""

    def capped() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    return subprocess.run(
        [sys.executable, "-m", "jwpextract", *args],
        stdout=subprocess.PIPE if stdout is None else stdout,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
        preexec_fn=capped,
        timeout=300,
    )


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for name, (make, _) in HOSTILE.items():
        (folder / name).write_bytes(make())
    (folder / "seed.txt").write_bytes(SEED.read_bytes())
    return folder


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_batch_of_hostile_pdfs_names_each_and_goes_on(workers: str, hostile_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    started = time.monotonic()
    run = cli("extract", str(hostile_folder), "-o", str(out), "--max-memory", "512MB", "--workers", workers)
    assert time.monotonic() - started < 240
    assert run.returncode == 1, run.stderr
    for name, (_, reason) in HOSTILE.items():
        named = [line for line in run.stderr.splitlines() if name in line]
        assert named == [f"jwpextract: {hostile_folder / name}: {reason}"]
    assert "Traceback" not in run.stderr
    assert run.stderr.splitlines()[-1].startswith(f"jwpextract: 1 extracted, {len(HOSTILE)} failed (")
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST_NAME, "seed.txt.json"]
    assert list(json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))["outputs"]) == ["seed.txt.json"]


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_pdf_alone_is_one_line(name: str, hostile_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    started = time.monotonic()
    run = cli("extract", str(hostile_folder / name), "-o", str(out), "--max-memory", "512MB")
    assert time.monotonic() - started < 120
    assert (run.returncode, run.stderr) == (1, f"jwpextract: {hostile_folder / name}: {HOSTILE[name][1]}\n")
    assert not out.exists()


# --- the failure paths: one line and the documented exit code ---------------------------------------

FULL = "cannot write to standard output: No space left on device"
SLOW = "jwpextract: TMP/paths.pdf: timed out after 2 s"


@pytest.fixture(scope="module")
def plan_json(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plan") / "seed.json"
    assert cli("extract", str(SEED), "-o", str(path)).returncode == 0
    return path


@pytest.mark.parametrize(
    ("command", "message"),
    [
        pytest.param(["extract", str(SEED), "-o", "-"], f"jwpextract: {SEED}: {FULL}", id="extract"),
        pytest.param(["export", "PLAN"], f"jwpextract: {FULL}", id="export"),
        pytest.param(["schema"], f"jwpextract: {FULL}", id="schema"),
        pytest.param(["text", str(SEED)], f"jwpextract: {FULL}", id="text"),
        pytest.param(["validate", "PLAN"], f"jwpextract: {FULL}", id="validate"),
        pytest.param(["diff", str(SEED), "PLAN"], f"jwpextract: {FULL}", id="diff"),
    ],
)
def test_a_full_standard_output_is_one_line_and_exit_1(command: list[str], message: str, plan_json: Path) -> None:
    args = [str(plan_json) if arg == "PLAN" else arg for arg in command]
    with open("/dev/full", "w") as full:
        run = cli(*args, stdout=full)
    assert (run.returncode, run.stderr) == (1, message + "\n")


def _fifo(tmp: Path) -> list[str]:
    os.mkfifo(tmp / "plan.txt")
    return ["extract", str(tmp / "plan.txt"), "-o", str(tmp / "out.json")]


def _fifo_in_a_folder(tmp: Path) -> list[str]:
    (tmp / "in").mkdir()
    os.mkfifo(tmp / "in" / "pipe.pdf")
    (tmp / "in" / "seed.txt").write_bytes(SEED.read_bytes())
    return ["extract", str(tmp / "in"), "-o", str(tmp / "out"), "--quiet"]


def _manifest_folder(tmp: Path) -> list[str]:
    (tmp / "out" / MANIFEST_NAME).mkdir(parents=True)
    return ["extract", str(SEED), "-o", str(tmp / "out")]


def _read_only_output(tmp: Path) -> list[str]:
    (tmp / "out.json").write_text("kept\n", encoding="utf-8")
    (tmp / "out.json").chmod(0o444)
    return ["extract", str(SEED), "-o", str(tmp / "out.json")]


def _file_of(make: Callable[[], bytes], name: str, *options: str) -> Callable[[Path], list[str]]:
    def setup(tmp: Path) -> list[str]:
        (tmp / name).write_bytes(make())
        return ["extract", str(tmp / name), "-o", str(tmp / "out.json"), *options]

    return setup


def _text_of(make: Callable[[], bytes], name: str, command: str) -> Callable[[Path], list[str]]:
    def setup(tmp: Path) -> list[str]:
        (tmp / name).write_bytes(make())
        return [command, str(tmp / name), *([str(SEED)] if command == "diff" else []), "--timeout", "2"]

    return setup


@pytest.mark.parametrize(
    ("setup", "code", "lines"),
    [
        pytest.param(_fifo, 1, ["jwpextract: TMP/plan.txt: not a regular file (FIFO)"], id="fifo"),
        pytest.param(
            _fifo_in_a_folder, 1, ["jwpextract: TMP/in/pipe.pdf: not a regular file (FIFO)"], id="fifo-in-a-folder"
        ),
        pytest.param(
            _manifest_folder,
            1,
            [f"jwpextract: TMP/out/{MANIFEST_NAME}: not a file: the manifest cannot be written"],
            id="manifest-is-a-folder",
        ),
        pytest.param(
            _read_only_output,
            1,
            [f"jwpextract: {SEED}: cannot write TMP/out.json: read-only file, not replaced"],
            id="read-only-output",
        ),
        pytest.param(_file_of(hostile.no_pages, "none.pdf"), 1, ["jwpextract: TMP/none.pdf: no pages"], id="no-pages"),
        pytest.param(
            _file_of(hostile.bad_media_box, "box.pdf", "--engine", "pdfplumber"),
            1,
            ["jwpextract: TMP/box.pdf: truncated or corrupt PDF"],
            id="malformed-pdf-pdfplumber",
        ),
        pytest.param(_file_of(hostile.lone_surrogates, "s.pdf"), 0, [], id="lone-surrogates-extract"),
        pytest.param(_file_of(lambda: SEED.read_bytes(), "p.txt", "--timeout", "inf"), 0, [], id="timeout-inf"),
        pytest.param(
            _file_of(lambda: SEED.read_bytes(), "p.txt", "--timeout", "nan"),
            2,
            None,
            id="timeout-nan",
        ),
        pytest.param(_text_of(hostile.many_paths, "paths.pdf", "text"), 1, [SLOW], id="text-timeout"),
        pytest.param(_text_of(hostile.many_paths, "paths.pdf", "diff"), 1, [SLOW], id="diff-timeout"),
    ],
)
def test_failure_paths(setup: Callable[[Path], list[str]], code: int, lines: list[str] | None, tmp_path: Path) -> None:
    started = time.monotonic()
    run = cli(*setup(tmp_path))
    assert time.monotonic() - started < 120
    assert run.returncode == code, run.stderr
    if lines is None:  # a usage error: click's message
        assert "Invalid value for '--timeout'" in run.stderr
    else:
        assert run.stderr.splitlines() == [line.replace("TMP", str(tmp_path)) for line in lines]
    assert "Traceback" not in run.stderr


def test_a_read_only_output_is_left_as_it_was(tmp_path: Path) -> None:
    cli(*_read_only_output(tmp_path))
    assert (tmp_path / "out.json").read_text(encoding="utf-8") == "kept\n"


@pytest.mark.parametrize("command", ["text", "diff"])
def test_lone_surrogates_print_as_replacement_characters(command: str, tmp_path: Path) -> None:
    (tmp_path / "s.pdf").write_bytes(hostile.lone_surrogates())
    run = cli(command, str(tmp_path / "s.pdf"), *([str(tmp_path / "s.pdf")] if command == "diff" else []))
    assert (run.returncode, run.stderr) == (0, "")
    assert ("\ufffd" in run.stdout) == (command == "text")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_utf16_and_utf32_text_extracts(encoding: str, tmp_path: Path) -> None:
    (tmp_path / "plan.txt").write_bytes(SEED.read_text(encoding="utf-8").encode(encoding))
    run = cli("extract", str(tmp_path / "plan.txt"), "-o", "-")
    assert run.returncode == 0, run.stderr
    plan = json.loads(run.stdout)
    assert (plan["source"]["encoding"], len(plan["plans"][0]["activities"])) == (encoding, 24)


def test_several_sources_onto_stdout_need_json_lines() -> None:
    refused = cli("extract", str(SEED), str(OTHER), "-o", "-")
    assert refused.returncode == 2
    assert refused.stderr == "jwpextract: -o -: 2 sources would print 2 JSON documents; --format jsonl prints one per line\n"
    assert refused.stdout == ""
    lines = cli("extract", str(SEED), str(OTHER), "-o", "-", "--format", "jsonl", "--workers", "2")
    assert lines.returncode == 0, lines.stderr
    plans = [json.loads(line) for line in lines.stdout.splitlines()]
    assert [plan["source"]["path"] for plan in plans] == [str(SEED), str(OTHER)]
    one = cli("extract", str(SEED), "-o", "-", "--format", "jsonl")
    assert one.stdout.count("\n") == 1 and json.loads(one.stdout) == plans[0]


def test_json_lines_go_to_stdout_only(tmp_path: Path) -> None:
    run = cli("extract", str(SEED), "-o", str(tmp_path / "out"), "--format", "jsonl")
    assert run.returncode == 2
    assert "--format jsonl writes one plan per line to standard output: give -o -" in run.stderr


LOCKED = """
import os
real_scandir = os.scandir

def scandir(path="."):
    if os.fspath(path).endswith("locked"):
        raise PermissionError(13, "Permission denied", os.fspath(path))
    return real_scandir(path)

os.scandir = scandir
"""


def test_an_unreadable_subfolder_is_a_failed_source(tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / "locked").mkdir(parents=True)
    (src / "locked" / "hidden.txt").write_bytes(SEED.read_bytes())
    (src / "seed.txt").write_bytes(SEED.read_bytes())
    (src / "locked").chmod(0)
    env = {}
    if os.geteuid() == 0:  # root reads any folder: the refusal is simulated
        (tmp_path / "site").mkdir()
        (tmp_path / "site" / "sitecustomize.py").write_text(LOCKED, encoding="utf-8")
        env["PYTHONPATH"] = str(tmp_path / "site")
    try:
        run = cli("extract", str(src), "-o", str(tmp_path / "out"), env=env)
    finally:
        (src / "locked").chmod(0o755)
    assert run.returncode == 1
    assert f"jwpextract: {src / 'locked'}: cannot read folder: Permission denied" in run.stderr.splitlines()
    assert (tmp_path / "out" / "seed.txt.json").is_file()
    assert run.stderr.splitlines()[-1].startswith("jwpextract: 1 extracted, 1 failed (cannot read folder: 1)")


@pytest.mark.parametrize("command", ["validate", "export"])
def test_a_huge_json_array_is_refused_before_it_is_parsed(command: str, tmp_path: Path) -> None:
    """64 MB of array: parsed whole before, it needed 3.1 GB to be refused; now about 130 MB."""
    big = tmp_path / "array.json"
    big.write_bytes(b"[" + b'{"a": 1},' * (7 << 20) + b"{}]")
    started = time.monotonic()
    run = cli(command, str(big), cap=1 << 30)
    assert time.monotonic() - started < 60
    assert (run.returncode, run.stderr) == (1, f"jwpextract: {big}: invalid: top level: Input should be an object\n")


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("bad\nname.txt", "bad\\nname.txt"),
        ("tab\tand\rreturn.txt", "tab\\tand\\rreturn.txt"),
        ("red\x1b[31m.txt", "red\\x1b[31m.txt"),
    ],
)
def test_a_file_name_with_control_characters_stays_on_its_line(name: str, shown: str, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / name).write_bytes(b"\x00\x01binary")
    (tmp_path / "in" / "seed.txt").write_bytes(SEED.read_bytes())
    batch = cli("extract", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--quiet")
    alone = cli("text", str(tmp_path / "in" / name))
    for run in (batch, alone):
        assert (run.returncode, run.stderr) == (1, f"jwpextract: {tmp_path / 'in'}/{shown}: not text (binary data)\n")


@pytest.mark.skipif(sys.platform != "linux", reason="file names of any bytes: Linux")
def test_a_file_name_that_is_no_utf8_extracts_and_resumes(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / os.fsdecode(b"plan-\xff.txt")).write_bytes(SEED.read_bytes())
    (src / "other.txt").write_bytes(OTHER.read_bytes())
    first = cli("extract", str(src), "-o", str(tmp_path / "out"), "--quiet")
    assert (first.returncode, first.stderr) == (0, "")
    output = tmp_path / "out" / os.fsdecode(b"plan-\xff.txt.json")
    assert json.loads(output.read_text(encoding="utf-8"))["source"]["path"] == str(src / "plan-\ufffd.txt")
    again = cli("extract", str(src), "-o", str(tmp_path / "out"))
    assert again.stderr.splitlines()[-1].startswith("jwpextract: 0 extracted, 0 failed, 2 skipped in ")
