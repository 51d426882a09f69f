"""Whole documents against the hand-checked answer keys, through the CLI and the vendored scorer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import CORPUS, GOLD

SCORER = Path(__file__).resolve().parent / "tools" / "score.py"
CASES = [
    ("UNEP-CMS-StC38-Doc4.txt", "UNEP-CMS-StC38-Doc4"),
    ("aewa-ramsar-jwp-2019.txt", "aewa-ramsar-jwp-2019"),
    ("UNEP-CMS-StC38-Doc4.pdf", "UNEP-CMS-StC38-Doc4"),
    ("UNEP-CMS-StC38-Doc4-borderless.pdf", "UNEP-CMS-StC38-Doc4"),
    ("aewa-ramsar-jwp-2019.pdf", "aewa-ramsar-jwp-2019"),
]


@pytest.mark.parametrize(("source", "key"), CASES)
def test_every_measure_is_perfect(source: str, key: str, tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    cli = [sys.executable, "-m", "jwpextract", "extract", str(CORPUS / source), "-o", str(out)]
    run = subprocess.run(cli, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    score = subprocess.run(
        [sys.executable, str(SCORER), str(out), str(GOLD / f"{key}.gold.json"), "--min", "1.0"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert score.returncode == 0, score.stdout
