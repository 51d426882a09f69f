"""Batch runs: job planning, resume and skip, time limit, failures, atomic outputs, parallel workers."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from jwpextract import __version__, pipeline
from jwpextract.batch import (
    MANIFEST_NAME,
    STDIN,
    BatchOptions,
    Job,
    Manifest,
    Outcome,
    Terminated,
    output_folder,
    plan_jobs,
    run_batch,
)
from jwpextract.errors import SourceError
from jwpextract.models import CanonicalDocument, Document, Source
from jwpextract.progress import reporting, summary_line
from jwpextract.rules import Rules
from jwpextract.sources import ReadOptions

from .conftest import CORPUS
from .test_cli_extract import cli, copies, started_batch

Behaviour = Callable[[], None]
OTHER_ENGINE = "pdfplumber" if ReadOptions().engine == "pdfium" else "pdfium"
"""A PDF engine other than the default one."""


class FakeExtractor:
    """Stands in for ``pipeline.extract_bytes``: records calls; a source's behaviour can be set."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.behaviour: dict[str, Behaviour] = {}

    def __call__(self, path: str, data: bytes, rules: Rules, options: ReadOptions | None = None) -> CanonicalDocument:
        self.calls.append(Path(path).name)
        self.behaviour.get(Path(path).name, lambda: None)()
        source = Source(path=path, sha256=hashlib.sha256(data).hexdigest(), format="text", pages=1, text_sha256="0" * 64)
        return CanonicalDocument(extractor=__version__, source=source, document=Document())


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeExtractor:
    extractor = FakeExtractor()
    monkeypatch.setattr(pipeline, "extract_bytes", extractor)
    return extractor


def make_tree(root: Path, files: dict[str, str]) -> Path:
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(content, encoding="utf-8")
    return root


def run(src: Path, out: Path, rules: Rules, **options: Any) -> list[Outcome]:
    jobs = plan_jobs([str(src)], str(out))
    return run_batch(jobs, rules, BatchOptions(**options), resume=output_folder(str(out)))


def statuses(outcomes: list[Outcome]) -> dict[str, str]:
    return {Path(o.source).name: o.status for o in outcomes}


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*.tmp"))


