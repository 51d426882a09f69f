"""The lineage timeline as a reader sees it: rendered by headless Chromium (Debian package ``chromium``)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from jwpextract.diff import lineage, render_lineage
from jwpextract.rules import Rules

from .chromium import CHROMIUM, dump_dom
from .test_lineage import story_versions


class Rows(HTMLParser):
    """The visible text of each cell of each timeline row (``<tr id>``), and the class of each step."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list[str]] = {}
        self.steps: dict[str, list[str]] = {}
        self.row: str | None = None
        self.depth = 0  # inside <style>, <head>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("style", "head"):
            self.depth += 1
        elif tag == "tr" and found.get("id"):
            self.row = found["id"]
            self.rows[self.row], self.steps[self.row] = [], []
        elif self.row and tag in ("td", "th"):
            self.rows[self.row].append("")
        elif self.row and tag == "span" and found.get("class") in ("added", "dropped", "changed", "unchanged"):
            self.steps[self.row].append(found["class"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "head"):
            self.depth -= 1
        elif tag == "tr":
            self.row = None

    def handle_data(self, data: str) -> None:
        if self.row and not self.depth and self.rows[self.row]:
            self.rows[self.row][-1] = " ".join(f"{self.rows[self.row][-1]} {data}".split())


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory, rules: Rules) -> Path:
    versions = story_versions()
    path = tmp_path_factory.mktemp("lineage") / "lineage.html"
    path.write_text(render_lineage(lineage(versions, rules), versions, "html"), encoding="utf-8")
    return path


def test_timeline_is_self_contained(page: Path) -> None:
    html = page.read_text(encoding="utf-8")
    assert "<style>" in html and "<script" not in html and "<link" not in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:|//)""", html)


@pytest.mark.skipif(CHROMIUM is None, reason="the chromium binary is absent (Debian package: chromium)")
def test_chromium_shows_each_chain_across_the_versions(page: Path, tmp_path: Path) -> None:
    reader = Rows()
    reader.feed(dump_dom(page, tmp_path / "profile"))
    cells = {chain: [re.sub(r"^(\S+) .*", r"\1", cell) for cell in row] for chain, row in reader.rows.items()}
    moved = next(chain for chain, row in cells.items() if row[1] == "2.3")
    assert reader.rows[moved][2:6] == ["→ renumbered, moved", reader.rows[moved][3], "→ renumbered", reader.rows[moved][5]]
    assert [cells[moved][k] for k in (1, 3, 5)] == ["2.3", "3.1", "3.4"]
    assert reader.rows[moved][1].startswith("2.3 The Secretariats will")
    assert reader.steps[moved] == ["changed", "changed"]
    merged = next(chain for chain, row in reader.rows.items() if row[1].startswith("4.1") and "4.2" in row[1])
    assert reader.rows[merged][2] == "→ actors, merged" and reader.steps[merged] == ["changed", "unchanged"]
    dropped = next(chain for chain, row in cells.items() if row[1] == "2.8")
    assert reader.rows[dropped][4:] == ["→ dropped", ""] and reader.steps[dropped] == ["unchanged", "dropped"]
    added = next(chain for chain, row in reader.rows.items() if row[-1].startswith("6.5"))
    assert reader.rows[added][1:5] == ["", "", "", "→ added"] and reader.steps[added] == ["added"]
    assert len(reader.rows) == 24
