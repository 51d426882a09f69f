"""``jwpextract index``: the database holds what the JSON files hold, incrementally, consistently."""

from __future__ import annotations

import json
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import jwpextract.archive.index as index_module
from jwpextract.archive import ARCHIVE_SCHEMA, ArchiveError, index_files
from jwpextract.writers import to_json

from .archive_inputs import complete_document, extracted, write_corpus
from .conftest import ROOT

REAL = ROOT.parent / "shared" / "real"
REAL_SOURCES = ("FCCC-CP-2019-13-Add1.txt", "A-RES-78-272.pdf", "ipbes-functions-2012.pdf")
DOCS = ROOT / "docs" / "archive-schema.md"
README = ROOT / "README.md"

# Each table's rows: the JSON paths whose values it holds (``name[]`` flattens a list; a last
# segment without ``[]`` counts the values that are not null).
COUNTS = {
    "documents": [""],
    "plans": ["plans[]"],
    "plan_parties": ["plans[].parties[]"],
    "intro_paragraphs": ["plans[].intro[]"],
    "sections": ["plans[].sections[]"],
    "activities": ["plans[].activities[]"],
    "activity_actors": ["plans[].activities[].actors[]"],
    "activity_references": ["plans[].activities[].references[]"],
    "items": ["plans[].activities[].items[]"],
    "item_actors": ["plans[].activities[].items[].actors[]"],
    "decisions": ["decisions[]"],
    "decision_annexes": ["decisions[].annexes[]"],
    "preamble_paragraphs": ["decisions[].preamble[]"],
    "preamble_references": ["decisions[].preamble[].references[]"],
    "paragraphs": ["paragraphs[]", "decisions[].paragraphs[]"],
    "paragraph_items": ["paragraphs[].items[]", "decisions[].paragraphs[].items[]"],
    "paragraph_references": ["paragraphs[].references[]", "decisions[].paragraphs[].references[]"],
    "tables": ["tables[]"],
    "table_cells": ["tables[].header[]", "tables[].rows[][]"],
    "annexes": ["annexes[]"],
    "refs": ["references[]"],
    "mentions": ["references[].mentions[]"],
    "entities": ["entities[]"],
    "entity_mentions": ["entities[].mentions[]"],
    "links": ["links[]"],
    "footnotes": ["footnotes[]"],
    "footnote_references": ["footnotes[].references[]"],
    "furniture": ["furniture[]"],
    "warnings": ["warnings[]"],
    "search": [
        "plans[].activities[]",
        "paragraphs[]",
        "decisions[].paragraphs[]",
        "decisions[].preamble[]",
        "plans[].intro[]",
        "decisions[].title",
        "footnotes[]",
    ],
}


