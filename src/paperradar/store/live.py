"""Live sources' rows for both backends: signals, citation snapshots with their details, sync state.

A mixin of SQLiteStore and PostgresStore, written once in the host's `dialect`; it runs on the
store's connection and joins whatever transaction is open.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from paperradar.models import CitationCount, Paper
from paperradar.models.signal import CitationSnapshot, Signal
from paperradar.store.base import SyncState
from paperradar.store.dialect import Dialect, required
from paperradar.store.rows import PREFIXED, to_paper


class LiveSourcesMixin:
    """Signals, snapshots and sync state; needs the host's `_sql`, `_sql_run`, `dialect` and `clock`."""

    dialect: Dialect
    _sql: Callable[[str, Sequence[object]], list[tuple]]
    _sql_run: Callable[[str, Sequence[object]], int]
    clock: Callable[[], datetime]  # the UTC time rows are stamped with

    def add_citation_snapshot(self, paper_id: str, count: CitationCount, extra: dict[str, Any] | None = None) -> bool:
        # First read of a day wins: a snapshot is history and is never rewritten.
        d, m = self.dialect, self.dialect.mark
        day = d.day(count.as_of) if count.as_of else d.unknown_day
        return self._sql_run(
            "INSERT INTO citation_snapshots (paper_pk, source, as_of, count, extra) "
            f"SELECT pk, {m}, {m}, {m}, {m} FROM papers WHERE id = {m} ON CONFLICT DO NOTHING",
            (count.source or "", day, count.count, d.json(extra), paper_id),
        ) > 0  # fmt: skip

    def set_citations(self, paper_id: str, count: CitationCount) -> bool:
        d, m = self.dialect, self.dialect.mark
        return self._sql_run(
            f"UPDATE papers SET citations = {m}, citations_source = {m}, citations_date = {m}, updated_at = {m} "
            f"WHERE id = {m} AND (citations {d.differs} {m} OR citations_source {d.differs} {m} "
            f"OR citations_date {d.differs} {m})",
            (count.count, count.source, d.day(count.as_of), d.stamp(self.clock()), paper_id,
             count.count, count.source, d.day(count.as_of)),
        ) > 0  # fmt: skip

    def citation_snapshots(self, paper_id: str) -> list[CitationSnapshot]:
        d, m = self.dialect, self.dialect.mark
        rows = self._sql(
            "SELECT s.count, s.source, s.as_of, s.extra FROM citation_snapshots s "
            f"JOIN papers p ON p.pk = s.paper_pk WHERE p.id = {m} ORDER BY s.as_of NULLS FIRST, s.source",
            (paper_id,),
        )
        return [CitationSnapshot(CitationCount(c, s or None, d.read_day(day)), d.read_json(x)) for c, s, day, x in rows]

    def citation_targets(self, source: str, read_before: date, limit: int) -> list[Paper]:
        d, m = self.dialect, self.dialect.mark
        rows = self._sql(
            f"SELECT {PREFIXED} FROM papers p "
            "WHERE (p.arxiv_id IS NOT NULL OR p.doi IS NOT NULL) AND NOT EXISTS ("
            f"  SELECT 1 FROM citation_snapshots s WHERE s.paper_pk = p.pk AND s.source = {m} AND s.as_of >= {m}"
            f") ORDER BY p.pk LIMIT {m}",
            (source, d.day(read_before), limit),
        )
        return [to_paper(row, d) for row in rows]

    def add_signal(self, paper_id: str, signal: Signal) -> bool:
        d, m = self.dialect, self.dialect.mark
        values = (signal.source, signal.kind, d.day(signal.as_of), signal.value, signal.url, d.json(signal.extra))
        return self._sql_run(
            "INSERT INTO signals (paper_pk, source, kind, as_of, value, url, extra) "
            f"SELECT pk, {d.marks(6)} FROM papers WHERE id = {m} "
            "ON CONFLICT (paper_pk, source, kind, as_of) DO UPDATE SET "
            "value = excluded.value, url = excluded.url, extra = excluded.extra "
            f"WHERE (signals.value, signals.url, signals.extra) {d.differs} "
            "(excluded.value, excluded.url, excluded.extra)",
            (*values, paper_id),
        ) > 0  # fmt: skip

    def signals(self, paper_id: str) -> list[Signal]:
        d, m = self.dialect, self.dialect.mark
        rows = self._sql(
            "SELECT s.source, s.kind, s.value, s.as_of, s.url, s.extra FROM signals s "
            f"JOIN papers p ON p.pk = s.paper_pk WHERE p.id = {m} ORDER BY s.as_of, s.source, s.kind",
            (paper_id,),
        )
        return [
            Signal(src, kind, value, required(d.read_day(day)), url, d.read_json(x))
            for src, kind, value, day, url, x in rows
        ]

    def sync_state(self, name: str) -> SyncState | None:
        d, m = self.dialect, self.dialect.mark
        rows = self._sql(f"SELECT last_datestamp, resumption_token, cursor FROM sync_state WHERE name = {m}", (name,))
        if not rows:
            return None
        day, token, cursor = rows[0]
        return SyncState(name, d.read_day(day), token, d.read_json(cursor))

    def save_sync_state(self, state: SyncState) -> None:
        d = self.dialect
        self._sql_run(
            "INSERT INTO sync_state (name, last_datestamp, resumption_token, cursor, updated_at) "
            f"VALUES ({d.marks(5)}) ON CONFLICT (name) DO UPDATE SET "
            "last_datestamp = excluded.last_datestamp, resumption_token = excluded.resumption_token, "
            "cursor = excluded.cursor, updated_at = excluded.updated_at",
            (state.name, d.day(state.last_datestamp), state.resumption_token, d.json(state.cursor),
             d.stamp(self.clock())),
        )  # fmt: skip
