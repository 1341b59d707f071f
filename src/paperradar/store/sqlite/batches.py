"""Paper writes a batch at a time for SQLiteStore. SQLite runs in this process, so a statement costs
microseconds and the batch is written row by row; what the batch saves is the candidates' reads."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime

from paperradar.errors import StoreError
from paperradar.models import CitationCount, Paper
from paperradar.store.batches import unique_keys, unique_snapshots
from paperradar.store.rows import COLUMNS, to_values
from paperradar.store.sqlite.dialect import SQLITE

_UPDATE = ", ".join(f"{name.strip()} = ?" for name in COLUMNS.split(",")[1:])


class PaperBatchesMixin:
    """Needs the host's `_conn`, `_local` (its `unindexed` list of the transaction's new rows) and `_index_new`."""

    _conn: Callable[[], sqlite3.Connection]  # SQLiteStore's: this thread's connection
    clock: Callable[[], datetime]  # SQLiteStore's: the UTC time rows are stamped with
    _index_new: Callable[[], None]  # SQLiteStore's: put the transaction's new papers in the keyword index
    _local: object

    def insert_papers(self, papers: Sequence[Paper]) -> None:
        if any(paper.id is None for paper in papers):
            raise ValueError("insert_papers needs public ids")
        conn, now = self._conn(), self.clock().isoformat(timespec="seconds")
        pending = getattr(self._local, "unindexed", None)
        if pending is None or not conn.in_transaction:
            raise StoreError("insert_papers must run inside store.transaction()")
        sql = f"INSERT INTO papers ({COLUMNS}, created_at, updated_at) VALUES ({','.join('?' * 20)})"
        for paper in papers:
            pending.append(conn.execute(sql, (*to_values(paper, SQLITE), now, now)).lastrowid)

    def update_papers(self, papers: Sequence[Paper]) -> None:
        if not papers:
            return
        self._index_new()  # the update trigger removes the old text from the index: it must be there
        now = self.clock().isoformat(timespec="seconds")
        self._conn().executemany(
            f"UPDATE papers SET {_UPDATE}, updated_at = ? WHERE id = ?",
            [(*to_values(p, SQLITE)[1:], now, p.id) for p in papers],
        )

    def add_keys(self, rows: Sequence[tuple[str, str, int | None]]) -> None:
        self._conn().executemany(
            "INSERT INTO identities (key, paper_pk, year) SELECT ?, pk, ? FROM papers WHERE id = ? "
            "ON CONFLICT (key, paper_pk) DO UPDATE SET year = COALESCE(identities.year, excluded.year)",
            [(key, year, paper_id) for paper_id, key, year in unique_keys(rows)],
        )

    def add_citation_snapshots(self, rows: Sequence[tuple[str, CitationCount]]) -> set[int]:
        conn, new = self._conn(), set()
        for position, paper_id, count in unique_snapshots(rows):
            # First read of a day wins: a snapshot is history and is never rewritten.
            cursor = conn.execute(
                "INSERT OR IGNORE INTO citation_snapshots (paper_pk, source, as_of, count, extra) "
                "SELECT pk, ?, ?, ?, '{}' FROM papers WHERE id = ?",
                (count.source or "", count.as_of.isoformat() if count.as_of else "", count.count, paper_id),
            )
            if cursor.rowcount > 0:
                new.add(position)
        return new
