"""Apply the numbered migration files that a SQLite database has not seen yet."""

from __future__ import annotations

import re
import sqlite3
from importlib import resources

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def migrations() -> list[tuple[int, str, str]]:
    """(number, file name, SQL) for every migration shipped, in order."""
    found = []
    for entry in resources.files("paperradar.store.sqlite.migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    return found


def _applied(conn: sqlite3.Connection) -> set[int]:
    """The migrations this database has had. Recorded one by one (not as a high-water mark), so a
    migration numbered below one already applied (work merged from a branch) is still applied."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (number INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)"
    )
    done = {row[0] for row in conn.execute("SELECT number FROM schema_migrations")}
    if not done:  # a database from before the table: user_version was the high-water mark
        current = conn.execute("PRAGMA user_version").fetchone()[0]
        legacy = [(number, name) for number, name, _ in migrations() if number <= current]
        conn.executemany("INSERT OR IGNORE INTO schema_migrations (number, name) VALUES (?, ?)", legacy)
        done = {number for number, _ in legacy}
    return done


def apply_migrations(conn: sqlite3.Connection) -> list[str]:
    """Bring the schema up to date; each migration runs in its own transaction. Returns those applied."""
    done = _applied(conn)
    applied = []
    for number, name, sql in migrations():
        if number in done:
            continue
        # executescript would commit on its own; wrap so a failing migration leaves nothing behind.
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("SELECT 1 FROM schema_migrations WHERE number = ?", (number,)).fetchone():
                conn.execute("ROLLBACK")  # another process applied it while this one waited for the lock
                continue
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute("INSERT OR IGNORE INTO schema_migrations (number, name) VALUES (?, ?)", (number, name))
            conn.execute(f"PRAGMA user_version = {max(number, conn.execute('PRAGMA user_version').fetchone()[0]):d}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied


def _statements(script: str) -> list[str]:
    """Split a script into complete statements (trigger bodies contain semicolons)."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--") and not buffer.strip():
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
