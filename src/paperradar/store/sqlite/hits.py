"""Rate-limit hits of a SQLite site served by several processes, in a small database of their own.

A hit is a write, and SQLite has one write lock per file: kept beside the papers, counting a login would
wait for an import's batch. In their own file (`<database>-limits`) hits take their own lock, held for
one short statement, so a login never waits for anything but another login.
"""

from __future__ import annotations

import sqlite3
import threading

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS rate_hits (key TEXT NOT NULL, at REAL NOT NULL)",  # at: seconds since the epoch
    "CREATE INDEX IF NOT EXISTS rate_hits_key_at ON rate_hits (key, at)",
)


class HitCounter:
    """`take(key, most, seconds, now)`: count one hit of `key` unless it has `most` in the window
    (now - seconds, now]; old hits of a key are pruned when it is counted again."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=5)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            for statement in _SCHEMA:
                conn.execute(statement)
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def take(self, key: str, most: int, seconds: float, now: float) -> bool:
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")  # count and insert as one: two workers cannot both take the last hit
        try:
            conn.execute("DELETE FROM rate_hits WHERE key = ? AND at <= ?", (key, now - seconds))
            taken = conn.execute(
                "INSERT INTO rate_hits (key, at) SELECT ?, ? WHERE (SELECT count(*) FROM rate_hits WHERE key = ?) < ?",
                (key, now, key, most),
            ).rowcount
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return taken > 0

    def close(self) -> None:
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()
