"""The PostgreSQL side of the daily feed and trending (the same reads as store/sqlite/feed.py).

`day` is COALESCE(listing_date, published), the expression the papers_latest index leads with.
Dates are native `date` columns here, so no ISO strings go back and forth.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date

from paperradar.models import CitationCount, Filters
from paperradar.models.signal import Signal
from paperradar.store.filters import where
from paperradar.store.postgres.dialect import POSTGRES

DAY = "COALESCE(p.listing_date, p.published)"


class FeedMixin:
    """Listing-day reads and batched signal reads; needs the host class's `_rows()`."""

    _rows: Callable[..., list[tuple]]  # PostgresStore's: run a query, return its rows

    def listed(self, start: date, end: date, filters: Filters | None = None) -> list[tuple[str, date]]:
        condition, params = where(filters, POSTGRES)
        rows = self._rows(
            f"SELECT p.id, {DAY} AS day FROM papers p WHERE {DAY} BETWEEN %s AND %s{condition} ORDER BY day DESC, p.pk",
            (start, end, *params),
        )
        return [(pid, day) for pid, day in rows]

    def listing_day(
        self, before: date | None = None, after: date | None = None, filters: Filters | None = None
    ) -> date | None:
        condition, params = where(filters, POSTGRES)
        if after is not None:
            sql, bound = f"SELECT min({DAY}) FROM papers p WHERE {DAY} > %s", [after]
        elif before is not None:
            sql, bound = f"SELECT max({DAY}) FROM papers p WHERE {DAY} < %s", [before]
        else:
            sql, bound = f"SELECT max({DAY}) FROM papers p WHERE {DAY} IS NOT NULL", []
        return self._rows(sql + condition, (*bound, *params))[0][0]

    def active(self, start: date, end: date, filters: Filters | None = None) -> list[tuple[str, date | None]]:
        condition, params = where(filters, POSTGRES)
        rows = self._rows(
            f"SELECT p.id, {DAY} FROM papers p WHERE p.pk IN ("
            "  SELECT paper_pk FROM signals WHERE as_of BETWEEN %s AND %s"
            "  UNION SELECT paper_pk FROM citation_snapshots WHERE as_of BETWEEN %s AND %s"
            "  UNION SELECT pk FROM papers WHERE COALESCE(listing_date, published) BETWEEN %s AND %s"
            f"){condition}",
            (start, end, start, end, start, end, *params),
        )
        return [(pid, day) for pid, day in rows]

    def newest_activity(self) -> date | None:
        return self._rows(
            "SELECT max(d) FROM (SELECT max(as_of) AS d FROM signals UNION ALL "
            "SELECT max(COALESCE(listing_date, published)) FROM papers) AS newest"
        )[0][0]

    def signals_of(self, ids: Sequence[str], kinds: Sequence[str], until: date) -> dict[str, list[Signal]]:
        found: dict[str, list[Signal]] = defaultdict(list)
        rows = self._rows(
            "SELECT p.id, s.source, s.kind, s.value, s.as_of, s.url, s.extra FROM signals s "
            "JOIN papers p ON p.pk = s.paper_pk WHERE p.id = ANY(%s) AND s.kind = ANY(%s) AND s.as_of <= %s "
            "ORDER BY s.as_of",
            (list(ids), list(kinds), until),
        )
        for pid, src, kind, value, day, url, extra in rows:
            found[pid].append(Signal(src, kind, value, day, url, extra))
        return dict(found)

    def snapshots_of(self, ids: Sequence[str], until: date) -> dict[str, list[CitationCount]]:
        found: dict[str, list[CitationCount]] = defaultdict(list)
        rows = self._rows(
            "SELECT p.id, s.count, s.source, s.as_of FROM citation_snapshots s JOIN papers p ON p.pk = s.paper_pk "
            "WHERE p.id = ANY(%s) AND s.as_of IS NOT NULL AND s.as_of <= %s ORDER BY s.as_of",
            (list(ids), until),
        )
        for pid, count, source, day in rows:
            found[pid].append(CitationCount(count, source or None, day))
        return dict(found)

    def by_citations_per_year(
        self, filters: Filters, this_year: int, limit: int, offset: int = 0
    ) -> list[tuple[str, float]]:
        # Age counts the publication year as one, so a paper from this year is divided by 1, not 0.
        condition, params = where(filters, POSTGRES)
        rows = self._rows(
            "SELECT p.id, p.citations::float8 / GREATEST(1, %s - p.year + 1) AS rate FROM papers p "
            f"WHERE p.citations IS NOT NULL AND p.year IS NOT NULL{condition} "
            "ORDER BY rate DESC, p.pk LIMIT %s OFFSET %s",
            (this_year, *params, limit, offset),
        )
        return [(pid, float(rate)) for pid, rate in rows]
