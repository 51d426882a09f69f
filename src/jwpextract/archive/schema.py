"""The archive's SQLite schema (documented in ``docs/archive-schema.md``; a test keeps the two equal).

Row ids. Every row of a document's tables has an id in the document's own range: ``document_id *
2**32 + table code * 2**24 + position in the table`` (:func:`row_id`). The ids are unique across
tables, so the full-text index can name any passage by one integer, and a document's rows are
deleted by one range per table, without an index on ``document_id``.

Versions. :data:`ARCHIVE_SCHEMA` is the contract's ``schema_version`` and the archive's own
revision ("2.1": contract 2, revision 1). A database of another version is refused, not migrated:
it is derived data, indexed again into a new file.
"""

from __future__ import annotations

from ..models import SCHEMA_VERSION

ARCHIVE_REVISION = 1
ARCHIVE_SCHEMA = f"{SCHEMA_VERSION}.{ARCHIVE_REVISION}"
DOCUMENT_SHIFT = 32
TABLE_SHIFT = 24
MAX_POSITION = (1 << TABLE_SHIFT) - 1

# The tables whose rows have an id of the document's range, and their codes (never reused).
TABLE_CODES = {
    "plans": 1,
    "intro_paragraphs": 2,
    "sections": 3,
    "activities": 4,
    "items": 5,
    "decisions": 6,
    "preamble_paragraphs": 7,
    "paragraphs": 8,
    "tables": 9,
    "annexes": 10,
    "refs": 11,
    "entities": 12,
    "links": 13,
    "footnotes": 14,
    "furniture": 15,
    "warnings": 16,
}
# Tables keyed by their parent's id and a position, and the parent's column: deleted by its range.
CHILD_TABLES = {
    "plan_parties": "plan_id",
    "activity_actors": "activity_id",
    "activity_references": "activity_id",
    "item_actors": "item_id",
    "decision_annexes": "decision_id",
    "preamble_references": "preamble_id",
    "paragraph_items": "paragraph_id",
    "paragraph_references": "paragraph_id",
    "table_cells": "table_id",
    "mentions": "ref_id",
    "entity_mentions": "entity_id",
    "footnote_references": "footnote_id",
}


def row_id(document_id: int, table: str, position: int) -> int:
    """The id of the ``position``-th (1-based) row of ``table`` in document ``document_id``."""
    if not 0 < position <= MAX_POSITION:
        raise ValueError(f"more than {MAX_POSITION} rows of {table} in one document")
    return (document_id << DOCUMENT_SHIFT) | (TABLE_CODES[table] << TABLE_SHIFT) | position


def document_range(document_id: int) -> tuple[int, int]:
    """The first and last id a row of document ``document_id`` can have."""
    return document_id << DOCUMENT_SHIFT, ((document_id + 1) << DOCUMENT_SHIFT) - 1


PROVENANCE = (
    "page_first INTEGER, page_last INTEGER, line_first INTEGER, line_last INTEGER, text_start INTEGER, text_end INTEGER"
)
MENTION = (
    "document_id INTEGER NOT NULL, text TEXT NOT NULL, decision TEXT, decision_id INTEGER, preamble INTEGER, "
    "preamble_id INTEGER, paragraph TEXT, paragraph_id INTEGER, plan TEXT, plan_id INTEGER, activity TEXT, "
    "activity_id INTEGER, footnote TEXT, footnote_id INTEGER, intro INTEGER, intro_id INTEGER, "
    "text_start INTEGER NOT NULL, text_end INTEGER NOT NULL, page INTEGER"
)


def _child(name: str, columns: str) -> str:
    parent = CHILD_TABLES[name]
    return (
        f"CREATE TABLE {name} ({parent} INTEGER NOT NULL, position INTEGER NOT NULL, {columns}, "
        f"PRIMARY KEY ({parent}, position)) WITHOUT ROWID;"
    )


