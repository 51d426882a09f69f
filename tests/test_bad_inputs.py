"""Inputs that must fail: one line naming the file and the reason, exit code 1, no output, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from jwpextract.errors import SourceError
from jwpextract.sources import ReadOptions, read_source
from jwpextract.sources.pdf import read_pdf

from .conftest import CORPUS, TESTDATA

BAD = TESTDATA / "bad"
REASONS = {
    "empty.pdf": "empty file",
    "not-a-pdf.pdf": "not a PDF (no %PDF signature)",
    "truncated.pdf": "truncated or corrupt PDF",
    "random-bytes.txt": "not text (binary data)",
    "encrypted.pdf": "encrypted: give --password",
}


def test_every_bad_input_has_an_expected_reason() -> None:
    assert sorted(p.name for p in BAD.iterdir()) == sorted(REASONS)


@pytest.mark.parametrize(("name", "reason"), sorted(REASONS.items()))
def test_reader_fails_with_the_reason(name: str, reason: str) -> None:
    path = BAD / name
    with pytest.raises(SourceError) as failure:
        read_source(str(path), path.read_bytes())
    assert failure.value.reason == reason
    assert str(failure.value) == f"{path}: {reason}"


@pytest.mark.parametrize(("name", "reason"), sorted(REASONS.items()))
def test_cli_prints_one_line_and_writes_nothing(name: str, reason: str, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    run = subprocess.run(
        [sys.executable, "-m", "jwpextract", "extract", str(BAD / name), "-o", str(out)], capture_output=True, check=False
    )
    stderr = run.stderr.decode()
    assert run.returncode == 1
    assert stderr.strip().splitlines() == [f"jwpextract: {BAD / name}: {reason}"]
    assert not out.exists()


def test_scanned_pdf_without_ocr_prints_one_line_and_writes_nothing(tmp_path: Path) -> None:
    """A scan extracts with OCR (tests/test_ocr.py); with OCR off it is a bad input."""
    path, out = TESTDATA / "scanned" / "scanned-no-text-layer.pdf", tmp_path / "out.json"
    cli = [sys.executable, "-m", "jwpextract", "extract", str(path), "-o", str(out), "--ocr", "never"]
    run = subprocess.run(cli, capture_output=True, check=False)
    assert run.returncode == 1
    reason = "no text layer: scanned? OCR is off (--ocr never)"
    assert run.stderr.decode().strip().splitlines() == [f"jwpextract: {path}: {reason}"]
    assert not out.exists()
    with pytest.raises(SourceError, match=r": no text layer: scanned\? OCR is off \(--ocr never\)$"):
        read_source(str(path), path.read_bytes(), ReadOptions(ocr="never"))


@pytest.mark.parametrize(("password", "reason"), [(None, "encrypted: give --password"), ("wrong", "wrong password")])
def test_encrypted_pdf_needs_the_right_password(password: str | None, reason: str) -> None:
    path = BAD / "encrypted.pdf"
    with pytest.raises(SourceError, match=reason):
        read_source(str(path), path.read_bytes(), ReadOptions(password=password))


def test_encrypted_pdf_with_its_password_reads_like_the_seed() -> None:
    encrypted = read_source("e.pdf", (BAD / "encrypted.pdf").read_bytes(), ReadOptions(password="secret"))
    seed = read_source("s.pdf", (CORPUS / "UNEP-CMS-StC38-Doc4.pdf").read_bytes())
    assert encrypted.text == seed.text
    assert [(line.furniture, line.column, line.row) for line in encrypted.lines()] == [
        (line.furniture, line.column, line.row) for line in seed.lines()
    ]


@pytest.mark.parametrize("keep", [100, 3000, 9000, 15000, -40])
def test_cut_pdfs_fail_cleanly(keep: int) -> None:
    data = (CORPUS / "UNEP-CMS-StC38-Doc4.pdf").read_bytes()[:keep]
    with pytest.raises(SourceError, match="truncated or corrupt PDF"):
        read_source("cut.pdf", data)


@pytest.mark.parametrize("offset", range(600, 19000, 1700))
def test_damaged_pdfs_read_or_fail_with_a_source_error(offset: int) -> None:
    data = bytearray((CORPUS / "UNEP-CMS-StC38-Doc4.pdf").read_bytes())
    data[offset : offset + 200] = bytes(200)
    try:
        doc = read_source("damaged.pdf", bytes(data))
    except SourceError as failure:
        assert failure.reason == "truncated or corrupt PDF"
    else:
        assert doc.pages


def test_too_many_pages() -> None:
    path = CORPUS / "UNEP-CMS-StC38-Doc4.pdf"
    with pytest.raises(SourceError, match=r"^.*: too many pages \(8 > 3\)$"):
        read_source(str(path), path.read_bytes(), ReadOptions(max_pages=3))


def test_unknown_engine() -> None:
    path = CORPUS / "aewa-ramsar-jwp-2019.pdf"
    with pytest.raises(SourceError, match="unsupported PDF engine"):
        read_pdf(str(path), path.read_bytes(), ReadOptions(engine="nope"))
