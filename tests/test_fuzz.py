"""Fuzzing ``extract_bytes``: random plan-like texts and byte-mutated corpus PDFs give a valid plan or
a named error (:mod:`jwpextract.errors`) with a one-line message, never anything else.

Each example runs in a worker process under limits (:mod:`jwpextract.workers`), so that an input
that hangs, crashes PDFium or eats memory fails its example with that reason instead of stopping
the suite. Deterministic (``derandomize``: the same examples every run) and bounded, about a minute
in all: no shrinking, whose repeated slow runs a hang would multiply.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from jwpextract.batch import init_worker, worker_rules
from jwpextract.errors import OutputError, RulesError, SourceError
from jwpextract.limits import Limits
from jwpextract.models import CanonicalDocument
from jwpextract.workers import Pool

from .conftest import CORPUS

NAMED = (SourceError, RulesError, OutputError)
PDFS = sorted(CORPUS.glob("*.pdf"))
LIMITS = Limits(timeout=30, max_memory=1 << 30)
FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)

WORDS = st.sampled_from(
    [
        "The", "Secretariats", "will", "cooperate", "on", "wetlands", "and", "migratory", "species", "Parties",
        "CMS", "CBD", "Ramsar", "AEWA", "CITES", "UNEP/CMS/StC38/Doc.4", "Res.8.11", "decision", "XIII/5",
        "COP15", "2012-14", "2019-2021", "By", "Ongoing", "Annex", "Activity", "Timeframe", "Responsibility",
        "Joint", "Work", "Plan", "•", "–", "(a)", "i.", "1.", "2.3", "A.", "11", "th", "biodiversity-",
        "related", "Secretariat’s", "\u00a0", "\t", "e\u0301", "\U0001f426", "\ufffd", "ﬁ",
    ]
)  # fmt: skip
NUMBERED = st.builds(
    lambda n, m, words: f"{n}.{m} " + " ".join(words), st.integers(0, 120), st.integers(0, 40), st.lists(WORDS, max_size=20)
)
HEADING = st.builds(lambda n, words: f"{n}. " + " ".join(words).upper(), st.integers(0, 30), st.lists(WORDS, max_size=8))
LINE = st.one_of(
    st.lists(WORDS, min_size=1, max_size=25).map(" ".join),
    NUMBERED,
    HEADING,
    st.text(max_size=120),
    st.sampled_from(["", "", " ", "\f", "Activity   Responsibility   Timeframe", "a" * 300]),
)
PLAN_TEXTS = st.lists(LINE, min_size=10, max_size=200).map("\n".join)


def extract(path: str, data: bytes) -> str:
    """In the worker: "plan" for a plan valid against the models, "named" for a named one-line error."""
    from jwpextract.pipeline import extract_bytes

    try:
        plan = extract_bytes(path, data, worker_rules())
    except NAMED as exc:
        assert str(exc) and "\n" not in str(exc), repr(exc)
        return "named"
    assert CanonicalDocument.model_validate_json(plan.model_dump_json(by_alias=True)) == plan
    return "plan"


@pytest.fixture(scope="module")
def pool() -> Iterator[Pool]:
    with Pool(1, LIMITS, (init_worker, ((),))) as workers:
        yield workers


def check(pool: Pool, path: str, data: bytes) -> None:
    results: dict[Hashable, Any] = {}
    pool.run([(0, (extract, (path, data)))], results.__setitem__)
    assert results[0] in ("plan", "named"), f"{results[0]} on {len(data)} bytes: {data[:300]!r}"


@settings(FUZZ, max_examples=400)
@given(PLAN_TEXTS, st.sampled_from(["utf-8", "utf-16", "cp1252"]))
def test_random_plan_like_texts(pool: Pool, text: str, encoding: str) -> None:
    check(pool, "fuzz.txt", text.encode(encoding, "surrogatepass" if encoding != "cp1252" else "replace"))


@st.composite
def mutated(draw: st.DrawFn) -> tuple[Path, bytes]:
    """A corpus PDF with a few bytes changed, a range cut out or repeated, or its end cut off."""
    path = draw(st.sampled_from(PDFS))
    data = bytearray(path.read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["flip", "cut", "repeat", "truncate"]))
        if kind == "flip":
            data[at] = draw(st.integers(0, 255))
        elif kind == "cut":
            del data[at : at + draw(st.integers(1, 400))]
        elif kind == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 400))]
        else:
            del data[max(at, 8) :]
        if len(data) < 16:
            break
    return path, bytes(data)


@pytest.mark.skipif(not PDFS, reason="no corpus PDF")
@settings(FUZZ, max_examples=240)
@given(mutated())
def test_byte_mutated_corpus_pdfs(pool: Pool, case: tuple[Path, bytes]) -> None:
    path, data = case
    check(pool, path.name, data)