TABLES = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE documents (
  id INTEGER PRIMARY KEY, file TEXT NOT NULL UNIQUE, file_sha256 TEXT NOT NULL, schema_version TEXT NOT NULL,
  extractor TEXT NOT NULL, source_path TEXT NOT NULL, source_sha256 TEXT NOT NULL, source_format TEXT NOT NULL,
  source_pages INTEGER NOT NULL, text_sha256 TEXT NOT NULL, encoding TEXT, engine TEXT, kind TEXT, symbol TEXT,
  date TEXT, convention TEXT, meeting TEXT, distribution TEXT, original_language TEXT, title TEXT
);
CREATE TABLE plans (
  id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL, position INTEGER NOT NULL, key TEXT NOT NULL, title TEXT,
  period_start INTEGER, period_end INTEGER, location TEXT
);
{_child("plan_parties", "party TEXT NOT NULL")}
CREATE TABLE intro_paragraphs (
  id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL, plan_id INTEGER NOT NULL, number INTEGER NOT NULL,
  {PROVENANCE}, text TEXT NOT NULL
);
CREATE TABLE sections (
  id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL, plan_id INTEGER NOT NULL, position INTEGER NOT NULL,
  number TEXT NOT NULL, title TEXT NOT NULL, {PROVENANCE}
);
CREATE TABLE activities (
  id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL, plan_id INTEGER NOT NULL, position INTEGER NOT NULL,
  key TEXT NOT NULL, number TEXT NOT NULL, section TEXT, timeframe_start INTEGER, timeframe_end INTEGER,
  timeframe_basis TEXT, timeframe_text TEXT, theme TEXT, lead TEXT, {PROVENANCE}, text TEXT NOT NULL,
  full_text TEXT NOT NULL
);
{_child("activity_actors", "actor TEXT NOT NULL")}
{_child("activity_references", "reference TEXT NOT NULL")}
CREATE TABLE items (
  id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL, activity_id INTEGER NOT NULL, position INTEGER NOT NULL,
  label TEXT NOT NULL, {PROVENANCE}, text TEXT NOT NULL
);
{_child("item_actors", "actor TEXT NOT NULL")}
CREATE TABLE decisions (
  id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL, position INTEGER NOT NULL, key TEXT NOT NULL, number TEXT,
  kind TEXT NOT NULL, status TEXT NOT NULL, title TEXT, annex TEXT, adoption TEXT, {PROVENANCE}
);
{_child("decision_annexes", "label TEXT NOT NULL")}
CREATE TABLE preamble_paragraphs (
  id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL, decision_id INTEGER NOT NULL, position INTEGER NOT NULL,
  {PROVENANCE}, text TEXT NOT NULL
);
{_child("preamble_references", "reference TEXT NOT NULL")}
CREATE TABLE paragraphs (
  id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL, decision_id INTEGER, position INTEGER NOT NULL,
  number TEXT NOT NULL, heading TEXT, {PROVENANCE}, text TEXT NOT NULL, full_text TEXT NOT NULL
);
{_child("paragraph_items", "label TEXT NOT NULL, text TEXT NOT NULL")}
{_child("paragraph_references", "reference TEXT NOT NULL")}
CREATE TABLE tables (
  id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL, position INTEGER NOT NULL, key TEXT NOT NULL, caption TEXT,
  location TEXT, {PROVENANCE}
);
CREATE TABLE table_cells (
  table_id INTEGER NOT NULL, row INTEGER NOT NULL, position INTEGER NOT NULL, text TEXT NOT NULL,
  PRIMARY KEY (table_id, row, position)
) WITHOUT ROWID;
CREATE TABLE annexes (
  id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL, position INTEGER NOT NULL, label TEXT NOT NULL, title TEXT,
  decision TEXT, decision_id INTEGER, page_first INTEGER, page_last INTEGER
);
CREATE TABLE refs (
  id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL, position INTEGER NOT NULL, key TEXT NOT NULL,
  kind TEXT NOT NULL, convention TEXT, body TEXT, session INTEGER, number TEXT, status TEXT, revision TEXT,
  label TEXT NOT NULL
);
{_child("mentions", MENTION)}
CREATE TABLE entities (
  id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL, position INTEGER NOT NULL, key TEXT NOT NULL,
  name TEXT NOT NULL
);
{_child("entity_mentions", MENTION)}
CREATE TABLE links (
  id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL, position INTEGER NOT NULL, source TEXT NOT NULL,
  target TEXT NOT NULL, similarity REAL NOT NULL
);
CREATE TABLE footnotes (
  id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL, position INTEGER NOT NULL, number TEXT NOT NULL,
  page INTEGER NOT NULL, {PROVENANCE}, text TEXT NOT NULL
);
{_child("footnote_references", "reference TEXT NOT NULL")}
CREATE TABLE furniture (
  id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL, position INTEGER NOT NULL, kind TEXT NOT NULL,
  text TEXT NOT NULL, page INTEGER NOT NULL
);
CREATE TABLE warnings (
  id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL, position INTEGER NOT NULL, code TEXT NOT NULL,
  message TEXT NOT NULL, location TEXT
);
"""

INDEXES = """
CREATE INDEX documents_symbol ON documents (symbol);
CREATE INDEX plans_document ON plans (document_id);
CREATE INDEX sections_plan ON sections (plan_id);
CREATE INDEX intro_paragraphs_plan ON intro_paragraphs (plan_id);
CREATE INDEX activities_document ON activities (document_id);
CREATE INDEX activities_plan ON activities (plan_id);
CREATE INDEX activity_actors_actor ON activity_actors (actor);
CREATE INDEX items_activity ON items (activity_id);
CREATE INDEX decisions_document ON decisions (document_id);
CREATE INDEX preamble_paragraphs_decision ON preamble_paragraphs (decision_id);
CREATE INDEX paragraphs_document ON paragraphs (document_id);
CREATE INDEX paragraphs_decision ON paragraphs (decision_id);
CREATE INDEX tables_document ON tables (document_id);
CREATE INDEX refs_key ON refs (key);
CREATE INDEX refs_document ON refs (document_id);
CREATE INDEX footnotes_document ON footnotes (document_id);
"""

# The text the full-text index covers: one passage per activity (its full text), numbered paragraph
# (with its items), preambular paragraph, plan introduction paragraph, decision title and footnote.
VIEWS = """
CREATE VIEW passages (id, document_id, kind, text) AS
  SELECT id, document_id, 'activity', full_text FROM activities
  UNION ALL SELECT id, document_id, 'paragraph', full_text FROM paragraphs
  UNION ALL SELECT id, document_id, 'preamble', text FROM preamble_paragraphs
  UNION ALL SELECT id, document_id, 'intro', text FROM intro_paragraphs
  UNION ALL SELECT id, document_id, 'decision', title FROM decisions WHERE title IS NOT NULL
  UNION ALL SELECT id, document_id, 'footnote', text FROM footnotes;
