"""The daily feed and trending for both backends: papers by listing day, signals' newest day, citation
snapshots in batches, best-of by citations per year.

A mixin of SQLiteStore and PostgresStore, written once in the host's `dialect`; `day` is
COALESCE(listing_date, published), the expression the papers_latest index leads with, so these reads
use it. Each backend's feed.py adds `signals_of`, whose fast form differs (SQLite needs planner hints).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date

from paperradar.models import CitationCount, Filters
from paperradar.store.dialect import Dialect
from paperradar.store.filters import where

DAY = "COALESCE(p.listing_date, p.published)"


class FeedMixin:
    """Listing-day reads and batched snapshot reads; needs the host's `_sql` and `dialect`."""

    dialect: Dialect
    _sql: Callable[[str, Sequence[object]], list[tuple]]

    def listed(self, start: date, end: date, filters: Filters | None = None) -> list[tuple[str, date]]:
        d, m = self.dialect, self.dialect.mark
        condition, params = where(filters, d)
        rows = self._sql(
            f"SELECT p.id, {DAY} AS day FROM papers p WHERE {DAY} BETWEEN {m} AND {m}{condition} "
            "ORDER BY day DESC, p.pk",
            (d.day(start), d.day(end), *params),
        )
        return [(pid, day) for pid, value in rows if (day := d.read_day(value))]  # each has one: it is in range

    def listing_day(self, before: date | None = None, after: date | None = None,
                    filters: Filters | None = None) -> date | None:  # fmt: skip
        d, m = self.dialect, self.dialect.mark
        condition, params = where(filters, d)
        if after is not None:
            sql, bound = f"SELECT min({DAY}) FROM papers p WHERE {DAY} > {m}", [d.day(after)]
        elif before is not None:
            sql, bound = f"SELECT max({DAY}) FROM papers p WHERE {DAY} < {m}", [d.day(before)]
        else:
            sql, bound = f"SELECT max({DAY}) FROM papers p WHERE {DAY} IS NOT NULL", []
        return d.read_day(self._sql(sql + condition, (*bound, *params))[0][0])

    def active(self, start: date, end: date, filters: Filters | None = None) -> list[tuple[str, date | None]]:
        d, m = self.dialect, self.dialect.mark
        condition, params = where(filters, d)
        span = (d.day(start), d.day(end))
        rows = self._sql(
            f"SELECT p.id, {DAY} FROM papers p WHERE p.pk IN ("
            f"  SELECT paper_pk FROM signals WHERE as_of BETWEEN {m} AND {m}"
            f"  UNION SELECT paper_pk FROM citation_snapshots WHERE as_of BETWEEN {m} AND {m}"
            f"  UNION SELECT pk FROM papers WHERE COALESCE(listing_date, published) BETWEEN {m} AND {m}"
            f"){condition}",
            (*span, *span, *span, *params),
        )
        return [(pid, d.read_day(day)) for pid, day in rows]

    def newest_activity(self) -> date | None:
        rows = self._sql(
            "SELECT max(d) FROM (SELECT max(as_of) AS d FROM signals UNION ALL "
            "SELECT max(COALESCE(listing_date, published)) FROM papers) AS newest",
            (),
        )
        return self.dialect.read_day(rows[0][0]) if rows else None

    def snapshots_of(self, ids: Sequence[str], until: date) -> dict[str, list[CitationCount]]:
        d, m = self.dialect, self.dialect.mark
        found: dict[str, list[CitationCount]] = defaultdict(list)
        for chunk in d.chunks(list(ids)):
            among, values = d.one_of("p.id", chunk)
            rows = self._sql(
                "SELECT p.id, s.count, s.source, s.as_of FROM citation_snapshots s JOIN papers p ON p.pk = s.paper_pk "
                f"WHERE {among} AND {d.known_day('s.as_of')} AND s.as_of <= {m} ORDER BY s.as_of",
                (*values, d.day(until)),
            )
            for pid, count, source, day in rows:
                found[pid].append(CitationCount(count, source or None, d.read_day(day)))
        return dict(found)

    def by_citations_per_year(
        self, filters: Filters, this_year: int, limit: int, offset: int = 0
    ) -> list[tuple[str, float]]:
        # Age counts the publication year as one, so a paper from this year is divided by 1, not 0.
        d, m = self.dialect, self.dialect.mark
        condition, params = where(filters, d)
        rows = self._sql(
            f"SELECT p.id, CAST(p.citations AS DOUBLE PRECISION) / {d.greatest}(1, {m} - p.year + 1) AS rate "
            f"FROM papers p WHERE p.citations IS NOT NULL AND p.year IS NOT NULL{condition} "
            f"ORDER BY rate DESC, p.pk LIMIT {m} OFFSET {m}",
            (this_year, *params, limit, offset),
        )
        return [(pid, float(rate)) for pid, rate in rows]
