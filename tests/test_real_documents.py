"""Real documents written by secretariats (read in place at ../shared/real/) against their keys.

Issue 9's structure measures must reach 0.95 on each: document symbol and date, kind, decisions,
decision paragraphs and titles, cover-note paragraphs, no plan invented, plans found. Issue 10 asks
0.95 on every measure (references and activity tables included)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "real"
SCORER = Path(__file__).resolve().parent / "tools" / "score.py"
SOURCES = ["A-RES-78-272.pdf", "ipbes-functions-2012.pdf", "FCCC-CP-2019-13-Add1.txt"]
STRUCTURE = (
    "document symbol and date",
    "document kind",
    "decisions found (F1)",
    "decision paragraphs (F1)",
    "decision titles",
    "cover-note paragraphs (F1)",
    "no plan invented",
    "plans found (F1)",
)
BAR = 0.95

pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real is not here")


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, tuple[float, str]]]:
    """Each real document's score rows: measure -> (value, detail)."""
    out_dir = tmp_path_factory.mktemp("real")
    found = {}
    for source in SOURCES:
        out = out_dir / f"{source}.json"
        cli = [sys.executable, "-m", "jwpextract", "extract", str(REAL / source), "-o", str(out)]
        run = subprocess.run(cli, capture_output=True, text=True, check=False)
        assert run.returncode == 0, run.stderr
        key = REAL / "gold" / f"{Path(source).stem}.gold.json"
        score = subprocess.run(
            [sys.executable, str(SCORER), str(out), str(key), "--json"], capture_output=True, text=True, check=True
        )
        found[source] = {name: (value, detail) for name, value, detail in json.loads(score.stdout)["rows"]}
    return found


@pytest.mark.parametrize("source", SOURCES)
def test_structure_measures(source: str, scores: dict[str, dict[str, tuple[float, str]]]) -> None:
    low = {m: v for m, v in scores[source].items() if m in STRUCTURE and v[0] < BAR}
    assert low == {}


@pytest.mark.parametrize("source", SOURCES)
def test_every_measure(source: str, scores: dict[str, dict[str, tuple[float, str]]]) -> None:
    low = {m: v for m, v in scores[source].items() if v[0] < BAR}
    assert low == {}
