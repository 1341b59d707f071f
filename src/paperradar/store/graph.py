"""The citation graph for both backends: works, edges and reads in one set of portable SQL.

A mixin of SQLiteStore and PostgresStore over the tables of SQLite 0013 and PostgreSQL 0010. Statements
are written with `?` marks, put in the host's dialect; the host supplies `_sql` (rows of a query) and
`_sql_run` (rows touched).
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

_PK = "(SELECT pk FROM papers WHERE id = ?)"
_CHUNK = 500  # far below SQLite's bound-parameter limit
# The paper's neighbours: the corpus papers it cites and those that cite it (`?` is its id, twice).
_NEIGHBOURS = (
    "WITH x AS (SELECT pk FROM papers WHERE id = ?), n AS ("
    " SELECT w.paper_pk AS pk FROM citation_edges e JOIN works w ON w.pk = e.work_pk"
    "  WHERE e.citing_pk = (SELECT pk FROM x) AND w.paper_pk IS NOT NULL"
    " UNION SELECT e.citing_pk FROM citation_edges e JOIN works w ON w.pk = e.work_pk"
    "  WHERE w.paper_pk = (SELECT pk FROM x)) "
)


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _marks(items: Sequence[object]) -> str:
    return ",".join("?" * len(items))


def _title_key(work: CitedWork) -> str | None:
    return f"title:{fingerprint(work.title)}" if work.title and fingerprint(work.title) else None


class GraphMixin:
    """GraphStore over the host's connection."""

    dialect: Dialect
    _sql: Callable[[str, Sequence[object]], list[tuple]]
    _sql_run: Callable[[str, Sequence[object]], int]

    # This mixin's statements are written with `?` marks (none holds a literal `?`); the host's dialect
    # says what its driver takes instead. (Left to do: write them with `dialect.mark`, as accounts.py does.)
    def _graph_rows(self, sql: str, params: Sequence[object]) -> list[tuple]:
        return self._sql(sql.replace("?", self.dialect.mark), params)

    def _graph_run(self, sql: str, params: Sequence[object]) -> int:
        return self._sql_run(sql.replace("?", self.dialect.mark), params)

    # -- writes -----------------------------------------------------------------------------------
    def add_references(self, paper_id: str, source: str, as_of: date, works: Sequence[CitedWork]) -> int:
        return self._write_edges(paper_id, source, as_of, works, replace=False)

    def set_references(self, paper_id: str, source: str, as_of: date, works: Sequence[CitedWork]) -> int:
        added = self._write_edges(paper_id, source, as_of, works, replace=True)
        self._graph_run(
            "INSERT INTO reference_reads (paper_pk, source, as_of, found) SELECT pk, ?, ?, ? FROM papers WHERE id = ? "
            "ON CONFLICT (paper_pk, source) DO UPDATE SET as_of = excluded.as_of, found = excluded.found",
            (source, as_of.isoformat(), len(works), paper_id),
        )
        return added

    def _write_edges(self, paper_id: str, source: str, as_of: date, works: Sequence[CitedWork], replace: bool) -> int:
        rows = self._graph_rows("SELECT pk FROM papers WHERE id = ?", (paper_id,))
        if not rows:
            return 0
        citing = int(rows[0][0])
        wanted = list(dict.fromkeys(self._work_pk(w) for w in works if w.paper_id != paper_id and self._named(w)))
        had = {int(pk) for (pk,) in self._graph_rows(
            "SELECT work_pk FROM citation_edges WHERE citing_pk = ? AND source = ?", (citing, source))}  # fmt: skip
        day = as_of.isoformat()
        for pk in wanted:
            if pk in had:
                self._graph_run(
                    "UPDATE citation_edges SET as_of = ? "
                    "WHERE citing_pk = ? AND work_pk = ? AND source = ? AND as_of < ?",
                    (day, citing, pk, source, day),
                )
            else:
                self._graph_run(
                    "INSERT INTO citation_edges (citing_pk, work_pk, source, as_of) VALUES (?, ?, ?, ?)",
                    (citing, pk, source, day),
                )
        if replace:
            gone = sorted(had - set(wanted))
            for start in range(0, len(gone), _CHUNK):
                chunk = gone[start : start + _CHUNK]
                self._graph_run(
                    f"DELETE FROM citation_edges WHERE citing_pk = ? AND source = ? AND work_pk IN ({_marks(chunk)})",
                    (citing, source, *chunk),
                )
        return len(set(wanted) - had)

    @staticmethod
    def _named(work: CitedWork) -> bool:
        return bool(work.keys or _title_key(work) or work.paper_id)

    def _work_pk(self, work: CitedWork) -> int:
        """The stored work this one is (found by its strongest shared key, or a title within the year),
        told what this one adds; made when none is."""
        title_key = _title_key(work)
        found: int | None = None
        if work.keys:
            keyed = f"SELECT key, work_pk FROM work_keys WHERE key IN ({_marks(work.keys)})"
            by_key = dict(self._graph_rows(keyed, work.keys))
            found = next((int(by_key[k]) for k in work.keys if k in by_key), None)
        elif title_key:
            for pk, year in self._graph_rows(
                "SELECT w.pk, w.year FROM work_keys k JOIN works w ON w.pk = k.work_pk WHERE k.key = ? ORDER BY w.pk",
                (title_key,),
            ):
                if year is None or work.year is None or year == work.year:
                    found = int(pk)
                    break
        if found is None and work.paper_id:
            rows = self._graph_rows(f"SELECT pk FROM works WHERE paper_pk = {_PK} ORDER BY pk", (work.paper_id,))
            found = int(rows[0][0]) if rows else None
        if found is None:
            (made,) = self._graph_rows(
                f"INSERT INTO works (paper_pk, title, year) VALUES ({_PK}, ?, ?) RETURNING pk",
                (work.paper_id, work.title, work.year),
            )
            found = int(made[0])
        else:
            self._graph_run(
                f"UPDATE works SET title = COALESCE(title, ?), year = COALESCE(year, ?), "
                f"paper_pk = COALESCE(paper_pk, {_PK}) WHERE pk = ?",
                (work.title, work.year, work.paper_id, found),
            )
        for key in [*work.keys, *([title_key] if title_key else [])]:
            self._graph_run(
                "INSERT INTO work_keys (key, work_pk) VALUES (?, ?) ON CONFLICT (key, work_pk) DO NOTHING", (key, found)
            )
        return found

    def claim_works(self, keys: Sequence[tuple[str, str, int | None]]) -> int:
        unique = list(dict.fromkeys(key for _, key, _ in keys))
        present: set[str] = set()
        for start in range(0, len(unique), _CHUNK):
            chunk = unique[start : start + _CHUNK]
            present |= {
                k
                for (k,) in self._graph_rows(
                    f"SELECT DISTINCT key FROM work_keys WHERE key IN ({_marks(chunk)})", chunk
                )
            }
        claimed = 0
        # Identifiers before titles: a title claims only what no identifier did.
        for paper_id, key, year in sorted(
            (r for r in keys if r[1] in present), key=lambda r: r[1].startswith("title:")
        ):
            within_year = (
                " AND (year IS NULL OR CAST(? AS integer) IS NULL OR year = ?)" if key.startswith("title:") else ""
            )
            claimed += self._graph_run(
                f"UPDATE works SET paper_pk = {_PK} WHERE paper_pk IS NULL "
                f"AND pk IN (SELECT work_pk FROM work_keys WHERE key = ?){within_year}",
                (paper_id, key, *((year, year) if within_year else ())),
            )
        return claimed

    # -- reads ------------------------------------------------------------------------------------
    def reference_targets(self, source: str, read_before: date, limit: int) -> list[str]:
        rows = self._graph_rows(
            "SELECT p.id FROM papers p WHERE (p.arxiv_id IS NOT NULL OR p.doi IS NOT NULL) AND NOT EXISTS ("
            " SELECT 1 FROM reference_reads r WHERE r.paper_pk = p.pk AND r.source = ? AND r.as_of >= ?"
            ") ORDER BY p.pk LIMIT ?",
            (source, read_before.isoformat(), limit),
        )
        return [pid for (pid,) in rows]

    def references(self, paper_id: str) -> list[Edge]:
        rows = self._graph_rows(
            "SELECT w.pk, p.id, w.title, w.year, e.source, e.as_of FROM citation_edges e "
            "JOIN works w ON w.pk = e.work_pk LEFT JOIN papers p ON p.pk = w.paper_pk "
            f"WHERE e.citing_pk = {_PK} ORDER BY w.pk, e.source",
            (paper_id,),
        )
        keys: dict[int, list[str]] = {}
        for pk, key in self._graph_rows(
            "SELECT k.work_pk, k.key FROM work_keys k WHERE k.work_pk IN "
            f"(SELECT work_pk FROM citation_edges WHERE citing_pk = {_PK}) ORDER BY k.work_pk, k.key",
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
        rows = self._graph_rows(
            "SELECT c.id, e.source, e.as_of FROM works w JOIN citation_edges e ON e.work_pk = w.pk "
            f"JOIN papers c ON c.pk = e.citing_pk WHERE w.paper_pk = {_PK} ORDER BY c.pk, e.source",
            (paper_id,),
        )
        grouped: dict[str, list[tuple]] = {}
        for row in rows:
            grouped.setdefault(row[0], []).append(row)
        cited = CitedWork((), paper_id=paper_id)
        return [Edge(cid, cited, tuple(sorted({r[1] for r in group})), max(_day(r[2]) for r in group))
                for cid, group in grouped.items()]  # fmt: skip

    def co_cited(self, paper_id: str, limit: int) -> Ranking:
        rows = self._graph_rows(
            _NEIGHBOURS + "SELECT p.id, count(DISTINCT e.citing_pk) AS n FROM citation_edges e "
            "JOIN works w ON w.pk = e.work_pk JOIN papers p ON p.pk = w.paper_pk "
            "WHERE e.citing_pk IN (SELECT pk FROM n) AND w.paper_pk <> (SELECT pk FROM x) "
            "GROUP BY p.id ORDER BY n DESC, p.id LIMIT ?",
            (paper_id, limit),
        )
        return [(pid, float(n)) for pid, n in rows]

    def coupled(self, paper_id: str, limit: int) -> Ranking:
        rows = self._graph_rows(
            _NEIGHBOURS + "SELECT p.id, count(DISTINCT w.paper_pk) AS n FROM citation_edges e "
            "JOIN works w ON w.pk = e.work_pk JOIN papers p ON p.pk = e.citing_pk "
            "WHERE w.paper_pk IN (SELECT pk FROM n) AND e.citing_pk <> (SELECT pk FROM x) "
            "GROUP BY p.id ORDER BY n DESC, p.id LIMIT ?",
            (paper_id, limit),
        )
        return [(pid, float(n)) for pid, n in rows]

    def citers_of(self, paper_ids: Sequence[str], limit: int) -> dict[str, list[str]]:
        m = self.dialect.mark
        cited: dict[str, set[str]] = {}
        for chunk in self.dialect.chunks(list(dict.fromkeys(paper_ids))):
            condition, params = self.dialect.one_of("t.id", chunk)
            for citing, target in self._sql(
                "SELECT c.id, t.id FROM papers t JOIN works w ON w.paper_pk = t.pk "
                "JOIN citation_edges e ON e.work_pk = w.pk JOIN papers c ON c.pk = e.citing_pk "
                f"WHERE {condition} AND c.pk <> t.pk ORDER BY c.id, t.id LIMIT {m}",
                (*params, CITERS_READ),
            ):
                cited.setdefault(citing, set()).add(target)
        best = sorted(cited, key=lambda pid: (-len(cited[pid]), pid))[:limit]
        return {pid: sorted(cited[pid]) for pid in best}


CITERS_READ = 20_000  # edges read at most for one `citers_of`: a library of famous papers has many citers

_ORDER = {"arxiv": 0, "doi": 1, "openalex": 2, "s2": 3}


def _strength(key: str) -> int:
    return _ORDER.get(key.split(":", 1)[0], len(_ORDER))
