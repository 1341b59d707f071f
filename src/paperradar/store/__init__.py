"""Storage: every byte of SQL lives below this package. `open_store` picks the backend from a URL."""

from __future__ import annotations

from paperradar.errors import ConfigError
from paperradar.store.base import Ranking, Stats, Store


def open_store(url: str) -> Store:
    """Open (creating and migrating as needed) the store a database URL names."""
    if url.startswith("sqlite:///"):
        from paperradar.store.sqlite import SQLiteStore

        return SQLiteStore(url.removeprefix("sqlite:///"))
    if url == "sqlite://" or url == "sqlite:///:memory:":
        from paperradar.store.sqlite import SQLiteStore

        return SQLiteStore(":memory:")
    if url.startswith(("postgresql://", "postgres://")):
        from paperradar.store.postgres import PostgresStore

        return PostgresStore(url)
    scheme = url.split(":", 1)[0] if ":" in url else url
    raise ConfigError(
        f"PAPERRADAR_DATABASE_URL: unsupported database URL scheme {scheme!r}",
        hint="use sqlite:///path/to/paperradar.db or postgresql://user@host/dbname",
    )


__all__ = ["Ranking", "Stats", "Store", "open_store"]
