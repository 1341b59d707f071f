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


def apply_migrations(conn: sqlite3.Connection) -> list[str]:
    """Bring the schema up to date; each migration runs in its own transaction. Returns those applied."""
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    applied = []
    for number, name, sql in migrations():
        if number <= current:
            continue
        # executescript would commit on its own; wrap so a failing migration leaves nothing behind.
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number:d}")
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
