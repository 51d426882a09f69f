"""Inputs of ``jwpextract diff``: a source document to extract, or an already extracted document."""

from __future__ import annotations

from ..batch import read_bytes
from ..loading import parse_document
from ..models import CanonicalDocument
from ..rules import Rules
from ..sources import ReadOptions

JSON_SUFFIX = ".json"


def load_document(path: str, rules: Rules, options: ReadOptions | None = None) -> CanonicalDocument:
    """The document of ``path``: a canonical JSON file is read, a .txt or .pdf source extracted."""
    data = read_bytes(path)
    if not path.lower().endswith(JSON_SUFFIX):
        from ..pipeline import extract_bytes

        return extract_bytes(path, data, rules, options)
    return parse_document(path, data)
