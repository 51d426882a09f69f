"""Reading an extracted document back: a canonical JSON file of the current schema, or one line
that says why not (an older ``schema_version`` is named, so the user knows to extract again)."""

from __future__ import annotations

import json
import re

from pydantic import ValidationError

from .errors import SourceError
from .models import SCHEMA_VERSION, CanonicalDocument

NOT_AN_OBJECT = re.compile(rb'\s*+[\["\-0-9tfn]')
"""JSON whose top level is no object: refused before parsing (a 27 MB array took 1.5 GB to be refused)."""


def _version(data: bytes) -> object:
    try:
        parsed = json.loads(data)
    except (ValueError, RecursionError):
        return None
    return parsed.get("schema_version") if isinstance(parsed, dict) else None


def parse_document(path: str, data: bytes) -> CanonicalDocument:
    """The canonical document in ``data`` (the content of ``path``), or a :class:`SourceError`."""
    if NOT_AN_OBJECT.match(data):
        raise SourceError(path, "invalid: top level: Input should be an object")
    try:
        return CanonicalDocument.model_validate_json(data)
    except ValidationError as exc:
        version = _version(data)
        if version is not None and version != SCHEMA_VERSION:
            reason = f"schema_version {version}: extract it again (this jwpextract reads schema_version {SCHEMA_VERSION})"
            raise SourceError(path, reason) from None
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "top level"
        raise SourceError(path, f"invalid: {where}: {err['msg']}") from None


def read_document(path: str) -> CanonicalDocument:
    """Read and parse a canonical JSON file."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise SourceError(path, f"cannot read: {exc.strerror or exc}") from None
    return parse_document(path, data)
