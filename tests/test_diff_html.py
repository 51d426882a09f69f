"""The HTML report as a reader sees it: rendered by headless Chromium (Debian package ``chromium``)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from jwpextract.diff import diff_plans, render_html
from jwpextract.rules import Rules

from .chromium import CHROMIUM, dump_dom
from .test_diff_fixtures import document_from_key, load_key, seed_2015_key


class Reader(HTMLParser):
    """The text a reader sees, and the text of every <del> and <ins>, from a DOM dump."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.marked: dict[str, list[str]] = {"del": [], "ins": []}
        self.open: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script", "head"):
            self.hidden += 1
        if tag in self.marked:
            self.open.append(tag)
            self.marked[tag].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "head"):
            self.hidden -= 1
        if tag in self.marked and self.open:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        self.text.append(data)
        for tag in self.open:
            self.marked[tag][-1] += data

    def visible(self) -> str:
        return re.sub(r"\s+", " ", " ".join(self.text))


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, rules: Rules) -> Path:
    old, _ = document_from_key(load_key("UNEP-CMS-StC38-Doc4"), path="corpus/UNEP-CMS-StC38-Doc4.txt")
    new, _ = document_from_key(seed_2015_key(), path="corpus/versions/UNEP-CMS-StC44-JWP-2015.txt")
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(render_html(diff_plans(old, new, rules), old.plans[0], new.plans[0]), encoding="utf-8")
    return path


def test_report_is_self_contained(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    assert "<style>" in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:|//)""", html)
    assert "<script" not in html and "<link" not in html


@pytest.mark.skipif(CHROMIUM is None, reason="the chromium binary is absent (Debian package: chromium)")
def test_chromium_shows_summary_and_highlighted_changes(report: Path, tmp_path: Path) -> None:
    reader = Reader()
    reader.feed(dump_dom(report, tmp_path / "profile"))
    seen = reader.visible()
    # the summary on top: counts per status and per kind
    assert re.search(r"Activities by status unchanged 0 changed 23 added 1 removed 1", seen), seen[:600]
    assert re.search(r"Changes by kind text 3 items 1 renumbered 7 moved 1 timeframe 23 actors 2", seen)
    assert seen.index("Summary") < seen.index("Activities by status") < seen.index("2.2 → 2.2")
    # a reworded activity: the old words struck through, the new ones inserted
    assert "Diseases." in reader.marked["del"]
    assert "and Ecosystem Health." in reader.marked["ins"]
    # the dropped item (e) of 6.4, the removed 2.8 and the added 2.9
    assert any(text.startswith("(e) Development of policy") for text in reader.marked["del"])
    assert any("bush meat" in text for text in reader.marked["del"])
    assert any(text.startswith("The Secretariats will cooperate in implementing") for text in reader.marked["ins"])
    # both versions side by side, plan-level changes included
    assert "Old New" in seen and "2012-2014" in reader.marked["del"] and "2015-2017" in reader.marked["ins"]
