"""The PostgreSQL side of the daily feed and trending: signals of many papers in one statement (the
rest of the feed's reads are store/feed.py, shared with SQLite)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date

from paperradar.models.signal import Signal


class SignalBatchesMixin:
    """Batched signal reads; needs the host class's `_rows()`."""

    _rows: Callable[..., list[tuple]]  # PostgresStore's: run a query, return its rows

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