def count(data: Any, path: str) -> int:
    values = [data]
    for segment in filter(None, path.split(".")):
        name, _, flatten = segment.partition("[")
        values = [v[name] for v in values] if name else values
        for _ in range(flatten.count("]")):
            values = [item for v in values for item in v]
    return sum(v is not None for v in values)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The extracted corpus, the real documents (when ../shared/real is here) and a complete document."""
    folder = tmp_path_factory.mktemp("outputs")
    write_corpus(folder)
    if REAL.is_dir():
        for name in REAL_SOURCES:
            path = REAL / name
            from jwpextract.pipeline import extract_bytes
            from jwpextract.rules import load_rules

            (folder / "real").mkdir(exist_ok=True)
            doc = extract_bytes(str(path), path.read_bytes(), load_rules())
            (folder / "real" / f"{name}.json").write_text(to_json(doc), encoding="utf-8")
    (folder / "generated").mkdir()
    (folder / "generated" / "complete.txt.json").write_text(to_json(complete_document()), encoding="utf-8")
    (folder / ".jwpextract-manifest.json").write_text("{}", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def archive(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    path = tmp_path_factory.mktemp("db") / "archive.sqlite"
    report = index_files([str(inputs)], path)
    assert report.failed == [] and report.indexed == len(list(inputs.rglob("[!.]*.json")))
    return sqlite3.connect(path)


def json_files(folder: Path) -> list[Any]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.rglob("[!.]*.json"))]


def test_counts_equal_the_json_files(inputs: Path, archive: sqlite3.Connection) -> None:
    files = json_files(inputs)
    expected = {table: sum(count(f, path) for f in files for path in paths) for table, paths in COUNTS.items()}
    found = {table: archive.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in COUNTS}
    assert found == expected
    assert expected["decisions"] > 0 and expected["table_cells"] > 0 and expected["mentions"] > 100


def test_every_table_of_the_database_is_counted(archive: sqlite3.Connection) -> None:
    tables = {n for (n,) in archive.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    fixed = {"meta", "years", "sqlite_stat1"}
    assert {t for t in tables if not t.startswith("search_")} - fixed == set(COUNTS)


def test_activities_read_back_as_in_the_json(inputs: Path, archive: sqlite3.Connection) -> None:
    rows = archive.execute(
        "SELECT d.source_path, p.key, a.key, a.number, a.section, a.text, a.timeframe_start, a.timeframe_end, "
        "a.text_start, (SELECT group_concat(actor, '|') FROM activity_actors x WHERE x.activity_id = a.id) "
        "FROM activities a JOIN plans p ON p.id = a.plan_id JOIN documents d ON d.id = a.document_id"
    ).fetchall()
    expected = [
        (
            f["source"]["path"], plan["id"], a["id"], a["number"], a["section"], a["text"],
            (a["timeframe"] or {}).get("start"), (a["timeframe"] or {}).get("end"), a["provenance"]["start"],
            "|".join(a["actors"]) or None,
        )
        for f in json_files(inputs) for plan in f["plans"] for a in plan["activities"]
    ]  # fmt: skip
    assert sorted(rows, key=repr) == sorted(expected, key=repr)


@pytest.mark.parametrize(
    ("column", "table", "key", "value"),
    [
        ("activity_id", "activities", "key", [("activity:1.1", 1)]),
        ("plan_id", "plans", "key", [("plan:1", 2)]),
        ("decision_id", "decisions", "key", [("decision:14/8", 2)]),
        ("preamble_id", "preamble_paragraphs", "position", [(1, 1)]),
        ("paragraph_id", "paragraphs", "number", [("1", 1), ("2", 1)]),
        ("footnote_id", "footnotes", "number", [("1", 1)]),
        ("intro_id", "intro_paragraphs", "number", [(1, 1)]),
    ],
)
def test_mentions_name_the_rows_they_sit_in(
    archive: sqlite3.Connection, column: str, table: str, key: str, value: list[tuple[object, int]]
) -> None:
    found = archive.execute(
        f"SELECT t.{key}, count(*) FROM mentions m JOIN {table} t ON t.id = m.{column} AND t.document_id = m.document_id "
        "JOIN documents d ON d.id = m.document_id WHERE d.symbol = 'UNEP/GEN/1' GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert found == value


def test_decision_paragraphs_and_the_documents_own_are_told_apart(archive: sqlite3.Connection) -> None:
    rows = archive.execute(
        "SELECT p.number, dec.key, m.paragraph FROM mentions m JOIN paragraphs p ON p.id = m.paragraph_id "
        "LEFT JOIN decisions dec ON dec.id = p.decision_id WHERE m.document_id = "
        "(SELECT id FROM documents WHERE symbol = 'UNEP/GEN/1') ORDER BY p.number"
    ).fetchall()
    assert rows == [("1", "decision:14/8", "1"), ("2", None, "2")]


def test_table_cells_keep_header_and_rows(archive: sqlite3.Connection) -> None:
    cells = archive.execute("SELECT row, position, text FROM table_cells ORDER BY row, position").fetchall()
    assert cells[:4] == [(0, 1, "Indicator"), (0, 2, "Baseline"), (0, 3, "Target"), (1, 1, "Sites")]


def test_full_text_index_is_intact_and_finds_stems(archive: sqlite3.Connection) -> None:
    archive.execute("INSERT INTO search (search) VALUES ('integrity-check')")
    kinds = {k for (k,) in archive.execute("SELECT kind FROM search WHERE search MATCH 'peatland OR census'")}
    assert kinds == {"paragraph", "activity"}
    found = archive.execute("SELECT count(*) FROM search WHERE search MATCH 'wetlands'").fetchone()[0]
    assert found >= archive.execute("SELECT count(*) FROM search WHERE search MATCH 'wetland'").fetchone()[0] > 0


def test_activity_years_spans_each_timeframe(archive: sqlite3.Connection) -> None:
    years = archive.execute(
        "SELECT y.year FROM activity_years y JOIN activities a ON a.id = y.activity_id WHERE a.key = 'activity:1.1' "
        "AND a.document_id = (SELECT id FROM documents WHERE symbol = 'UNEP/GEN/1') ORDER BY y.year"
    ).fetchall()
    assert years == [(2014,), (2015,), (2016,)]


# --- the documented schema ---------------------------------------------------------------------------

PROVENANCE_COLUMNS = [
    ("page_first", "INTEGER"),
    ("page_last", "INTEGER"),
    ("line_first", "INTEGER"),
    ("line_last", "INTEGER"),
    ("text_start", "INTEGER"),
    ("text_end", "INTEGER"),
]


def documented() -> dict[str, list[tuple[str, str]]]:
    """Each documented table or view: its columns and types, in order."""
    schema: dict[str, list[tuple[str, str]]] = {}
    current = None
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"### `(\w+)`", line)
        if heading:
            current = schema.setdefault(heading.group(1), [])
        elif current is not None and line.startswith("| *(provenance)*"):
            current.extend(PROVENANCE_COLUMNS)
        elif current is not None and (cell := re.match(r"\| `(\w+)` \| *(\w*) *\|", line)):
            current.append((cell.group(1), cell.group(2)))
    return schema


def test_documented_schema_is_the_databases(archive: sqlite3.Connection) -> None:
    names = [
        n
        for (n,) in archive.execute("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') ORDER BY name")
        if not n.startswith(("search_", "sqlite_"))
    ]
    actual = {n: [(row[1], row[2]) for row in archive.execute(f"PRAGMA table_info({n})")] for n in names}
    assert documented() == actual


def test_documented_version_is_the_archives(archive: sqlite3.Connection) -> None:
    assert f"Archive schema **{ARCHIVE_SCHEMA}**" in DOCS.read_text(encoding="utf-8")
    assert dict(archive.execute("SELECT key, value FROM meta")) == {"archive_schema": ARCHIVE_SCHEMA, "contract_schema": "2"}


# --- incremental and consistent ------------------------------------------------------------------------


def logical(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows with ids written as (document file, rest of the id): what ids do not change."""
    db = sqlite3.connect(path)
    files = dict(db.execute("SELECT id, file FROM documents"))

    def key(column: str, value: object, table: str) -> object:
        if not isinstance(value, int) or not (column == "id" or column.endswith("_id")):
            return value
        if column == "document_id" or (table == "documents" and column == "id"):
            return files[value]
        return files[value >> 32], value & 0xFFFFFFFF

    dump = {}
    tables = [n for (n,) in db.execute("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%'")]
    for table in tables:
        if table.startswith("search"):
            continue
        cursor = db.execute(f"SELECT * FROM {table}")
        columns = [c[0] for c in cursor.description]
        dump[table] = sorted(
            (tuple(key(c, v, table) for c, v in zip(columns, row, strict=True)) for row in cursor), key=repr
        )
    hits = db.execute("SELECT rowid, kind FROM search WHERE search MATCH 'secretariat OR wetland OR decision'")
    dump["search"] = sorted(((key("id", r, "search"), k) for r, k in hits), key=repr)
    db.execute("INSERT INTO search (search) VALUES ('integrity-check')")
    db.close()
    return dump


