"""The SQLite side of the daily feed and trending: papers by listing day, and signals in batches.

A mixin of SQLiteStore like live.py; `day` is COALESCE(listing_date, published), the expression the
papers_latest index leads with, so these reads use it.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date

from paperradar.models import CitationCount, Filters
from paperradar.models.signal import Signal
from paperradar.store.filters import where
from paperradar.store.sqlite.dialect import SQLITE

DAY = "COALESCE(p.listing_date, p.published)"
_BATCH = 500  # ids per IN (...) list: well under SQLite's bound-parameter limit


def _batches(ids: Sequence[str]) -> list[Sequence[str]]:
    return [ids[i : i + _BATCH] for i in range(0, len(ids), _BATCH)]


class FeedMixin:
    """Listing-day reads and batched signal reads; needs the host class's `_conn()`."""

    _conn: Callable[[], sqlite3.Connection]  # SQLiteStore's: this thread's connection

    def listed(self, start: date, end: date, filters: Filters | None = None) -> list[tuple[str, date]]:
        condition, params = where(filters, SQLITE)
        rows = self._conn().execute(
            f"SELECT p.id, {DAY} AS day FROM papers p WHERE {DAY} BETWEEN ? AND ?{condition} ORDER BY day DESC, p.pk",
            (start.isoformat(), end.isoformat(), *params),
        )
        return [(pid, date.fromisoformat(day)) for pid, day in rows]

    def listing_day(self, before: date | None = None, after: date | None = None,
                    filters: Filters | None = None) -> date | None:  # fmt: skip
        condition, params = where(filters, SQLITE)
        if after is not None:
            sql, bound = f"SELECT min({DAY}) FROM papers p WHERE {DAY} > ?", [after.isoformat()]
        else:
            sql, bound = f"SELECT max({DAY}) FROM papers p WHERE {DAY} IS NOT NULL", []
            if before is not None:
                sql, bound = f"SELECT max({DAY}) FROM papers p WHERE {DAY} < ?", [before.isoformat()]
        day = self._conn().execute(sql + condition, (*bound, *params)).fetchone()[0]
        return date.fromisoformat(day) if day else None

    def active(self, start: date, end: date, filters: Filters | None = None) -> list[tuple[str, date | None]]:
        condition, params = where(filters, SQLITE)
        span = (start.isoformat(), end.isoformat())
        rows = self._conn().execute(
            f"SELECT p.id, {DAY} FROM papers p WHERE p.pk IN ("
            "  SELECT paper_pk FROM signals WHERE as_of BETWEEN ? AND ?"
            "  UNION SELECT paper_pk FROM citation_snapshots WHERE as_of BETWEEN ? AND ?"
            f"  UNION SELECT pk FROM papers WHERE COALESCE(listing_date, published) BETWEEN ? AND ?"
            f"){condition}",
            (*span, *span, *span, *params),
        )
        return [(pid, date.fromisoformat(day) if day else None) for pid, day in rows]

    def newest_activity(self) -> date | None:
        row = (
            self._conn()
            .execute(
                "SELECT max(d) FROM (SELECT max(as_of) AS d FROM signals UNION ALL "
                "SELECT max(COALESCE(listing_date, published)) FROM papers)"
            )
            .fetchone()
        )
        return date.fromisoformat(row[0]) if row and row[0] else None

    def signals_of(self, ids: Sequence[str], kinds: Sequence[str], until: date) -> dict[str, list[Signal]]:
        found: dict[str, list[Signal]] = defaultdict(list)
        for batch in _batches(list(ids)):
            # Papers by id first (CROSS JOIN keeps the order), then each one's signals by primary key
            # (the `+` keeps the (kind, as_of) index out). Left to choose, SQLite read every signal of
            # these kinds through that index, for each batch of papers.
            rows = self._conn().execute(
                "SELECT p.id, s.source, s.kind, s.value, s.as_of, s.url, s.extra FROM papers p "
                f"CROSS JOIN signals s ON s.paper_pk = p.pk WHERE p.id IN ({','.join('?' * len(batch))}) "
                f"AND +s.kind IN ({','.join('?' * len(kinds))}) AND +s.as_of <= ? ORDER BY s.as_of",
                (*batch, *kinds, until.isoformat()),
            )
            for pid, src, kind, value, day, url, extra in rows:
                found[pid].append(Signal(src, kind, value, date.fromisoformat(day), url, json.loads(extra)))
        return dict(found)

    def snapshots_of(self, ids: Sequence[str], until: date) -> dict[str, list[CitationCount]]:
        found: dict[str, list[CitationCount]] = defaultdict(list)
        for batch in _batches(list(ids)):
            rows = self._conn().execute(
                "SELECT p.id, s.count, s.source, s.as_of FROM citation_snapshots s JOIN papers p ON p.pk = s.paper_pk "
                f"WHERE p.id IN ({','.join('?' * len(batch))}) AND s.as_of != '' AND s.as_of <= ? ORDER BY s.as_of",
                (*batch, until.isoformat()),
            )
            for pid, count, source, day in rows:
                found[pid].append(CitationCount(count, source or None, date.fromisoformat(day)))
        return dict(found)

    def by_citations_per_year(
        self, filters: Filters, this_year: int, limit: int, offset: int = 0
    ) -> list[tuple[str, float]]:
        # Age counts the publication year as one, so a paper from this year is divided by 1, not 0.
        condition, params = where(filters, SQLITE)
        rows = self._conn().execute(
            "SELECT p.id, p.citations * 1.0 / MAX(1, ? - p.year + 1) AS rate FROM papers p "
            f"WHERE p.citations IS NOT NULL AND p.year IS NOT NULL{condition} "
            "ORDER BY rate DESC, p.pk LIMIT ? OFFSET ?",
            (this_year, *params, limit, offset),
        )
        return [(pid, float(rate)) for pid, rate in rows]
