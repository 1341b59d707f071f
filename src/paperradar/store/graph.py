"""The citation graph for both backends: works, edges and reads in one set of portable SQL.

A mixin of SQLiteStore and PostgresStore over the tables of SQLite 0013 and PostgreSQL 0010, with the
host's `dialect` marking the parameters and writing the lists of values; the host supplies `_sql` (rows
of a query) and `_sql_run` (rows touched).
Days go in as ISO text (PostgreSQL casts it to its date columns) and come back as a date on both.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from paperradar.models import fingerprint
from paperradar.models.citation import CitedWork, Edge
from paperradar.store.dialect import Dialect

Ranking = list[tuple[str, float]]


def _pk(m: str) -> str:
    """The pk of the paper whose public id is the parameter."""
    return f"(SELECT pk FROM papers WHERE id = {m})"


def _neighbours(m: str) -> str:
    """The paper's neighbours (`n`): the corpus papers it cites and those that cite it; `x` is the paper,
    whose id is the one parameter. Edges name the cited paper themselves (`cited_pk`, SQLite 0014,
    PostgreSQL 0011), so no step goes through `works`."""
    return (
        f"WITH x AS (SELECT pk FROM papers WHERE id = {m}), n AS ("
        " SELECT cited_pk AS pk FROM citation_edges WHERE citing_pk = (SELECT pk FROM x) AND cited_pk IS NOT NULL"
        " UNION SELECT citing_pk FROM citation_edges WHERE cited_pk = (SELECT pk FROM x) AND cited_pk IS NOT NULL) "
    )


def _best(m: str) -> str:
    """The top of `c` (pk, n), ties by id. Only the rows down to the count of the last place get their id
    (looked up one by one: PostgreSQL's estimate of them is far too high and would hash all papers), so
    a paper with a thousand neighbours looks up a few dozen ids, not thousands."""
    return (
        "SELECT (SELECT id FROM papers WHERE pk = c.pk) AS id, c.n FROM c "
        f"WHERE c.n >= COALESCE((SELECT n FROM c ORDER BY n DESC LIMIT 1 OFFSET {m}), 0) "
        f"ORDER BY c.n DESC, id LIMIT {m}"
    )


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _title_key(work: CitedWork) -> str | None:
    return f"title:{fingerprint(work.title)}" if work.title and fingerprint(work.title) else None


class GraphMixin:
    """GraphStore over the host's connection."""

    dialect: Dialect
    _sql: Callable[[str, Sequence[object]], list[tuple]]
    _sql_run: Callable[[str, Sequence[object]], int]

    # -- writes -----------------------------------------------------------------------------------
    def add_references(self, paper_id: str, source: str, as_of: date, works: Sequence[CitedWork]) -> int:
        return self._write_edges(paper_id, source, as_of, works, replace=False)

    def set_references(self, paper_id: str, source: str, as_of: date, works: Sequence[CitedWork]) -> int:
        added = self._write_edges(paper_id, source, as_of, works, replace=True)
        m = self.dialect.mark
        self._sql_run(
            "INSERT INTO reference_reads (paper_pk, source, as_of, found) "
            f"SELECT pk, {m}, {m}, {m} FROM papers WHERE id = {m} "
            "ON CONFLICT (paper_pk, source) DO UPDATE SET as_of = excluded.as_of, found = excluded.found",
            (source, as_of.isoformat(), len(works), paper_id),
        )
        return added

    def _write_edges(self, paper_id: str, source: str, as_of: date, works: Sequence[CitedWork], replace: bool) -> int:
        m = self.dialect.mark
        rows = self._sql(f"SELECT pk FROM papers WHERE id = {m}", (paper_id,))
        if not rows:
            return 0
        citing = int(rows[0][0])
        wanted = list(dict.fromkeys(self._work_pk(w) for w in works if w.paper_id != paper_id and self._named(w)))
        read = f"SELECT work_pk FROM citation_edges WHERE citing_pk = {m} AND source = {m}"
        had = {int(pk) for (pk,) in self._sql(read, (citing, source))}
        day = as_of.isoformat()
        for pk in wanted:
            if pk in had:
                self._sql_run(
                    f"UPDATE citation_edges SET as_of = {m} "
                    f"WHERE citing_pk = {m} AND work_pk = {m} AND source = {m} AND as_of < {m}",
                    (day, citing, pk, source, day),
                )
            else:
                self._sql_run(
                    "INSERT INTO citation_edges (citing_pk, work_pk, source, as_of, cited_pk) "
                    f"VALUES ({self.dialect.marks(4)}, (SELECT paper_pk FROM works WHERE pk = {m}))",
                    (citing, pk, source, day, pk),
                )
        gone = sorted(had - set(wanted)) if replace else []
        for chunk in self.dialect.chunks(gone):
            listed, values = self.dialect.one_of("work_pk", chunk)
            self._sql_run(
                f"DELETE FROM citation_edges WHERE citing_pk = {m} AND source = {m} AND {listed}",
                (citing, source, *values),
            )
        added = len(set(wanted) - had)
        if added or gone:
            self._graph_changed()
        return added

    def _graph_changed(self) -> None:
        """Count one more change of the edges: neighbourhoods computed before it are out of date."""
        self._sql_run(
            f"INSERT INTO meta (key, value) VALUES ({self.dialect.mark}, '1') ON CONFLICT (key) "
            "DO UPDATE SET value = CAST(CAST(meta.value AS integer) + 1 AS text)",
            (GRAPH_VERSION,),
        )

    def graph_version(self) -> str | None:
        rows = self._sql(f"SELECT value FROM meta WHERE key = {self.dialect.mark}", (GRAPH_VERSION,))
        return rows[0][0] if rows else None

    @staticmethod
    def _named(work: CitedWork) -> bool:
        return bool(work.keys or _title_key(work) or work.paper_id)

    def _work_pk(self, work: CitedWork) -> int:
        """The stored work this one is (found by its strongest shared key, or a title within the year),
        told what this one adds; made when none is."""
        m, title_key = self.dialect.mark, _title_key(work)
        found: int | None = None
        if work.keys:
            listed, values = self.dialect.one_of("key", work.keys)  # a work has a few keys: one list
            by_key = dict(self._sql(f"SELECT key, work_pk FROM work_keys WHERE {listed}", values))
            found = next((int(by_key[k]) for k in work.keys if k in by_key), None)
        elif title_key:
            for pk, year in self._sql(
                "SELECT w.pk, w.year FROM work_keys k JOIN works w ON w.pk = k.work_pk "
                f"WHERE k.key = {m} ORDER BY w.pk",
                (title_key,),
            ):
                if year is None or work.year is None or year == work.year:
                    found = int(pk)
                    break
        if found is None and work.paper_id:
            rows = self._sql(f"SELECT pk FROM works WHERE paper_pk = {_pk(m)} ORDER BY pk", (work.paper_id,))
            found = int(rows[0][0]) if rows else None
        if found is None:
            (made,) = self._sql(
                f"INSERT INTO works (paper_pk, title, year) VALUES ({_pk(m)}, {m}, {m}) RETURNING pk",
                (work.paper_id, work.title, work.year),
            )
            found = int(made[0])
        else:
            self._sql_run(
                f"UPDATE works SET title = COALESCE(title, {m}), year = COALESCE(year, {m}), "
                f"paper_pk = COALESCE(paper_pk, {_pk(m)}) WHERE pk = {m}",
                (work.title, work.year, work.paper_id, found),
            )
        for key in [*work.keys, *([title_key] if title_key else [])]:
            self._sql_run(
                f"INSERT INTO work_keys (key, work_pk) VALUES ({m}, {m}) ON CONFLICT (key, work_pk) DO NOTHING",
                (key, found),
            )
        return found

    def claim_works(self, keys: Sequence[tuple[str, str, int | None]]) -> int:
        m = self.dialect.mark
        present: set[str] = set()
        for chunk in self.dialect.chunks(list(dict.fromkeys(key for _, key, _ in keys))):
            listed, values = self.dialect.one_of("key", chunk)
            present |= {k for (k,) in self._sql(f"SELECT DISTINCT key FROM work_keys WHERE {listed}", values)}
        claimed = 0
        # Identifiers before titles: a title claims only what no identifier did.
        for paper_id, key, year in sorted(
            (r for r in keys if r[1] in present), key=lambda r: r[1].startswith("title:")
        ):
            within_year = (
                f" AND (year IS NULL OR CAST({m} AS integer) IS NULL OR year = {m})" if key.startswith("title:") else ""
            )
            claimed += self._sql_run(
                f"UPDATE works SET paper_pk = {_pk(m)} WHERE paper_pk IS NULL "
                f"AND pk IN (SELECT work_pk FROM work_keys WHERE key = {m}){within_year}",
                (paper_id, key, *((year, year) if within_year else ())),
            )
        if claimed:
            self._graph_changed()
        return claimed

    # -- reads ------------------------------------------------------------------------------------
    def reference_targets(self, source: str, read_before: date, limit: int) -> list[str]:
        m = self.dialect.mark
        rows = self._sql(
            "SELECT p.id FROM papers p WHERE (p.arxiv_id IS NOT NULL OR p.doi IS NOT NULL) AND NOT EXISTS ("
            f" SELECT 1 FROM reference_reads r WHERE r.paper_pk = p.pk AND r.source = {m} AND r.as_of >= {m}"
            f") ORDER BY p.pk LIMIT {m}",
            (source, read_before.isoformat(), limit),
        )
        return [pid for (pid,) in rows]

    def references(self, paper_id: str) -> list[Edge]:
        m = self.dialect.mark
        rows = self._sql(
            "SELECT w.pk, p.id, w.title, w.year, e.source, e.as_of FROM citation_edges e "
            "JOIN works w ON w.pk = e.work_pk LEFT JOIN papers p ON p.pk = w.paper_pk "
            f"WHERE e.citing_pk = {_pk(m)} ORDER BY w.pk, e.source",
            (paper_id,),
        )
        keys: dict[int, list[str]] = {}
        for pk, key in self._sql(
            "SELECT k.work_pk, k.key FROM work_keys k WHERE k.work_pk IN "
            f"(SELECT work_pk FROM citation_edges WHERE citing_pk = {_pk(m)}) ORDER BY k.work_pk, k.key",
            (paper_id,),
        ):
            if not key.startswith("title:"):
                keys.setdefault(int(pk), []).append(key)
        # Two stubs a paper has since claimed are one reference: grouped by the paper where there is one.
        grouped: dict[object, list[tuple]] = {}
        for row in rows:
            grouped.setdefault(row[1] or int(row[0]), []).append(row)
        edges = []
        for group in grouped.values():
            pk, pid, title, year = group[0][:4]
            ids = tuple(dict.fromkeys(k for row in group for k in sorted(keys.get(int(row[0]), []), key=_strength)))
            edges.append(Edge(paper_id, CitedWork(ids, title, year, pid), tuple(sorted({row[4] for row in group})),
                              max(_day(row[5]) for row in group)))  # fmt: skip
        return edges

    def citing(self, paper_id: str) -> list[Edge]:
        rows = self._sql(
            "SELECT c.id, e.source, e.as_of FROM citation_edges e JOIN papers c ON c.pk = e.citing_pk "
            f"WHERE e.cited_pk = {_pk(self.dialect.mark)} ORDER BY c.pk, e.source",
            (paper_id,),
        )
        grouped: dict[str, list[tuple]] = {}
        for row in rows:
            grouped.setdefault(row[0], []).append(row)
        cited = CitedWork((), paper_id=paper_id)
        return [Edge(cid, cited, tuple(sorted({r[1] for r in group})), max(_day(r[2]) for r in group))
                for cid, group in grouped.items()]  # fmt: skip

    def co_cited(self, paper_id: str, limit: int) -> Ranking:
        if limit <= 0:
            return []
        m = self.dialect.mark
        rows = self._sql(
            _neighbours(m) + ", c AS (SELECT cited_pk AS pk, count(DISTINCT citing_pk) AS n FROM citation_edges "
            "WHERE citing_pk IN (SELECT pk FROM n) AND cited_pk IS NOT NULL AND cited_pk <> (SELECT pk FROM x) "
            "GROUP BY cited_pk) " + _best(m),
            (paper_id, limit - 1, limit),
        )
        return [(pid, float(n)) for pid, n in rows]

    def coupled(self, paper_id: str, limit: int) -> Ranking:
        if limit <= 0:
            return []
        m = self.dialect.mark
        rows = self._sql(
            _neighbours(m) + ", c AS (SELECT citing_pk AS pk, count(DISTINCT cited_pk) AS n FROM citation_edges "
            "WHERE cited_pk IN (SELECT pk FROM n) AND cited_pk IS NOT NULL AND citing_pk <> (SELECT pk FROM x) "
            "GROUP BY citing_pk) " + _best(m),
            (paper_id, limit - 1, limit),
        )
        return [(pid, float(n)) for pid, n in rows]

    def order_papers(self, ids: Sequence[str], order: str, limit: int) -> list[str]:
        newest = "COALESCE(p.year, 0) DESC, COALESCE(p.published, p.listing_date) DESC NULLS LAST"
        by = f"COALESCE(p.citations, -1) DESC, {newest}" if order == "citations" else newest
        found: list[tuple[str, int, int, str]] = []
        for chunk in self.dialect.chunks(list(dict.fromkeys(ids))):
            listed, values = self.dialect.one_of("p.id", chunk)
            rows = self._sql(
                f"SELECT p.id, COALESCE(p.citations, -1), COALESCE(p.year, 0), COALESCE(p.published, p.listing_date) "
                f"FROM papers p WHERE {listed} ORDER BY {by}, p.id LIMIT {self.dialect.mark}",
                (*values, limit),
            )
            found.extend((pid, int(cited), int(year), str(day or "")) for pid, cited, year, day in rows)
        if len(found) > limit:  # the best of each chunk: merged in Python in the same order
            if order == "citations":
                found.sort(key=lambda r: (-r[1], -r[2], _desc(r[3]), r[0]))
            else:
                found.sort(key=lambda r: (-r[2], _desc(r[3]), r[0]))
        return [row[0] for row in found[:limit]]

    def edges_among(self, paper_ids: Sequence[str]) -> list[tuple[str, str]]:
        ids = list(dict.fromkeys(paper_ids))
        if len(ids) < 2:
            return []
        found: set[tuple[str, str]] = set()
        for citing_chunk in self.dialect.chunks(ids):
            for cited_chunk in self.dialect.chunks(ids):
                citing, citing_values = self.dialect.one_of("c.id", citing_chunk)
                cited, cited_values = self.dialect.one_of("t.id", cited_chunk)
                found |= {(a, b) for a, b in self._sql(
                    "SELECT c.id, t.id FROM citation_edges e JOIN papers c ON c.pk = e.citing_pk "
                    f"JOIN papers t ON t.pk = e.cited_pk WHERE {citing} AND {cited} AND c.pk <> t.pk",
                    (*citing_values, *cited_values))}  # fmt: skip
        return sorted(found)

    def citers_of(self, paper_ids: Sequence[str], limit: int) -> dict[str, list[str]]:
        m = self.dialect.mark
        cited: dict[str, set[str]] = {}
        for chunk in self.dialect.chunks(list(dict.fromkeys(paper_ids))):
            condition, params = self.dialect.one_of("t.id", chunk)
            for citing, target in self._sql(
                "SELECT c.id, t.id FROM papers t JOIN citation_edges e ON e.cited_pk = t.pk "
                "JOIN papers c ON c.pk = e.citing_pk "
                f"WHERE {condition} AND c.pk <> t.pk ORDER BY c.id, t.id LIMIT {m}",
                (*params, CITERS_READ),
            ):
                cited.setdefault(citing, set()).add(target)
        best = sorted(cited, key=lambda pid: (-len(cited[pid]), pid))[:limit]
        return {pid: sorted(cited[pid]) for pid in best}


GRAPH_VERSION = "graph_version"  # the meta row counting changes of the edges (see graph_version)
CITERS_READ = 20_000  # edges read at most for one `citers_of`: a library of famous papers has many citers


def _desc(text: str) -> tuple[int, ...]:
    """A sort key putting ISO days newest first and the empty one last."""
    return tuple(-ord(c) for c in text) if text else (1,)


_ORDER = {"arxiv": 0, "doi": 1, "openalex": 2, "s2": 3}


def _strength(key: str) -> int:
    return _ORDER.get(key.split(":", 1)[0], len(_ORDER))
