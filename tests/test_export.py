"""Export of activities: CSV rows, JSON Lines objects, Markdown tables, and the export command."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jwpextract.cli import app
from jwpextract.export import CSV_COLUMNS, export
from jwpextract.loading import read_document
from jwpextract.models import Activity, CanonicalDocument, Document, Plan, Provenance, Source, Timeframe
from jwpextract.writers import to_json

PROVENANCE = Provenance(lines=(0, 0), start=0, end=1, source_text="x")


def activity(number: str, text: str, **fields: object) -> Activity:
    return Activity.model_validate(
        {"id": f"activity:{number}", "number": number, "text": text, "full_text": text, "provenance": PROVENANCE, **fields}
    )


def document(path: str, *plans: Plan, symbol: str | None = None) -> CanonicalDocument:
    source = Source(path=path, sha256="0" * 64, format="text", pages=1, text_sha256="0" * 64)
    return CanonicalDocument(extractor="test", source=source, document=Document(symbol=symbol), plans=list(plans))


def plan(*activities: Activity, plan_id: str = "plan:1", title: str | None = None) -> Plan:
    return Plan(id=plan_id, title=title, activities=list(activities))


TRICKY = activity(
    "1.1",
    'Review "guidelines", jointly | with partners',
    full_text='Review "guidelines", jointly | with partners\n(a) in 2013;',
    section="1",
    theme="Capacité",
    timeframe=Timeframe(text="2012-14", start=2012, end=2014),
    actors=["CBD Secretariat", "CMS Secretariat"],
    references=["cms:resolution:10.20", "cbd:decision:X/20"],
)
PLAIN = activity("1.2", "Share data.")
PLANS = [document("corpus/a.pdf", plan(TRICKY, PLAIN), symbol="UNEP/CMS/StC38/Doc.4"), document("corpus/empty.txt", plan())]


def test_csv_has_one_row_per_activity_and_reads_back() -> None:
    text = export(PLANS, "csv")
    assert text.startswith(",".join(CSV_COLUMNS) + "\n")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert rows == [
        {
            "source": "corpus/a.pdf",
            "plan": "plan:1",
            "number": "1.1",
            "section": "1",
            "theme": "Capacité",
            "text": 'Review "guidelines", jointly | with partners\n(a) in 2013;',
            "timeframe_start": "2012",
            "timeframe_end": "2014",
            "actors": "CBD Secretariat; CMS Secretariat",
            "references": "cms:resolution:10.20; cbd:decision:X/20",
        },
        {
            "source": "corpus/a.pdf",
            "plan": "plan:1",
            "number": "1.2",
            "section": "",
            "theme": "",
            "text": "Share data.",
            "timeframe_start": "",
            "timeframe_end": "",
            "actors": "",
            "references": "",
        },
    ]


def test_jsonl_has_one_activity_object_per_line_with_its_source() -> None:
    lines = export(PLANS, "jsonl").splitlines()
    objects = [json.loads(line) for line in lines]
    assert [(o["source"], o["plan"], o["number"]) for o in objects] == [
        ("corpus/a.pdf", "plan:1", "1.1"),
        ("corpus/a.pdf", "plan:1", "1.2"),
    ]
    assert list(objects[0])[:4] == ["source", "plan", "id", "number"]
    assert objects[0]["timeframe"] == {"text": "2012-14", "start": 2012, "end": 2014, "basis": None}
    assert Activity.model_validate({k: v for k, v in objects[0].items() if k not in ("source", "plan")}) == TRICKY
    assert "Capacité" in lines[0]


def test_markdown_has_a_table_per_plan() -> None:
    text = export(PLANS, "md")
    assert text.splitlines() == [
        "## corpus/a.pdf (UNEP/CMS/StC38/Doc.4)",
        "",
        "| No. | Section | Theme | Activity | Timeframe | Actors | References |",
        "|---|---|---|---|---|---|---|",
        '| 1.1 | 1 | Capacité | Review "guidelines", jointly \\| with partners (a) in 2013; | 2012-14 '
        "| CBD Secretariat; CMS Secretariat | cms:resolution:10.20; cbd:decision:X/20 |",
        "| 1.2 |  |  | Share data. |  |  |  |",
        "",
        "## corpus/empty.txt",
        "",
        "No activities.",
    ]


SECOND = activity("1.1", "Publish the guidance.", id="plan:2/activity:1.1")
SEVERAL = document(
    "corpus/b.pdf",
    plan(PLAIN, title="Joint work plan"),
    plan(SECOND, plan_id="plan:2", title="Action plan"),
    symbol="CBD/COP/15/1",
)


def test_rows_name_their_plan_in_a_document_of_several_plans() -> None:
    rows = list(csv.DictReader(io.StringIO(export([SEVERAL], "csv"), newline="")))
    assert [(r["source"], r["plan"], r["number"], r["text"]) for r in rows] == [
        ("corpus/b.pdf", "plan:1", "1.2", "Share data."),
        ("corpus/b.pdf", "plan:2", "1.1", "Publish the guidance."),
    ]
    objects = [json.loads(line) for line in export([SEVERAL], "jsonl").splitlines()]
    assert [(o["source"], o["plan"], o["id"]) for o in objects] == [
        ("corpus/b.pdf", "plan:1", "activity:1.2"),
        ("corpus/b.pdf", "plan:2", "plan:2/activity:1.1"),
    ]
    headings = [line for line in export([SEVERAL], "md").splitlines() if line.startswith("## ")]
    assert headings == ["## corpus/b.pdf (CBD/COP/15/1 — Joint work plan)", "## corpus/b.pdf (CBD/COP/15/1 — Action plan)"]


def test_a_document_without_plans_has_no_rows() -> None:
    bare = document("corpus/decision.txt", symbol="CBD/COP/DEC/14/8")
    assert export([bare], "csv") == ",".join(CSV_COLUMNS) + "\n"
    assert export([bare], "jsonl") == ""
    assert export([bare], "md").splitlines() == ["## corpus/decision.txt (CBD/COP/DEC/14/8)", "", "No activities."]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "md"])
def test_exports_are_deterministic(fmt: str) -> None:
    assert export(PLANS, fmt) == export([p.model_copy(deep=True) for p in PLANS], fmt)  # type: ignore[arg-type]


def write_plans(folder: Path) -> list[str]:
    paths = []
    for n, item in enumerate(PLANS):
        path = folder / f"plan{n}.json"
        path.write_text(to_json(item), encoding="utf-8")
        paths.append(str(path))
    return paths


def test_export_command_writes_a_file(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "activities.csv"
    result = CliRunner().invoke(app, ["export", *write_plans(tmp_path), "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == export(PLANS, "csv").encode("utf-8")
    assert [read_document(p) for p in write_plans(tmp_path)] == PLANS


def test_export_command_prints_to_stdout(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["export", *write_plans(tmp_path), "-f", "jsonl"])
    assert result.exit_code == 0
    assert result.stdout == export(PLANS, "jsonl")


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ("{not json", "invalid: top level: Invalid JSON"),
        ('{"schema_version": "2"}', "invalid: extractor: Field required"),
        ('{"schema_version": "1"}', "schema_version 1: extract it again (this jwpextract reads schema_version 2)"),
        (None, "cannot read: No such file or directory"),
    ],
)
def test_invalid_input_is_one_line_exit_1_and_nothing_written(content: str | None, error: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    if content is not None:
        bad.write_text(content, encoding="utf-8")
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(app, ["export", *write_plans(tmp_path), str(bad), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith(f"jwpextract: {bad}: {error}")
    assert not out.exists()
