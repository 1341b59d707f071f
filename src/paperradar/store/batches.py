"""What both backends' batch writes share: the reads that merging a batch starts with, and one row per
identity key and per snapshot. How each backend writes a batch (row by row in-process for SQLite;
COPY and unnest for PostgreSQL) stays in its own batches.py.

A statement that inserts the same (key, paper) twice cannot also resolve the conflict, and a batch of
records often names a key or a snapshot more than once, so the rows are made unique first, with the
same rule a row-by-row write follows: the first year known for a key wins, the first read of a day
wins for a snapshot.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from paperradar.models import CitationCount, Paper
from paperradar.store.dialect import Dialect
from paperradar.store.rows import PREFIXED, to_paper


class BatchReadsMixin:
    """The candidates and taken ids of a batch; needs the host's `_sql` and `dialect`."""

    dialect: Dialect
    _sql: Callable[[str, Sequence[object]], list[tuple]]

    def candidates_for(self, keys: Sequence[str]) -> dict[str, list[tuple[int, Paper]]]:
        d = self.dialect
        rows: list[tuple] = []
        for chunk in d.chunks(list(dict.fromkeys(keys))):
            among, values = d.one_of("i.key", chunk)
            rows += self._sql(
                f"SELECT i.key, p.pk, {PREFIXED} FROM identities i JOIN papers p ON p.pk = i.paper_pk WHERE {among}",
                values,
            )
        found: dict[str, list[tuple[int, Paper]]] = {}
        for key, pk, *paper in sorted(rows, key=lambda row: row[1]):  # the paper known longest first
            found.setdefault(key, []).append((int(pk), to_paper(paper, d)))
        return found

    def taken_ids(self, ids: Sequence[str]) -> set[str]:
        taken: set[str] = set()
        for chunk in self.dialect.chunks(list(set(ids))):
            among, values = self.dialect.one_of("id", chunk)
            taken |= {row[0] for row in self._sql(f"SELECT id FROM papers WHERE {among}", values)}
        return taken


def unique_keys(rows: Sequence[tuple[str, str, int | None]]) -> list[tuple[str, str, int | None]]:
    """(paper id, key, year) rows with each (paper id, key) once, keeping the first year that is known."""
    years: dict[tuple[str, str], int | None] = {}
    for paper_id, key, year in rows:
        if years.get((paper_id, key)) is None:
            years[(paper_id, key)] = year
    return [(paper_id, key, year) for (paper_id, key), year in years.items()]


def unique_snapshots(rows: Sequence[tuple[str, CitationCount]]) -> list[tuple[int, str, CitationCount]]:
    """(position, paper id, count) of the first row for each (paper, source, day)."""
    first: dict[tuple[str, str, date | None], tuple[int, str, CitationCount]] = {}
    for position, (paper_id, count) in enumerate(rows):
        first.setdefault((paper_id, count.source or "", count.as_of), (position, paper_id, count))
    return list(first.values())
