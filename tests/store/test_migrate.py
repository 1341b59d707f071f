"""`paperradar migrate`: creates the schema of an empty database of either backend, then finds it current."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from paperradar.store.postgres.migrate import migrations as postgres_migrations
from paperradar.store.sqlite.migrate import migrations as sqlite_migrations


def _migrate(url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PAPERRADAR_DATABASE_URL"}
    done = subprocess.run(
        [sys.executable, "-m", "paperradar", "--database", url, "migrate", "--json"],
        capture_output=True, text=True, env=env, timeout=120, check=True,
    )  # fmt: skip
    return json.loads(done.stdout)


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_migrate_applies_every_migration_once(backend, tmp_path, request):
    if backend == "sqlite":
        url, expected = f"sqlite:///{tmp_path / 'new' / 'm.db'}", sqlite_migrations()
    else:
        url, expected = request.getfixturevalue("new_postgres_database")("migrate"), postgres_migrations()
    assert _migrate(url) == {"applied": [name for _, name, _ in expected]}
    assert _migrate(url) == {"applied": []}


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_a_migration_numbered_below_one_applied_still_runs(backend, tmp_path, request):
    """Branches merge: a database may have 0099 before it sees 0006 (SQLite) or 0003 (PostgreSQL)."""
    if backend == "sqlite":
        import sqlite3

        url = f"sqlite:///{tmp_path / 'm.db'}"
        _migrate(url)
        with sqlite3.connect(tmp_path / "m.db") as conn:
            conn.executescript(
                "DROP TABLE deliveries; DROP TABLE subscribers; DELETE FROM schema_migrations WHERE number = 6; "
                "INSERT INTO schema_migrations (number, name) VALUES (99, 'later');"
            )
        assert _migrate(url) == {"applied": ["0006_digest.sql"]}
        return
    import psycopg

    url = request.getfixturevalue("new_postgres_database")("gap")
    _migrate(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE deliveries, subscribers")
        conn.execute("DELETE FROM paperradar_migrations WHERE number = 3")
        conn.execute("INSERT INTO paperradar_migrations (number, name) VALUES (99, 'later')")
    assert _migrate(url) == {"applied": ["0003_digest.sql"]}


def test_postgres_applies_a_migration_numbered_below_one_already_applied(new_postgres_database):
    import psycopg

    from paperradar.store.postgres.migrate import apply_migrations

    url = new_postgres_database("gap")
    with psycopg.connect(url, autocommit=True) as conn:
        apply_migrations(conn)
        # As if a branch's later migration ran before 0002 was merged: 0002 is not recorded, its tables absent.
        conn.execute("DROP TABLE users, shelf, shelf_tags, votes, dismissals, saved_searches, user_models, "
                     "rate_limits CASCADE")  # fmt: skip
        conn.execute("DELETE FROM paperradar_migrations WHERE number = 2")
        assert apply_migrations(conn) == ["0002_accounts.sql"]
        assert apply_migrations(conn) == []
