"""Apply the numbered migration files that a PostgreSQL database has not seen yet."""

from __future__ import annotations

import re
from importlib import resources

import psycopg

from paperradar.errors import StoreError

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
# Any constant shared by every paperradar process: migrations from two processes run one after the other.
_LOCK_KEY = 0x7061706572  # "paper"


def migrations() -> list[tuple[int, str, str]]:
    """(number, file name, SQL) for every migration shipped, in order."""
    found = []
    for entry in resources.files("paperradar.store.postgres.migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    return found


def missing(conn: psycopg.Connection) -> list[str]:
    """The shipped migrations this database has not recorded (all of them on a new database)."""
    row = conn.execute("SELECT to_regclass('paperradar_migrations') IS NOT NULL").fetchone()
    applied = set()
    if row and row[0]:
        applied = {number for (number,) in conn.execute("SELECT number FROM paperradar_migrations").fetchall()}
    return [name for number, name, _ in migrations() if number not in applied]


def read_only(conn: psycopg.Connection) -> bool:
    """Whether this connection cannot write: a hot-standby replica, or a read-only role or URL."""
    row = conn.execute("SELECT pg_is_in_recovery() OR current_setting('transaction_read_only') = 'on'").fetchone()
    return bool(row and row[0])


def apply_migrations(conn: psycopg.Connection) -> list[str]:
    """Bring the schema up to date, each migration in its own transaction; returns those applied.
    On a read-only connection (a replica) it only checks that the schema is current."""
    if read_only(conn):
        behind = missing(conn)
        if behind:
            raise StoreError(
                f"the database is read-only and lacks migrations {', '.join(behind)}",
                hint="run `paperradar migrate` against the primary",
            )
        return []
    applied = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS paperradar_migrations ("
            " number integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
        )
    for number, name, sql in migrations():
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
            # Recorded one by one, not as a high-water mark (as in SQLite): a migration numbered below one
            # already applied (work merged from another branch, say accounts' 0002 after the digest's 0003)
            # still runs.
            if conn.execute("SELECT 1 FROM paperradar_migrations WHERE number = %s", (number,)).fetchone():
                continue  # applied already, perhaps by another process while this one waited
            # A file is a script of many statements: sent as one simple query (no parameters in it).
            conn.execute(sql.encode())
            conn.execute("INSERT INTO paperradar_migrations (number, name) VALUES (%s, %s)", (number, name))
        applied.append(name)
    return applied
