"""The SQLite side of live sources: signals, citation snapshots with details, and sync state.

A mixin of SQLiteStore, kept apart so the core store stays about papers; it uses the store's
per-thread connection and joins whatever transaction is open.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from paperradar.models import CitationCount, Paper
from paperradar.models.signal import CitationSnapshot, Signal
from paperradar.store.base import SyncState
from paperradar.store.rows import PREFIXED, to_paper
from paperradar.store.sqlite.dialect import SQLITE


def _json(data: dict[str, Any] | None) -> str:
    return json.dumps(data or {}, ensure_ascii=False, sort_keys=True)


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


class LiveSourcesMixin:
    """Signals, snapshots and sync state; needs the host class's `_conn()`."""

    _conn: Callable[[], sqlite3.Connection]  # SQLiteStore's: this thread's connection
    clock: Callable[[], datetime]  # SQLiteStore's: the UTC time rows are stamped with

    def add_citation_snapshot(self, paper_id: str, count: CitationCount, extra: dict[str, Any] | None = None) -> bool:
        # First read of a day wins: a snapshot is history and is never rewritten.
        cursor = self._conn().execute(
            "INSERT OR IGNORE INTO citation_snapshots (paper_pk, source, as_of, count, extra) "
            "SELECT pk, ?, ?, ?, ? FROM papers WHERE id = ?",
            (count.source or "", count.as_of.isoformat() if count.as_of else "", count.count, _json(extra), paper_id),
        )
        return cursor.rowcount > 0

    def set_citations(self, paper_id: str, count: CitationCount) -> bool:
        cursor = self._conn().execute(
            "UPDATE papers SET citations = ?, citations_source = ?, citations_date = ?, updated_at = ? "
            "WHERE id = ? AND (citations, citations_source, citations_date) IS NOT (?, ?, ?)",
            (
                count.count,
                count.source,
                count.as_of.isoformat() if count.as_of else None,
                self.clock().isoformat(timespec="seconds"),
                paper_id,
                count.count,
                count.source,
                count.as_of.isoformat() if count.as_of else None,
            ),
        )
        return cursor.rowcount > 0

    def citation_snapshots(self, paper_id: str) -> list[CitationSnapshot]:
        rows = self._conn().execute(
            "SELECT s.count, s.source, s.as_of, s.extra FROM citation_snapshots s "
            "JOIN papers p ON p.pk = s.paper_pk WHERE p.id = ? ORDER BY s.as_of, s.source",
            (paper_id,),
        )
        return [CitationSnapshot(CitationCount(c, s or None, _day(d)), json.loads(x)) for c, s, d, x in rows]

    def citation_targets(self, source: str, read_before: date, limit: int) -> list[Paper]:
        rows = self._conn().execute(
            f"SELECT {PREFIXED} FROM papers p "
            "WHERE (p.arxiv_id IS NOT NULL OR p.doi IS NOT NULL) AND NOT EXISTS ("
            "  SELECT 1 FROM citation_snapshots s WHERE s.paper_pk = p.pk AND s.source = ? AND s.as_of >= ?"
            ") ORDER BY p.pk LIMIT ?",
            (source, read_before.isoformat(), limit),
        )
        return [to_paper(row, SQLITE) for row in rows]

    def add_signal(self, paper_id: str, signal: Signal) -> bool:
        extra = _json(signal.extra)
        cursor = self._conn().execute(
            "INSERT INTO signals (paper_pk, source, kind, as_of, value, url, extra) "
            "SELECT pk, ?, ?, ?, ?, ?, ? FROM papers WHERE id = ? "
            "ON CONFLICT (paper_pk, source, kind, as_of) DO UPDATE SET "
            "value = excluded.value, url = excluded.url, extra = excluded.extra "
            "WHERE (value, url, extra) IS NOT (excluded.value, excluded.url, excluded.extra)",
            (signal.source, signal.kind, signal.as_of.isoformat(), signal.value, signal.url, extra, paper_id),
        )
        return cursor.rowcount > 0

    def signals(self, paper_id: str) -> list[Signal]:
        rows = self._conn().execute(
            "SELECT s.source, s.kind, s.value, s.as_of, s.url, s.extra FROM signals s "
            "JOIN papers p ON p.pk = s.paper_pk WHERE p.id = ? ORDER BY s.as_of, s.source, s.kind",
            (paper_id,),
        )
        return [
            Signal(src, kind, value, date.fromisoformat(d), url, json.loads(x)) for src, kind, value, d, url, x in rows
        ]

    def sync_state(self, name: str) -> SyncState | None:
        row = (
            self._conn()
            .execute("SELECT last_datestamp, resumption_token, cursor FROM sync_state WHERE name = ?", (name,))
            .fetchone()
        )
        if row is None:
            return None
        return SyncState(name, _day(row[0]), row[1], json.loads(row[2]))

    def save_sync_state(self, state: SyncState) -> None:
        self._conn().execute(
            "INSERT INTO sync_state (name, last_datestamp, resumption_token, cursor, updated_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET last_datestamp = excluded.last_datestamp, "
            "resumption_token = excluded.resumption_token, cursor = excluded.cursor, updated_at = excluded.updated_at",
            (
                state.name,
                state.last_datestamp.isoformat() if state.last_datestamp else None,
                state.resumption_token,
                _json(state.cursor),
                self.clock().isoformat(timespec="seconds"),
            ),
        )
