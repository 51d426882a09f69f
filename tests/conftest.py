"""Shared fixtures: the bundled rules, and a helper that reads a text snippet into a layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from jwpextract.layout import LayoutDocument
from jwpextract.rules import Rules, load_rules
from jwpextract.sources.text import read_text

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
GOLD = Path(__file__).resolve().parent / "gold"
TESTDATA = Path(__file__).resolve().parent / "testdata"


@pytest.fixture(scope="session")
def rules() -> Rules:
    return load_rules()


def layout_of(text: str, name: str = "snippet.txt") -> LayoutDocument:
    return read_text(name, text.encode("utf-8"))