def test_reindexing_after_changes_is_indexing_from_scratch(inputs: Path, tmp_path: Path) -> None:
    folder = tmp_path / "outputs"
    write_corpus(folder)
    (folder / "complete.json").write_text(to_json(complete_document()), encoding="utf-8")
    db = tmp_path / "incremental.sqlite"
    assert index_files([str(folder)], db).indexed == 8
    (folder / "aewa-ramsar-jwp-2019.pdf.json").unlink()
    changed = extracted("UNEP-CMS-StC38-Doc4.txt").model_copy(deep=True)
    changed.plans[0].activities[0].text = "The Secretariats will meet every year."
    changed.plans[0].activities.pop()
    (folder / "UNEP-CMS-StC38-Doc4.txt.json").write_text(to_json(changed), encoding="utf-8")
    (folder / "new").mkdir()
    (folder / "new" / "complete.json").write_text(to_json(complete_document("generated/other.txt")), encoding="utf-8")
    report = index_files([str(folder)], db)
    assert (report.indexed, report.unchanged, report.removed, report.failed) == (2, 6, 1, [])
    scratch = tmp_path / "scratch.sqlite"
    index_files([str(folder)], scratch)
    assert logical(db) == logical(scratch)
    text = sqlite3.connect(db).execute("SELECT text FROM activities WHERE key = 'activity:1.1' AND text LIKE '%every year%'")
    assert text.fetchall() == [("The Secretariats will meet every year.",)]


