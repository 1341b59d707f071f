"""Reads of papers for both backends: by id or any key they are known by, counts and figures, the
most cited, every paper in order, and facts about the database (`meta`).

A mixin of SQLiteStore and PostgresStore, written once in the host's `dialect`. The newest-first
listing (`latest`) stays in each store: its fast form differs by planner.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager

from paperradar.models import CitationCount, Filters, Paper, normalise_arxiv_id, normalise_doi
from paperradar.store.base import Candidate, Ranking, Stats
from paperradar.store.dialect import Dialect
from paperradar.store.filters import where
from paperradar.store.rows import COLUMNS, PREFIXED, to_paper

_KEY_ORDER = {"arxiv": 0, "doi": 1, "title": 2}  # how far a match on each kind of key is trusted


class PaperReadsMixin:
    """Needs the host's `_sql`, `_sql_run`, `dialect`, `transaction()` and `location`."""

    dialect: Dialect
    location: str
    _sql: Callable[[str, Sequence[object]], list[tuple]]
    _sql_run: Callable[[str, Sequence[object]], int]
    transaction: Callable[..., AbstractContextManager[None]]

    # -- identity -------------------------------------------------------------------------------------
    def candidates(self, arxiv_id: str | None, doi: str | None, title_fingerprint: str) -> list[Candidate]:
        keys = [f"title:{title_fingerprint}"]
        if arxiv_id:
            keys.append(f"arxiv:{arxiv_id}")
        if doi:
            keys.append(f"doi:{doi}")
        among, values = self.dialect.one_of("i.key", keys)
        rows = self._sql(
            f"SELECT i.key, {PREFIXED} FROM identities i JOIN papers p ON p.pk = i.paper_pk "
            f"WHERE {among} ORDER BY p.pk",
            values,
        )
        found = [Candidate(to_paper(row[1:], self.dialect), row[0].split(":", 1)[0]) for row in rows]
        found.sort(key=lambda c: _KEY_ORDER[c.matched_on])
        return found

    def identity_keys(self, paper_ids: Sequence[str]) -> dict[str, list[tuple[str, int | None]]]:
        found: dict[str, list[tuple[str, int | None]]] = {}
        for chunk in self.dialect.chunks(list(dict.fromkeys(paper_ids))):
            among, values = self.dialect.one_of("p.id", chunk)
            rows = self._sql(
                "SELECT p.id, i.key, i.year FROM identities i JOIN papers p ON p.pk = i.paper_pk "
                f"WHERE {among} ORDER BY p.pk, i.key",
                values,
            )
            for pid, key, year in rows:
                found.setdefault(pid, []).append((key, year))
        return found

    def resolve(self, key: str) -> str | None:
        m = self.dialect.mark
        if rows := self._sql(f"SELECT id FROM papers WHERE id = {m}", (key,)):
            return rows[0][0]
        lookups = []
        if arxiv_id := normalise_arxiv_id(key):
            lookups.append(f"arxiv:{arxiv_id}")
        if doi := normalise_doi(key):
            lookups.append(f"doi:{doi}")
        for lookup in lookups:
            rows = self._sql(
                f"SELECT p.id FROM identities i JOIN papers p ON p.pk = i.paper_pk WHERE i.key = {m} "
                "ORDER BY p.pk LIMIT 1",
                (lookup,),
            )
            if rows:
                return rows[0][0]
        return None

    # -- papers -----------------------------------------------------------------------------------------
    def papers(self, ids: Sequence[str]) -> list[Paper]:
        found: dict[str | None, Paper] = {}
        for chunk in self.dialect.chunks(list(dict.fromkeys(ids))):
            among, values = self.dialect.one_of("id", chunk)
            for row in self._sql(f"SELECT {COLUMNS} FROM papers WHERE {among}", values):
                paper = to_paper(row, self.dialect)
                found[paper.id] = paper
        return [found[i] for i in ids if i in found]

    def iter_papers(self, batch_size: int = 1000) -> Iterator[Paper]:
        m, last = self.dialect.mark, 0
        while True:
            rows = self._sql(
                f"SELECT pk, {COLUMNS} FROM papers WHERE pk > {m} ORDER BY pk LIMIT {m}", (last, batch_size)
            )
            if not rows:
                return
            for row in rows:
                yield to_paper(row[1:], self.dialect)
            last = rows[-1][0]

    def citation_history(self, paper_id: str) -> list[CitationCount]:
        d, m = self.dialect, self.dialect.mark
        rows = self._sql(
            "SELECT s.count, s.source, s.as_of FROM citation_snapshots s JOIN papers p ON p.pk = s.paper_pk "
            f"WHERE p.id = {m} ORDER BY s.as_of NULLS FIRST, s.source",
            (paper_id,),
        )
        return [CitationCount(count, source or None, d.read_day(day)) for count, source, day in rows]

    def by_citations(self, filters: Filters, limit: int, offset: int = 0) -> Ranking:
        m = self.dialect.mark
        condition, params = where(filters, self.dialect)
        rows = self._sql(
            f"SELECT p.id, p.citations FROM papers p WHERE p.citations IS NOT NULL{condition} "
            f"ORDER BY p.citations DESC, p.pk LIMIT {m} OFFSET {m}",
            (*params, limit, offset),
        )
        return [(pid, float(c)) for pid, c in rows]

    # -- figures ----------------------------------------------------------------------------------------
    def count(self, filters: Filters | None = None) -> int:
        condition, params = where(filters, self.dialect)
        return int(self._sql(f"SELECT count(*) FROM papers p WHERE TRUE{condition}", params)[0][0])

    def newest_year(self, before: int) -> int | None:
        return self._sql(f"SELECT max(year) FROM papers WHERE year < {self.dialect.mark}", (before,))[0][0]

    def stats(self) -> Stats:
        # Counts from the row the writes keep (migrations SQLite 0017, PostgreSQL 0014), years off the
        # year index: no scan of the table.
        counts = self._sql("SELECT papers, with_abstract, with_citations, with_arxiv_id FROM paper_counts", ())[0]
        years = self._sql("SELECT (SELECT min(year) FROM papers), (SELECT max(year) FROM papers)", ())[0]
        papers, with_abstract, with_citations, with_arxiv_id = (int(n) for n in counts)
        return Stats(papers, with_abstract, with_citations, with_arxiv_id, (years[0], years[1]), self.location)

    def meta(self, key: str) -> str | None:
        rows = self._sql(f"SELECT value FROM meta WHERE key = {self.dialect.mark}", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self._sql_run(
                f"INSERT INTO meta (key, value) VALUES ({self.dialect.marks(2)}) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
