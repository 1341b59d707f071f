"""The SQLite backend: one database file in WAL mode, FTS5 for keywords."""

from paperradar.store.sqlite.store import SQLiteStore

__all__ = ["SQLiteStore"]