def test_an_unchanged_file_is_not_parsed_again(inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "a.sqlite"
    index_files([str(inputs)], db)

    def refuse(path: str, data: bytes) -> None:
        raise AssertionError(f"{path} parsed again")

    monkeypatch.setattr(index_module, "parse_document", refuse)
    report = index_files([str(inputs)], db)
    assert report.indexed == 0 and report.unchanged > 0 and report.failed == []


def test_a_document_that_fails_mid_write_leaves_the_database_as_it_was(
    inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "a.sqlite"
    index_files([str(inputs / "aewa-ramsar-jwp-2019.txt.json")], db)
    before = logical(db)
    real_rows = index_module.document_rows

    def broken(*args: Any) -> dict[str, list[tuple[object, ...]]]:
        rows = real_rows(*args)
        rows["warnings"] = [("not", "enough", "columns")]  # written after the other tables: fails late
        return rows

    monkeypatch.setattr(index_module, "document_rows", broken)
    with pytest.raises(ArchiveError, match="table warnings has 6 columns but 3 values"):
        index_files([str(inputs / "UNEP-CMS-StC38-Doc4.txt.json")], db)
    assert logical(db) == before


def _complete_per_document(db: Path, folder: Path) -> None:
    """Each document in the database has all its activities and mentions, none of another's."""
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    con.execute("INSERT INTO search (search) VALUES ('integrity-check')")
    for file, activities, mentions in con.execute(
        "SELECT file, (SELECT count(*) FROM activities a WHERE a.document_id = d.id), "
        "(SELECT count(*) FROM mentions m WHERE m.document_id = d.id) FROM documents d"
    ):
        data = json.loads(Path(file).read_text(encoding="utf-8"))
        assert (activities, mentions) == (count(data, "plans[].activities[]"), count(data, "references[].mentions[]"))
    con.close()


def test_a_killed_run_leaves_whole_documents_and_a_rerun_completes(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    text = to_json(extracted("UNEP-CMS-StC38-Doc4.pdf"))
    for n in range(300):
        (folder / f"{n:03d}.json").write_text(text, encoding="utf-8")
    db = tmp_path / "killed.sqlite"
    run = subprocess.Popen([sys.executable, "-m", "jwpextract", "index", str(folder), "-o", str(db)])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and run.poll() is None:
        if db.exists() and sqlite3.connect(db).execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]:
            time.sleep(0.5)
            break
        time.sleep(0.05)
    run.send_signal(signal.SIGKILL)
    run.wait()
    _complete_per_document(db, folder)
    report = index_files([str(folder)], db)
    assert report.failed == [] and report.indexed + report.unchanged == 300
    _complete_per_document(db, folder)


# --- command line and bad inputs ----------------------------------------------------------------------


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "jwpextract", *args], capture_output=True, text=True, check=False)


