"""The SQLite side of the daily feed and trending: signals of many papers in batches (the rest of the
feed's reads are store/feed.py, shared with PostgreSQL)."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date

from paperradar.models.signal import Signal
from paperradar.store.sqlite.dialect import SQLITE


class SignalBatchesMixin:
    """Batched signal reads; needs the host class's `_conn()`."""

    _conn: Callable[[], sqlite3.Connection]  # SQLiteStore's: this thread's connection

    def signals_of(self, ids: Sequence[str], kinds: Sequence[str], until: date) -> dict[str, list[Signal]]:
        found: dict[str, list[Signal]] = defaultdict(list)
        for batch in SQLITE.chunks(list(ids)):
            # Papers by id first (CROSS JOIN keeps the order), then each one's signals by primary key
            # (the `+` keeps the (kind, as_of) index out). Left to choose, SQLite read every signal of
            # these kinds through that index, for each batch of papers.
            rows = self._conn().execute(
                "SELECT p.id, s.source, s.kind, s.value, s.as_of, s.url, s.extra FROM papers p "
                f"CROSS JOIN signals s ON s.paper_pk = p.pk WHERE p.id IN ({SQLITE.marks(len(batch))}) "
                f"AND +s.kind IN ({SQLITE.marks(len(kinds))}) AND +s.as_of <= ? ORDER BY s.as_of",
                (*batch, *kinds, until.isoformat()),
            )
            for pid, src, kind, value, day, url, extra in rows:
                found[pid].append(Signal(src, kind, value, date.fromisoformat(day), url, json.loads(extra)))
        return dict(found)
