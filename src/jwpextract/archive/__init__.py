"""The archive: many extracted documents in one SQLite database (``jwpextract index``)."""

from __future__ import annotations

from .index import ArchiveError, IndexReport, index_files
from .schema import ARCHIVE_SCHEMA

__all__ = ["ARCHIVE_SCHEMA", "ArchiveError", "IndexReport", "index_files"]
