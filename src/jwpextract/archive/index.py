"""``jwpextract index``: extracted documents into one SQLite database, incrementally.

Inputs are canonical JSON files and folders of them (searched recursively; names starting with
``.``, such as the extract manifest, are skipped), read one at a time in path order, so memory does
not grow with their number.

Each document is indexed in one transaction: its old rows are deleted and its new rows written, or
nothing is. An interrupted run therefore leaves every document either as it was or as it is now.
A document whose file has the same sha256 as when it was indexed is not read again; any other
change (another source, whose sha256 the file records, another extractor version, other rules)
changes the file and re-indexes it. After the inputs, documents whose file is gone are removed,
and so are those whose file can no longer be read as a canonical document (each named in a
one-line error).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..errors import SourceError
from ..loading import parse_document
from ..models import SCHEMA_VERSION
from .rows import Row, document_rows
from .schema import ARCHIVE_SCHEMA, CHILD_TABLES, DDL, TABLE_CODES, document_range

JSON_SUFFIX = ".json"
CACHE_KIB = 32 * 1024  # page cache: bounded, whatever the number of documents
CHECKPOINT_PAGES = 16384  # WAL pages (64 MiB) between checkpoints into the database


class ArchiveError(Exception):
    """The database cannot be opened or written. ``str()`` is the one-line reason."""


@dataclass
class IndexReport:
    indexed: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: list[str] = field(default_factory=list)


def _json_files(folder: Path) -> Iterator[Path]:
    """The JSON files below ``folder``, in path order, hidden files and folders skipped."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.lower().endswith(JSON_SUFFIX) and not name.startswith("."):
                yield Path(root) / name


def input_files(inputs: Iterable[str]) -> Iterator[Path]:
    """Each input file as given, each folder's JSON files; a missing input is yielded to fail when read."""
    for given in inputs:
        path = Path(given)
        yield from _json_files(path) if path.is_dir() else [path]


class Archive:
    """An open archive database (created with the current schema when new or empty)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.db = sqlite3.connect(path, isolation_level=None)
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.db.execute(f"PRAGMA cache_size = {-CACHE_KIB}")
            self.db.execute(f"PRAGMA wal_autocheckpoint = {CHECKPOINT_PAGES}")
            self._check_schema()
        except sqlite3.Error as exc:
            raise ArchiveError(f"{path}: {exc}") from None

    def _check_schema(self) -> None:
        tables = {name for (name,) in self.db.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
        if not tables:
            self.db.executescript("BEGIN;" + DDL)
            meta = [("archive_schema", ARCHIVE_SCHEMA), ("contract_schema", SCHEMA_VERSION)]
            self.db.executemany("INSERT INTO meta VALUES (?, ?)", meta)
            self.db.execute("COMMIT")
            return
        if "meta" not in tables or "documents" not in tables:
            raise ArchiveError(f"{self.path}: not a jwpextract archive")
        found = self.db.execute("SELECT value FROM meta WHERE key = 'archive_schema'").fetchone()
        if found is None or found[0] != ARCHIVE_SCHEMA:
            version = found[0] if found else "unknown"
            raise ArchiveError(
                f"{self.path}: archive schema {version}: index into a new file "
                f"(this jwpextract {__version__} writes archive schema {ARCHIVE_SCHEMA})"
            )

    def close(self) -> None:
        self.db.execute("PRAGMA optimize")
        self.db.close()

    def _delete(self, document_id: int) -> None:
        low, high = document_range(document_id)
        self.db.execute(
            "INSERT INTO search (search, rowid, text, kind, document_id) "
            "SELECT 'delete', id, text, kind, document_id FROM passages WHERE id BETWEEN ? AND ?",
            (low, high),
        )
        for table in TABLE_CODES:
            self.db.execute(f"DELETE FROM {table} WHERE id BETWEEN ? AND ?", (low, high))
        for table, parent in CHILD_TABLES.items():
            self.db.execute(f"DELETE FROM {table} WHERE {parent} BETWEEN ? AND ?", (low, high))
        self.db.execute("DELETE FROM documents WHERE id = ?", (document_id,))

    def _write(self, document_id: int, rows: dict[str, list[Row]], replace: bool) -> None:
        """One transaction: the document's old rows out (when ``replace``), its new rows in."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            if replace:
                self._delete(document_id)
            for table, values in rows.items():
                if values:
                    marks = ", ".join("?" * len(values[0]))
                    self.db.executemany(f"INSERT INTO {table} VALUES ({marks})", values)
            low, high = document_range(document_id)
            self.db.execute(
                "INSERT INTO search (rowid, text, kind, document_id) "
                "SELECT id, text, kind, document_id FROM passages WHERE id BETWEEN ? AND ?",
                (low, high),
            )
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def remove(self, document_id: int) -> None:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self._delete(document_id)
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def index_file(self, path: Path, report: IndexReport) -> None:
        """Index one file (or find it unchanged); a file that cannot be read fails and loses its rows."""
        file = str(path.resolve())
        known = self.db.execute("SELECT id, file_sha256 FROM documents WHERE file = ?", (file,)).fetchone()
        try:
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise SourceError(str(path), f"cannot read: {exc.strerror or exc}") from None
            digest = hashlib.sha256(data).hexdigest()
            if known is not None and known[1] == digest:
                report.unchanged += 1
                return
            doc = parse_document(str(path), data)
            document_id = (
                known[0] if known else self.db.execute("SELECT coalesce(max(id), 0) + 1 FROM documents").fetchone()[0]
            )
            try:
                rows = document_rows(document_id, file, digest, doc)
            except ValueError as exc:
                raise SourceError(str(path), str(exc)) from None
        except SourceError as exc:
            report.failed.append(str(exc))
            if known is not None:
                self.remove(known[0])
            return
        self._write(document_id, rows, replace=known is not None)
        report.indexed += 1

    def remove_gone(self, report: IndexReport) -> None:
        """Remove the documents whose file no longer exists."""
        gone = [doc_id for doc_id, file in self.db.execute("SELECT id, file FROM documents") if not os.path.isfile(file)]
        for doc_id in gone:
            self.remove(doc_id)
        report.removed += len(gone)


def index_files(inputs: Iterable[str], database: Path) -> IndexReport:
    """Index the canonical JSON files of ``inputs`` into ``database`` (see the module docstring)."""
    report = IndexReport()
    archive = Archive(database)
    try:
        for path in input_files(inputs):
            archive.index_file(path, report)
        archive.remove_gone(report)
    except sqlite3.Error as exc:
        raise ArchiveError(f"{database}: {exc}") from None
    finally:
        archive.close()
    return report
