"""Storage: every byte of SQL lives below this package. `open_store` picks the backend from a URL."""

from __future__ import annotations

from pathlib import Path

from paperradar.errors import ConfigError
from paperradar.store.base import Ranking, Stats, Store


def open_store(url: str, index_home: Path | None = None) -> Store:
    """Open (creating and migrating as needed) the store a database URL names. A PostgreSQL store
    keeps its keyword index under `index_home` (in memory without one); SQLite's lies beside the file."""
    if url.startswith("sqlite:///"):
        from paperradar.store.sqlite import SQLiteStore

        return SQLiteStore(url.removeprefix("sqlite:///"))
    if url == "sqlite://" or url == "sqlite:///:memory:":
        from paperradar.store.sqlite import SQLiteStore

        return SQLiteStore(":memory:")
    if url.startswith(("postgresql://", "postgres://")):
        from paperradar.store.postgres import PostgresStore

        return PostgresStore(url, index_home)
    scheme = url.split(":", 1)[0] if ":" in url else url
    raise ConfigError(
        f"PAPERRADAR_DATABASE_URL: unsupported database URL scheme {scheme!r}",
        hint="use sqlite:///path/to/paperradar.db or postgresql://user@host/dbname",
    )


def migrate(url: str) -> list[str]:
    """Bring the named database's schema up to date; returns the migrations applied now (none if current)."""
    if url.startswith(("postgresql://", "postgres://")):
        import psycopg

        from paperradar.errors import StoreError
        from paperradar.store.postgres.migrate import apply_migrations as apply_postgres

        try:
            with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
                return apply_postgres(conn)
        except psycopg.OperationalError as exc:
            raise StoreError(f"cannot reach the database ({exc})".strip()) from exc
    applied: list[str] = []
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        import sqlite3

        from paperradar.errors import StoreError
        from paperradar.store.sqlite.migrate import apply_migrations as apply_sqlite

        path = Path(url.removeprefix("sqlite:///")).expanduser()
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, isolation_level=None)
        try:
            applied = apply_sqlite(db)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: cannot open the database ({exc})") from exc
        finally:
            db.close()
    open_store(url).close()  # the rest of opening (and the URL check for any other scheme)
    return applied


__all__ = ["Ranking", "Stats", "Store", "migrate", "open_store"]