CREATE VIRTUAL TABLE search USING fts5 (
  text, kind UNINDEXED, document_id UNINDEXED, content = 'passages', content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO search (search, rank) VALUES ('automerge', 16);
CREATE VIEW citations AS
  SELECT r.document_id, d.symbol, d.file, r.key AS reference, r.kind, r.convention, r.session, r.number, r.label,
    m.text, m.decision, m.preamble, m.paragraph, m.plan, m.activity, m.footnote, m.intro, m.page, m.text_start,
    m.text_end, m.decision_id, m.paragraph_id, m.activity_id
  FROM refs r JOIN mentions m ON m.ref_id = r.id JOIN documents d ON d.id = r.document_id;
CREATE TABLE years (year INTEGER PRIMARY KEY);
WITH RECURSIVE y(year) AS (SELECT 1900 UNION ALL SELECT year + 1 FROM y WHERE year < 2200)
  INSERT INTO years SELECT year FROM y;
CREATE VIEW activity_years AS
  SELECT a.id AS activity_id, a.document_id, a.plan_id, a.number, y.year
  FROM activities a JOIN years y
    ON y.year BETWEEN coalesce(a.timeframe_start, a.timeframe_end) AND coalesce(a.timeframe_end, a.timeframe_start);
"""

DDL = TABLES + INDEXES + VIEWS
