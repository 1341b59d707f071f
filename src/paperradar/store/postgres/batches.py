"""Paper writes a batch at a time for PostgresStore: a few statements per import batch, not several
per record (import went from ~500 to thousands of papers a second)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import datetime

import psycopg

from paperradar.errors import StoreError
from paperradar.models import CitationCount, Paper
from paperradar.store.batches import unique_keys, unique_snapshots
from paperradar.store.postgres.dialect import POSTGRES
from paperradar.store.rows import COLUMNS, to_values

_UPDATE = ", ".join(f"{name.strip()} = %s" for name in COLUMNS.split(",")[1:])


class PaperBatchesMixin:
    """Needs the host's `_rows` and `_cursor`."""

    _rows: Callable[..., list[tuple]]  # PostgresStore's: run a query, return its rows

    _cursor: Callable[[], AbstractContextManager[psycopg.Cursor]]  # PostgresStore's: the transaction's cursor
    clock: Callable[[], datetime]  # PostgresStore's: the UTC time rows are stamped with

    _local: threading.local  # PostgresStore's: `conn` is set inside a transaction

    def insert_papers(self, papers: Sequence[Paper]) -> None:
        if any(paper.id is None for paper in papers):
            raise ValueError("insert_papers needs public ids")
        if getattr(self._local, "conn", None) is None:
            raise StoreError("insert_papers must run inside store.transaction()")
        with self._cursor() as cursor, cursor.copy(f"COPY papers ({COLUMNS}) FROM STDIN") as copy:
            for paper in papers:  # COPY: one stream for the batch, no statement per paper
                copy.write_row(to_values(paper, POSTGRES))

    def update_papers(self, papers: Sequence[Paper]) -> None:
        now = self.clock()
        with self._cursor() as cursor:
            cursor.executemany(
                f"UPDATE papers SET {_UPDATE}, updated_at = %s WHERE id = %s",
                [(*to_values(p, POSTGRES)[1:], now, p.id) for p in papers],
            )

    def add_keys(self, rows: Sequence[tuple[str, str, int | None]]) -> None:
        unique = unique_keys(rows)
        if not unique:
            return
        self._rows(
            "INSERT INTO identities (key, paper_pk, year) SELECT t.k, p.pk, t.y "
            "FROM unnest(%s::text[], %s::text[], %s::integer[]) AS t (id, k, y) JOIN papers p ON p.id = t.id "
            "ON CONFLICT (key, paper_pk) DO UPDATE SET year = COALESCE(identities.year, excluded.year)",
            ([r[0] for r in unique], [r[1] for r in unique], [r[2] for r in unique]),
        )

    def add_citation_snapshots(self, rows: Sequence[tuple[str, CitationCount]]) -> set[int]:
        unique = unique_snapshots(rows)
        if not unique:
            return set()
        # First read of a day wins: a snapshot is history and is never rewritten. The rows that went in
        # come back by (paper, source, day), which the unique rows map to their positions.
        found = self._rows(
            "WITH ins AS (INSERT INTO citation_snapshots (paper_pk, source, as_of, count) "
            "  SELECT p.pk, t.source, t.as_of, t.count "
            "  FROM unnest(%s::integer[], %s::text[], %s::text[], %s::date[], %s::integer[]) "
            "    AS t (n, id, source, as_of, count) "
            "  JOIN papers p ON p.id = t.id ORDER BY t.n ON CONFLICT DO NOTHING RETURNING paper_pk, source, as_of) "
            "SELECT p.id, ins.source, ins.as_of FROM ins JOIN papers p ON p.pk = ins.paper_pk",
            (
                [n for n, _, _ in unique],
                [pid for _, pid, _ in unique],
                [c.source or "" for _, _, c in unique],
                [c.as_of for _, _, c in unique],
                [c.count for _, _, c in unique],
            ),
        )
        positions = {(pid, c.source or "", c.as_of): n for n, pid, c in unique}
        return {positions[(pid, source, as_of)] for pid, source, as_of in found}
