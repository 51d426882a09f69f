"""Inputs of ``jwpextract diff``: a source document to extract, or an already extracted plan."""

from __future__ import annotations

from pydantic import ValidationError

from ..batch import read_bytes
from ..errors import SourceError
from ..models import CanonicalPlan
from ..rules import Rules
from ..sources import ReadOptions

PLAN_SUFFIX = ".json"


def load_plan(path: str, rules: Rules, options: ReadOptions | None = None) -> CanonicalPlan:
    """The plan of ``path``: a canonical plan JSON file is read, a .txt or .pdf source extracted."""
    data = read_bytes(path)
    if not path.lower().endswith(PLAN_SUFFIX):
        from ..pipeline import extract_bytes

        return extract_bytes(path, data, rules, options)
    try:
        return CanonicalPlan.model_validate_json(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "top level"
        raise SourceError(path, f"not a canonical plan: {where}: {err['msg']}") from None