# --- planning -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "sources", "output", "expected"),
    [
        pytest.param(
            ["a.txt", "sub/b.pdf", "sub/deep/c.TXT", "notes.md", "sub/d.json"],
            ["in"],
            "out",
            [
                ("in/a.txt", "out/a.txt.json"),
                ("in/sub/b.pdf", "out/sub/b.pdf.json"),
                ("in/sub/deep/c.TXT", "out/sub/deep/c.TXT.json"),
            ],
            id="folder-mirrors-subfolders-and-ignores-other-files",
        ),
        pytest.param(["a.txt"], ["in/a.txt"], "out", [("in/a.txt", "out/a.txt.json")], id="file-to-folder"),
        pytest.param(["a.txt"], ["in/a.txt"], "plan.json", [("in/a.txt", "plan.json")], id="file-to-json"),
        pytest.param(["a.txt"], ["in/a.txt"], "-", [("in/a.txt", None)], id="file-to-stdout"),
        pytest.param([], ["-"], "-", [("-", None)], id="stdin-to-stdout"),
        pytest.param([], ["-"], "out", [("-", "out/stdin.json")], id="stdin-to-folder"),
        pytest.param([], ["-"], "x.JSON", [("-", "x.JSON")], id="stdin-to-json"),
        pytest.param(
            ["a.txt", "b.txt"],
            ["in", "in/a.txt"],
            "out",
            [("in/a.txt", "out/a.txt.json"), ("in/b.txt", "out/b.txt.json")],
            id="a-file-given-twice-is-extracted-once",
        ),
        pytest.param(["empty/.keep"], ["in/empty"], "out", [], id="folder-without-sources"),
    ],
)
def test_plan_jobs(
    files: list[str],
    sources: list[str],
    output: str,
    expected: list[tuple[str, str | None]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    make_tree(tmp_path / "in", dict.fromkeys(files, "x"))
    jobs = plan_jobs(sources, output)
    assert [(job.source, job.output and job.output.as_posix()) for job in jobs] == expected


@pytest.mark.parametrize(
    ("sources", "output", "message"),
    [
        (["in/a.txt", "in/sub/a.txt"], "out", "would both be written to out/a.txt.json"),
        (["in"], "plan.json", "a .json output takes exactly one source, not 2"),
        (["-", "-"], "out", "would both be written to out/stdin.json"),
    ],
)
def test_plan_jobs_refuses(
    sources: list[str], output: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    make_tree(tmp_path / "in", {"a.txt": "x", "sub/a.txt": "y"})
    with pytest.raises(ValueError, match=message):
        plan_jobs(sources, output)


# --- resume ---------------------------------------------------------------------------------


def test_second_run_skips_every_extracted_source(tmp_path: Path, rules: Rules, fake: FakeExtractor) -> None:
    src = make_tree(tmp_path / "in", {"a.txt": "A", "sub/b.txt": "B"})
    out = tmp_path / "out"
    assert statuses(run(src, out, rules)) == {"a.txt": "extracted", "b.txt": "extracted"}
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    entry = manifest["outputs"]["sub/b.txt.json"]
    assert entry == {
        "source": str(src / "sub" / "b.txt"),
        "sha256": hashlib.sha256(b"B").hexdigest(),
        "extractor": __version__,
        "rules": rules.digest,
        "engine": ReadOptions().engine,
    }
    fake.calls.clear()
    second = run(src, out, rules)
    assert statuses(second) == {"a.txt": "skipped", "b.txt": "skipped"}
    assert fake.calls == []
    assert [o.output for o in second] == [out / "a.txt.json", out / "sub" / "b.txt.json"]


def _edit_source(src: Path, out: Path) -> None:
    (src / "a.txt").write_text("A, revised", encoding="utf-8")


def _delete_output(src: Path, out: Path) -> None:
    (out / "a.txt.json").unlink()


def _break_manifest(src: Path, out: Path) -> None:
    (out / MANIFEST_NAME).write_text("{not json", encoding="utf-8")


def _older_extractor(src: Path, out: Path) -> None:
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    manifest["outputs"]["a.txt.json"]["extractor"] = "0.0.1"
    (out / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "options", "other_rules", "redone"),
    [
        pytest.param(None, {}, False, [], id="nothing-changed"),
        pytest.param(None, {"force": True}, False, ["a.txt", "b.txt"], id="force"),
        pytest.param(None, {}, True, ["a.txt", "b.txt"], id="rules-digest-changed"),
        pytest.param(None, {"read": ReadOptions(engine=OTHER_ENGINE)}, False, ["a.txt", "b.txt"], id="engine-changed"),
        pytest.param(None, {"read": ReadOptions(max_pages=5)}, False, [], id="page-limit-is-not-part-of-it"),
        pytest.param(_edit_source, {}, False, ["a.txt"], id="source-content-changed"),
        pytest.param(_delete_output, {}, False, ["a.txt"], id="output-deleted"),
        pytest.param(_older_extractor, {}, False, ["a.txt"], id="extractor-version-changed"),
        pytest.param(_break_manifest, {}, False, ["a.txt", "b.txt"], id="unreadable-manifest"),
    ],
)
def test_what_a_rerun_redoes(
    change: Callable[[Path, Path], None] | None,
    options: dict[str, Any],
    other_rules: bool,
    redone: list[str],
    tmp_path: Path,
    rules: Rules,
    fake: FakeExtractor,
) -> None:
    src = make_tree(tmp_path / "in", {"a.txt": "A", "b.txt": "B"})
    out = tmp_path / "out"
    run(src, out, rules)
    if change:
        change(src, out)
    fake.calls.clear()
    rerun_rules = rules.model_copy(update={"digest": "another-digest"}) if other_rules else rules
    outcomes = run(src, out, rerun_rules, **options)
    assert sorted(fake.calls) == redone
    assert {name for name, status in statuses(outcomes).items() if status == "extracted"} == set(redone)
    fake.calls.clear()
    run(src, out, rerun_rules, **{key: value for key, value in options.items() if key != "force"})
    assert fake.calls == []


def test_failed_sources_are_tried_again(tmp_path: Path, rules: Rules, fake: FakeExtractor) -> None:
    src = make_tree(tmp_path / "in", {"a.txt": "A", "b.txt": "B"})
    out = tmp_path / "out"

    def unreadable() -> None:
        raise SourceError("b.txt", "cannot parse")

    fake.behaviour["b.txt"] = unreadable
    first = run(src, out, rules)
    assert [(o.status, o.reason) for o in first] == [("extracted", ""), ("failed", "cannot parse")]
    assert not (out / "b.txt.json").exists()
    del fake.behaviour["b.txt"]
    fake.calls.clear()
    assert statuses(run(src, out, rules)) == {"a.txt": "skipped", "b.txt": "extracted"}
    assert fake.calls == ["b.txt"]


def test_a_source_failing_after_a_change_loses_its_manifest_entry(tmp_path: Path, rules: Rules, fake: FakeExtractor) -> None:
    src = make_tree(tmp_path / "in", {"a.txt": "A"})
    out = tmp_path / "out"
    run(src, out, rules)
    _edit_source(src, out)

    def broken() -> None:
        raise SourceError("a.txt", "broken")

    fake.behaviour["a.txt"] = broken
    assert statuses(run(src, out, rules)) == {"a.txt": "failed"}
    assert Manifest.load(out).entries == {}


def test_single_json_and_stdout_outputs_are_always_extracted(
    tmp_path: Path, rules: Rules, fake: FakeExtractor, capsys: pytest.CaptureFixture[str]
) -> None:
    src = make_tree(tmp_path / "in", {"a.txt": "A"}) / "a.txt"
    for output in (str(tmp_path / "a.json"), STDIN):
        for _ in range(2):
            assert statuses(run(src, Path(output), rules)) == {"a.txt": "extracted"}
    assert fake.calls == ["a.txt"] * 4
    assert capsys.readouterr().out.count('"extractor"') == 2
    assert not list(tmp_path.rglob(MANIFEST_NAME))


# --- failures, time limit, atomic outputs ------------------------------------------------------


def test_failures_are_one_line_reasons_and_the_batch_goes_on(tmp_path: Path, rules: Rules, fake: FakeExtractor) -> None:
    src = make_tree(tmp_path / "in", {"a.txt": "A", "b.txt": "B", "c.txt": "C"})

    def bug() -> None:
        raise KeyError("no\nsuch key")

    fake.behaviour["a.txt"] = bug
    outcomes = run(src, tmp_path / "out", rules)
    assert statuses(outcomes) == {"a.txt": "failed", "b.txt": "extracted", "c.txt": "extracted"}
    reason = outcomes[0].reason
    assert reason.startswith("internal error: KeyError: 'no\\nsuch key' (test_batch.py:")
    assert "\n" not in reason


def test_missing_source_fails_with_a_reason(tmp_path: Path, rules: Rules, fake: FakeExtractor) -> None:
    jobs = [Job(str(tmp_path / "gone.txt"), tmp_path / "out" / "gone.txt.json")]
    outcome = run_batch(jobs, rules, BatchOptions(), resume=tmp_path / "out")[0]
    assert (outcome.status, outcome.reason) == ("failed", "no such file")


def _sleep() -> None:
    time.sleep(5)


def _sleep_in_try_except_exception() -> None:
    with contextlib.suppress(Exception):  # a stage that swallows errors must not swallow the time limit
        time.sleep(5)


@pytest.mark.parametrize("slow", [_sleep, _sleep_in_try_except_exception])
def test_a_source_over_the_time_limit_fails_and_the_batch_goes_on(
    slow: Behaviour, tmp_path: Path, rules: Rules, fake: FakeExtractor
) -> None:
    src = make_tree(tmp_path / "in", {"a.txt": "A", "b.txt": "B"})
    fake.behaviour["a.txt"] = slow
    started = time.monotonic()
    outcomes = run(src, tmp_path / "out", rules, timeout=0.2)
    assert time.monotonic() - started < 3
    assert [(o.status, o.reason) for o in outcomes] == [("failed", "timed out after 0.2 s"), ("extracted", "")]
    assert not (tmp_path / "out" / "a.txt.json").exists()


def test_a_failed_extraction_leaves_the_previous_output_whole(tmp_path: Path, rules: Rules, fake: FakeExtractor) -> None:
    src = make_tree(tmp_path / "in", {"a.txt": "A"})
    out = tmp_path / "out"
    run(src, out, rules)
    before = (out / "a.txt.json").read_bytes()

    def boom() -> None:
        raise RuntimeError("boom")

    fake.behaviour["a.txt"] = boom
    assert statuses(run(src, out, rules, force=True)) == {"a.txt": "failed"}
    assert (out / "a.txt.json").read_bytes() == before
    assert leftovers(out) == []


@pytest.fixture
def sigterm_before() -> Iterator[Callable[..., None]]:
    """A SIGTERM handler in place around the test, that fails it if a SIGTERM gets past the batch."""

    def outside_the_batch(signum: int, frame: object) -> None:
        pytest.fail("SIGTERM reached the handler in place before the batch")

    previous = signal.signal(signal.SIGTERM, outside_the_batch)
    yield outside_the_batch
    signal.signal(signal.SIGTERM, previous)


def _ctrl_c() -> None:
    raise KeyboardInterrupt


def _sigterm() -> None:
    signal.raise_signal(signal.SIGTERM)


@pytest.mark.parametrize(("stop", "raised"), [(_ctrl_c, KeyboardInterrupt), (_sigterm, Terminated)])
def test_an_interrupted_run_leaves_no_partial_file_and_resumes(
    stop: Behaviour,
    raised: type[BaseException],
    tmp_path: Path,
    rules: Rules,
    fake: FakeExtractor,
    sigterm_before: Callable[..., None],
) -> None:
    src = make_tree(tmp_path / "in", {"a.txt": "A", "b.txt": "B", "c.txt": "C"})
    out = tmp_path / "out"
    fake.behaviour["b.txt"] = stop
    with pytest.raises(raised):
        run(src, out, rules)
    assert signal.getsignal(signal.SIGTERM) is sigterm_before
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST_NAME, "a.txt.json"]
    del fake.behaviour["b.txt"]
    fake.calls.clear()
    assert statuses(run(src, out, rules)) == {"a.txt": "skipped", "b.txt": "extracted", "c.txt": "extracted"}
    assert fake.calls == ["b.txt", "c.txt"]


def test_an_interrupted_write_leaves_no_partial_file(
    tmp_path: Path, rules: Rules, fake: FakeExtractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = make_tree(tmp_path / "in", {"a.txt": "A"})
    out = tmp_path / "out"

    def interrupted_rename(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("jwpextract.writers.os.replace", interrupted_rename)
    with pytest.raises(KeyboardInterrupt):
        run(src, out, rules)
    assert list(out.iterdir()) == []


# --- parallel workers (real pipeline, text sources) ---------------------------------------------


def test_parallel_workers_give_the_same_outputs_as_one(tmp_path: Path, rules: Rules) -> None:
    seed = (CORPUS / "UNEP-CMS-StC38-Doc4.txt").read_text(encoding="utf-8")
    files = {f"doc{i}.txt": seed.replace("2012", str(2012 + i), 1) for i in range(4)}
    files["sub/bad.txt"] = "\x00\x01binary"
    src = make_tree(tmp_path / "in", files)
    one = run(src, tmp_path / "one", rules, workers=1)
    two = run(src, tmp_path / "two", rules, workers=2)
    assert [replace(o, output=None) for o in one] == [replace(o, output=None) for o in two]
    assert statuses(two)["bad.txt"] == "failed"
    for name in (f"doc{i}.txt.json" for i in range(4)):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    assert Manifest.load(tmp_path / "one").entries == Manifest.load(tmp_path / "two").entries
    assert statuses(run(src, tmp_path / "two", rules, workers=2)) == {
        **{f"doc{i}.txt": "skipped" for i in range(4)},
        "bad.txt": "failed",
    }


@pytest.mark.parametrize(
    ("workers", "group"),
    [
        pytest.param("2", False, id="workers-kill-pid"),  # kill, timeout: the parent alone
        pytest.param("2", True, id="workers-kill-group"),  # systemd, CI runners: every process
        pytest.param("1", False, id="in-process"),
    ],
)
def test_sigterm_exits_143_leaves_no_partial_file_and_a_rerun_resumes(workers: str, group: bool, tmp_path: Path) -> None:
    src, out = copies(tmp_path / "in", 12), tmp_path / "out"
    process = started_batch(src, out, workers)
    if group:
        os.killpg(process.pid, signal.SIGTERM)
    else:
        process.terminate()
    stderr = process.communicate(timeout=30)[1]
    assert process.returncode == 128 + signal.SIGTERM, stderr
    assert "Traceback" not in stderr
    assert stderr.splitlines()[-1] == "jwpextract: terminated; outputs written so far are kept, a rerun resumes"
    written = sorted(p.name for p in out.glob("*.txt.json"))
    assert 0 < len(written) < 12
    manifest = out / MANIFEST_NAME
    assert sorted(p.name for p in out.iterdir() if p != manifest) == written  # no temporary file
    recorded = json.loads(manifest.read_text(encoding="utf-8"))["outputs"] if manifest.exists() else {}
    assert set(recorded) <= set(written)  # an output written while the batch was stopping may be redone
    rerun = cli("extract", str(src), "-o", str(out))
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.stderr.splitlines()[-1].startswith(
        f"jwpextract: {12 - len(recorded)} extracted, 0 failed, {len(recorded)} skipped in "
    )


# --- reporting ----------------------------------------------------------------------------------

OUTCOMES = [
    Outcome("in/a.txt", "extracted", output=Path("out/a.txt.json")),
    Outcome("in/b.pdf", "failed", "internal error: KeyError: 'x'\n  at line 3"),
    Outcome("in/c.pdf", "failed", "internal error: ValueError"),
    Outcome("in/d.pdf", "failed", "empty file"),
    Outcome("in/e.txt", "skipped", "up to date", Path("out/e.txt.json")),
]


def test_summary_counts_outcomes_and_groups_failures_by_the_start_of_their_reason() -> None:
    assert summary_line(OUTCOMES, 1.26) == (
        "jwpextract: 1 extracted, 3 failed (internal error: 2, empty file: 1), 1 skipped in 1.3 s"
    )
    assert summary_line(OUTCOMES[:1], 0) == "jwpextract: 1 extracted, 0 failed, 0 skipped in 0.0 s"


@pytest.mark.parametrize(
    ("quiet", "expected"),
    [
        (
            False,
            [
                "jwpextract: in/a.txt -> out/a.txt.json",
                "jwpextract: in/b.pdf: internal error: KeyError: 'x' at line 3",
                "jwpextract: in/c.pdf: internal error: ValueError",
                "jwpextract: in/d.pdf: empty file",
                "jwpextract: in/e.txt: skipped (up to date)",
            ],
        ),
        (
            True,
            [
                "jwpextract: in/b.pdf: internal error: KeyError: 'x' at line 3",
                "jwpextract: in/c.pdf: internal error: ValueError",
                "jwpextract: in/d.pdf: empty file",
            ],
        ),
    ],
)
def test_reporting_off_a_terminal_is_a_line_per_source(quiet: bool, expected: list[str]) -> None:
    stream = io.StringIO()
    with reporting(len(OUTCOMES), quiet=quiet, stream=stream) as report:
        for outcome in OUTCOMES:
            report(outcome)
    assert stream.getvalue().splitlines() == expected
