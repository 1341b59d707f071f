"""The PostgreSQL side of live sources: signals, citation snapshots with details, and sync state.

A mixin of PostgresStore; it runs on the store's connection and joins whatever transaction is open.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from psycopg.types.json import Jsonb

from paperradar.models import CitationCount, Paper
from paperradar.models.signal import CitationSnapshot, Signal
from paperradar.store.base import SyncState
from paperradar.store.postgres.dialect import POSTGRES
from paperradar.store.rows import PREFIXED, to_paper


class LiveSourcesMixin:
    """Signals, snapshots and sync state; needs the host's `_rows` and `_run`."""

    _rows: Callable[..., list[tuple]]  # PostgresStore's: run a query, return its rows

    _run: Callable[..., int]  # PostgresStore's: run a statement, return the rows it touched
    clock: Callable[[], datetime]  # PostgresStore's: the UTC time rows are stamped with

    def add_citation_snapshot(self, paper_id: str, count: CitationCount, extra: dict[str, Any] | None = None) -> bool:
        # First read of a day wins: a snapshot is history and is never rewritten.
        return (
            self._run(
                "INSERT INTO citation_snapshots (paper_pk, source, as_of, count, extra) "
                "SELECT pk, %s, %s, %s, %s FROM papers WHERE id = %s ON CONFLICT DO NOTHING",
                (count.source or "", count.as_of, count.count, Jsonb(extra or {}), paper_id),
            )
            > 0
        )

    def set_citations(self, paper_id: str, count: CitationCount) -> bool:
        return (
            self._run(
                "UPDATE papers SET citations = %s, citations_source = %s, citations_date = %s, updated_at = %s "
                "WHERE id = %s AND (citations, citations_source, citations_date) "
                "IS DISTINCT FROM (%s::integer, %s::text, %s::date)",
                (
                    count.count,
                    count.source,
                    count.as_of,
                    self.clock(),
                    paper_id,
                    *(count.count, count.source, count.as_of),
                ),
            )
            > 0
        )

    def citation_snapshots(self, paper_id: str) -> list[CitationSnapshot]:
        rows = self._rows(
            "SELECT s.count, s.source, s.as_of, s.extra FROM citation_snapshots s "
            "JOIN papers p ON p.pk = s.paper_pk WHERE p.id = %s ORDER BY s.as_of NULLS FIRST, s.source",
            (paper_id,),
        )
        return [CitationSnapshot(CitationCount(c, s or None, d), x) for c, s, d, x in rows]

    def citation_targets(self, source: str, read_before: date, limit: int) -> list[Paper]:
        rows = self._rows(
            f"SELECT {PREFIXED} FROM papers p "
            "WHERE (p.arxiv_id IS NOT NULL OR p.doi IS NOT NULL) AND NOT EXISTS ("
            "  SELECT 1 FROM citation_snapshots s WHERE s.paper_pk = p.pk AND s.source = %s AND s.as_of >= %s"
            ") ORDER BY p.pk LIMIT %s",
            (source, read_before, limit),
        )
        return [to_paper(row, POSTGRES) for row in rows]

    def add_signal(self, paper_id: str, signal: Signal) -> bool:
        values = (signal.source, signal.kind, signal.as_of, signal.value, signal.url, Jsonb(signal.extra or {}))
        return (
            self._run(
                "INSERT INTO signals (paper_pk, source, kind, as_of, value, url, extra) "
                "SELECT pk, %s, %s, %s, %s, %s, %s FROM papers WHERE id = %s "
                "ON CONFLICT (paper_pk, source, kind, as_of) DO UPDATE SET "
                "value = excluded.value, url = excluded.url, extra = excluded.extra "
                "WHERE (signals.value, signals.url, signals.extra) IS DISTINCT FROM "
                "(excluded.value, excluded.url, excluded.extra)",
                (*values, paper_id),
            )
            > 0
        )

    def signals(self, paper_id: str) -> list[Signal]:
        rows = self._rows(
            "SELECT s.source, s.kind, s.value, s.as_of, s.url, s.extra FROM signals s "
            "JOIN papers p ON p.pk = s.paper_pk WHERE p.id = %s ORDER BY s.as_of, s.source, s.kind",
            (paper_id,),
        )
        return [Signal(src, kind, value, day, url, extra) for src, kind, value, day, url, extra in rows]

    def sync_state(self, name: str) -> SyncState | None:
        rows = self._rows("SELECT last_datestamp, resumption_token, cursor FROM sync_state WHERE name = %s", (name,))
        if not rows:
            return None
        day, token, cursor = rows[0]
        return SyncState(name, day, token, cursor)

    def save_sync_state(self, state: SyncState) -> None:
        self._run(
            "INSERT INTO sync_state (name, last_datestamp, resumption_token, cursor, updated_at) "
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (name) DO UPDATE SET "
            "last_datestamp = excluded.last_datestamp, resumption_token = excluded.resumption_token, "
            "cursor = excluded.cursor, updated_at = excluded.updated_at",
            (state.name, state.last_datestamp, state.resumption_token, Jsonb(state.cursor), self.clock()),
        )