def test_a_bad_file_is_one_line_and_the_others_are_indexed(inputs: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.json").write_bytes((inputs / "aewa-ramsar-jwp-2019.txt.json").read_bytes())
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    (folder / "old.json").write_text(json.dumps({"schema_version": "1"}), encoding="utf-8")
    db = tmp_path / "a.sqlite"
    run = cli("index", str(folder), "-o", str(db))
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 3 and "Traceback" not in run.stderr
    assert lines[0].startswith(f"jwpextract: {folder / 'broken.json'}: invalid")
    assert (
        lines[1]
        == f"jwpextract: {folder / 'old.json'}: schema_version 1: extract it again (this jwpextract reads schema_version 2)"
    )
    assert lines[2].startswith("jwpextract: 1 indexed, 0 unchanged, 0 removed, 2 failed in ")
    assert sqlite3.connect(db).execute("SELECT source_path FROM documents").fetchall() == [
        ("corpus/aewa-ramsar-jwp-2019.txt",)
    ]


def test_a_file_that_turns_bad_loses_its_rows(inputs: Path, tmp_path: Path) -> None:
    good = tmp_path / "doc.json"
    good.write_bytes((inputs / "aewa-ramsar-jwp-2019.txt.json").read_bytes())
    db = tmp_path / "a.sqlite"
    index_files([str(good)], db)
    good.write_text("[]", encoding="utf-8")
    report = index_files([str(good)], db)
    assert len(report.failed) == 1
    assert sqlite3.connect(db).execute("SELECT count(*) FROM activities").fetchone() == (0,)


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: p.write_text("not a database, just text" * 100, encoding="utf-8"), "file is not a database"),
        (lambda p: sqlite3.connect(p).execute("CREATE TABLE t (x)"), "not a jwpextract archive"),
    ],
)
def test_a_database_that_is_not_an_archive_is_refused(tmp_path: Path, setup: Any, message: str) -> None:
    db = tmp_path / "other.sqlite"
    setup(db)
    run = cli("index", str(tmp_path), "-o", str(db))
    assert run.returncode == 1 and run.stderr == f"jwpextract: {db}: {message}\n"


def test_an_archive_of_another_schema_is_refused(inputs: Path, tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite"
    index_files([str(inputs / "aewa-ramsar-jwp-2019.txt.json")], db)
    with sqlite3.connect(db) as con:
        con.execute("UPDATE meta SET value = '1.9' WHERE key = 'archive_schema'")
    with pytest.raises(ArchiveError, match=r"archive schema 1\.9: index into a new file .*writes archive schema 2\.1"):
        index_files([str(inputs)], db)


# --- the README's queries --------------------------------------------------------------------------------


def readme_queries() -> dict[str, str]:
    """The README's SQL queries by their comment line (``-- which documents cite decision X/20``)."""
    blocks = re.findall(r"```sql\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)
    return {m.group(1): m.group(2).strip() for b in blocks for m in re.finditer(r"-- ([^\n]+)\n(.*?;)", b, re.DOTALL)}


EXPECTED = {
    "which documents cite decision X/20": lambda rows: (
        {r[0] for r in rows} == {"UNEP/CMS/StC38/Doc.4", "UNEP/CMS/StC44/Doc.17", "UNEP/GEN/1"}
    ),
    "activities led by the CMS Secretariat that run past 2014": lambda rows: (
        {(r[0], r[1]) for r in rows} >= {("UNEP/CMS/StC44/Doc.17", "1.1"), ("UNEP/GEN/1", "1.1")}
        and all(r[2] is not None and int(r[2][:4]) >= 2012 for r in rows)
    ),
    "full-text search: passages about protected areas, best first": lambda rows: (
        len(rows) == 10 and all("protected" in r[2].lower() for r in rows)
    ),
    "activities per year of one plan": lambda rows: rows == [(2015, 23), (2016, 23), (2017, 22)],
}


def test_the_readme_has_the_tested_queries() -> None:
    assert set(readme_queries()) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_readme_query(archive: sqlite3.Connection, name: str) -> None:
    rows = archive.execute(readme_queries()[name]).fetchall()
    assert EXPECTED[name](rows), rows
