"""The paper page's citation-graph queries at 75k papers and ~2.5M edges, on SQLite and PostgreSQL.

The graph is synthetic, its degrees drawn to follow the real OpenAlex samples in
../shared/data/api-samples/openalex/*.json (55 works, 49 of them the per_page200 "peneira" search):
- Out-degree (a paper's reference list): log-normal fitted (mean and deviation of the logs) to the
  non-empty `referenced_works` lists, mu 3.07, sigma 0.94 (median 21, mean 33). 29 % of the sampled
  lists are empty, but those are peer reviews, book chapters, meeting abstracts and preprints OpenAlex
  has no list for; every synthetic paper gets a list (75k x 33 = the issue's ~2.5M edges).
- In-degree: each paper's pull is drawn from the samples' `cited_by_count` (zero with their 47 %
  share, else log-normal fitted to the non-zero counts, mu 2.19, sigma 1.71), and the references that
  land in the corpus pick their paper with probability proportional to its pull (so citations have
  the samples' heavy tail and half the papers are never cited).
- Stubs: a share of every list (--outside, 0.6) cites works outside the corpus, drawn the same way
  from a pool of stubs (--stubs per paper, 6); the samples cannot say what share a 75k corpus holds,
  so this is an assumption: most references of a recent corpus are older work it does not hold.
- The target: one paper with 200 references (all in the corpus, the heaviest case) and 1,000
  citations (1,000 papers drawn at random get it in their lists).
Papers' `citations` are their in-degree. Loaded with bulk SQL in the store's tables (executemany on
SQLite, COPY on PostgreSQL, then VACUUM ANALYZE there, as autovacuum would), after the store made the
schema; each edge names its corpus paper (`cited_pk`, SQLite 0014, PostgreSQL 0011) as the store does.
Timed, after warming, for the target (--calls times) and for --sample ordinary papers (each once):
store.references, citing, co_cited, coupled (limit 20), and the page's whole graph section as the
service computes it (library.graph.references, citations and neighbourhood, hydration included).
Baseline in the same run: a plain WITH RECURSIVE walk over citation_edges to depth 2 that gives the
same prior and derivative counts in one statement (the run checks they agree).

    nice -n 10 .venv/bin/python bench/graph.py                  # both backends, 75k papers
    nice -n 10 .venv/bin/python bench/graph.py --papers 10000 --backend sqlite   # a quick run
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import json
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from copy_roundtrip import drop_postgres, fresh_postgres
from corpora import SHARED
from paperradar.service import Library
from paperradar.settings import load_settings
from paperradar.web.pages import NEIGHBOURS_ON_PAGE, WORKS_ON_PAGE
from search_speed import percentiles

SAMPLES = SHARED / "data" / "api-samples" / "openalex"
DATABASE = "paperradar_bench_graph"
AS_OF = "2026-11-01"
TARGET_REFS, TARGET_CITES, LIMIT = 200, 1_000, 20


# -- the graph ----------------------------------------------------------------------------------------
def sampled_degrees() -> tuple[np.ndarray, np.ndarray]:
    """(reference list lengths, cited_by_count) of every work in the OpenAlex samples."""
    refs, cites = [], []
    for path in sorted(glob.glob(str(SAMPLES / "*.json"))):
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        for work in data.get("results", [data] if "id" in data else []):
            if "referenced_works" in work:
                refs.append(len(work["referenced_works"]))
            if "cited_by_count" in work:
                cites.append(work["cited_by_count"])
    if not refs:
        sys.exit(f"no OpenAlex samples in {SAMPLES} (the reference data lives in ../shared)")
    return np.array(refs), np.array(cites)


def log_normal(values: np.ndarray) -> tuple[float, float]:
    logs = np.log(values[values > 0])
    return float(logs.mean()), float(logs.std())


@dataclass
class Graph:
    """Papers are 0..n-1; works 0..n-1 are the papers themselves, n.. the stubs."""

    papers: int
    stubs: int
    citing: np.ndarray  # per edge: the citing paper
    work: np.ndarray  # per edge: the cited work
    years: np.ndarray
    target: int
    fits: dict[str, float]

    def in_degree(self) -> np.ndarray:
        return np.bincount(self.work[self.work < self.papers], minlength=self.papers)


def pulls(rng: np.random.Generator, count: int, zero_share: float, mu: float, sigma: float) -> np.ndarray:
    pull = rng.lognormal(mu, sigma, count)
    pull[rng.random(count) < zero_share] = 0.0
    return pull


def pick(rng: np.random.Generator, weights: np.ndarray, count: int) -> np.ndarray:
    """`count` indexes drawn with replacement, each with probability proportional to its weight."""
    cumulative = np.cumsum(weights)
    return np.minimum(np.searchsorted(cumulative, rng.random(count) * cumulative[-1], side="right"), len(weights) - 1)


def draw(papers: int, outside: float, stubs_per_paper: float, seed: int = 1) -> Graph:
    refs, cites = sampled_degrees()
    out_mu, out_sigma = log_normal(refs)
    in_mu, in_sigma = log_normal(cites)
    zero_cited = float((cites == 0).mean())
    rng = np.random.default_rng(seed)
    stubs = int(papers * stubs_per_paper)
    target = papers // 2
    out = np.maximum(1, np.rint(rng.lognormal(out_mu, out_sigma, papers))).astype(np.int64)
    out[target] = 0  # its list is made below
    inside = rng.binomial(out, 1 - outside)
    pull = pulls(rng, papers, zero_cited, in_mu, in_sigma)
    pull[target] = 0.0  # cited exactly TARGET_CITES times, below
    stub_pull = pulls(rng, stubs, 0.0, in_mu, in_sigma)  # a stub exists because something cites it
    citing = np.concatenate([np.repeat(np.arange(papers), inside), np.repeat(np.arange(papers), out - inside)])
    work = np.concatenate(
        [pick(rng, pull, int(inside.sum())), papers + pick(rng, stub_pull, int((out - inside).sum()))]
    )
    target_refs = np.unique(pick(rng, pull, TARGET_REFS * 20))  # the popular papers, as a real list's
    target_refs = rng.permutation(target_refs[target_refs != target])[:TARGET_REFS]
    others = np.delete(np.arange(papers), target)
    citers = rng.choice(others, TARGET_CITES, replace=False)
    citing = np.concatenate([citing, np.full(len(target_refs), target), citers])
    work = np.concatenate([work, target_refs, np.full(TARGET_CITES, target)])
    keep = citing != work  # no paper cites itself
    edges = np.unique(citing[keep] * (papers + stubs) + work[keep])  # one edge per pair, sorted as the key
    years = 2026 - np.minimum(rng.geometric(0.11, papers) - 1, 26)
    fits = {"out_mu": out_mu, "out_sigma": out_sigma, "in_mu": in_mu, "in_sigma": in_sigma, "zero_cited": zero_cited}
    return Graph(papers, stubs, edges // (papers + stubs), edges % (papers + stubs), years, target, fits)


def paper_id(index: int) -> str:
    return f"25{index // 100_000:02d}.{index % 100_000:05d}"


def paper_rows(graph: Graph) -> Iterator[tuple]:
    cited = graph.in_degree()
    for i in range(graph.papers):
        pid, year = paper_id(i), int(graph.years[i])
        yield (i + 1, pid, pid, f"Synthetic paper {i}", year, f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}",
               int(cited[i]), "synthetic", AS_OF, AS_OF, AS_OF)  # fmt: skip


def work_rows(graph: Graph) -> Iterator[tuple]:
    for i in range(graph.papers):
        yield (i + 1, i + 1, None, None)
    for j in range(graph.stubs):
        yield (graph.papers + j + 1, None, f"Outside work {j}", 1990 + j % 35)


def key_rows(graph: Graph) -> Iterator[tuple]:
    for i in range(graph.papers):
        yield (f"arxiv:{paper_id(i)}", i + 1)
    for j in range(graph.stubs):
        yield (f"openalex:W{j + 1}", graph.papers + j + 1)


def edge_rows(graph: Graph) -> Iterator[tuple]:
    for citing, work in zip(graph.citing.tolist(), graph.work.tolist(), strict=True):
        yield (citing + 1, work + 1, "openalex", AS_OF, work + 1 if work < graph.papers else None)


def read_rows(graph: Graph) -> Iterator[tuple]:
    found = np.bincount(graph.citing, minlength=graph.papers)
    for i in np.flatnonzero(found).tolist():
        yield (i + 1, "openalex", AS_OF, int(found[i]))


TABLES = {  # table: (columns, rows)
    "papers": (
        "pk, id, arxiv_id, title, year, published, citations, citations_source, citations_date, created_at, updated_at",
        paper_rows,
    ),
    "works": ("pk, paper_pk, title, year", work_rows),
    "work_keys": ("key, work_pk", key_rows),
    "citation_edges": ("citing_pk, work_pk, source, as_of, cited_pk", edge_rows),  # a paper's work is its pk
    "reference_reads": ("paper_pk, source, as_of, found", read_rows),
}


def load_sqlite(path: Path, graph: Graph) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA cache_size = -500000")  # the edges' second index fits: its pages are written once
    conn.execute("BEGIN")
    for table, (columns, rows) in TABLES.items():
        marks = ", ".join("?" * len(columns.split(",")))
        conn.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows(graph))
    conn.execute("COMMIT")
    conn.close()


def load_postgres(url: str, graph: Graph) -> None:
    with psycopg.connect(url) as conn:
        conn.execute("SET session_replication_role = replica")  # no foreign-key check per row: the rows are whole
        for table, (columns, rows) in TABLES.items():
            with conn.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows(graph):
                    copy.write_row(row)
        for table in ("papers", "works"):  # the identities COPY set: new rows go on after them
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'pk'), (SELECT max(pk) FROM {table}))")
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")  # as autovacuum does after a load: statistics and the visibility map


# -- the baseline ---------------------------------------------------------------------------------------
# A walk from the paper to depth 2 along edges either way (`up`: to a citing paper); prior works are
# those reached down from a neighbour, derivative works up, each counted by the neighbours it came from.
# The two directions are two recursive steps: SQLite takes them as two recursive SELECTs, PostgreSQL
# (one self-reference only) as a LATERAL union.
DOWN = "FROM citation_edges e JOIN works w ON w.pk = e.work_pk WHERE e.citing_pk = walk.pk AND w.paper_pk IS NOT NULL"
UP = "FROM works w JOIN citation_edges e ON e.work_pk = w.pk WHERE w.paper_pk = walk.pk"
STEPS = {
    "sqlite": (
        f"SELECT w.paper_pk, walk.depth + 1, walk.pk, 0 FROM walk, {DOWN.removeprefix('FROM ')} AND walk.depth < 2 "
        f"UNION ALL SELECT e.citing_pk, walk.depth + 1, walk.pk, 1 FROM walk, {UP.removeprefix('FROM ')} "
        "AND walk.depth < 2"
    ),
    "postgres": (
        "SELECT s.b, walk.depth + 1, walk.pk, s.up FROM walk CROSS JOIN LATERAL ("
        f"SELECT w.paper_pk AS b, 0 AS up {DOWN} UNION ALL SELECT e.citing_pk, 1 {UP}) s WHERE walk.depth < 2"
    ),
}
RECURSIVE = """
WITH RECURSIVE walk (pk, depth, via, up) AS (
    SELECT pk, 0, CAST(NULL AS bigint), 0 FROM papers WHERE id = {m}
    UNION ALL
    {step}
), counted AS (
    SELECT up, pk, count(DISTINCT via) AS n FROM walk
     WHERE depth = 2 AND pk <> (SELECT pk FROM papers WHERE id = {m}) GROUP BY up, pk
), ranked AS (
    SELECT c.up, p.id, c.n, row_number() OVER (PARTITION BY c.up ORDER BY c.n DESC, p.id) AS r
      FROM counted c JOIN papers p ON p.pk = c.pk
)
SELECT up, id, n FROM ranked WHERE r <= {m} ORDER BY up, r
"""


def recursive_baseline(library: Library, backend: str) -> Callable[[str], tuple[list, list]]:
    sql = RECURSIVE.format(m="?" if backend == "sqlite" else "%s", step=STEPS[backend])
    store = library.store

    def neighbourhood(pid: str) -> tuple[list, list]:
        rows = store._sql(sql, (pid, pid, LIMIT))  # type: ignore[attr-defined]
        return ([(i, float(n)) for up, i, n in rows if up == 0], [(i, float(n)) for up, i, n in rows if up == 1])

    return neighbourhood


# -- the timing -----------------------------------------------------------------------------------------
def calls(library: Library, baseline: Callable[[str], tuple[list, list]]) -> dict[str, Callable[[str], object]]:
    store, graph = library.store, library.graph
    return {
        "store.references": store.references,
        "store.citing": store.citing,
        "store.co_cited": lambda pid: store.co_cited(pid, LIMIT),
        "store.coupled": lambda pid: store.coupled(pid, LIMIT),
        "co_cited + coupled": lambda pid: (store.co_cited(pid, LIMIT), store.coupled(pid, LIMIT)),
        # As the paper page asks: the first 25 of each list (all counted), prior and derivative works
        # remembered until the edges change; "first view" forgets them before each call.
        "graph section (service)": lambda pid: section(graph, pid),
        "graph section, first view": lambda pid: (graph.forget(), section(graph, pid)),
        "baseline: WITH RECURSIVE depth 2": baseline,
    }


def section(graph, pid: str) -> tuple:
    return (graph.references(pid, limit=WORKS_ON_PAGE), graph.citations(pid, limit=WORKS_ON_PAGE),
            graph.neighbourhood(pid, NEIGHBOURS_ON_PAGE))  # fmt: skip


def timed(call: Callable[[str], object], ids: list[str]) -> list[float]:
    samples = []
    for pid in ids:
        started = time.perf_counter()
        call(pid)
        samples.append(time.perf_counter() - started)
    return samples


def measure(library: Library, name: str, graph: Graph, args: argparse.Namespace) -> dict[str, dict]:
    baseline = recursive_baseline(library, name)
    target = paper_id(graph.target)
    rng = np.random.default_rng(2)
    ordinary = [paper_id(int(i)) for i in rng.choice(graph.papers, args.sample, replace=False) if i != graph.target]
    for pid in (target, *ordinary[:5]):  # the run checks the baseline gives the same lists
        ours = (library.store.co_cited(pid, LIMIT), library.store.coupled(pid, LIMIT))
        assert baseline(pid) == ours, f"{pid}: the recursive baseline and the store disagree"
    assert len(library.store.references(target)) == TARGET_REFS
    assert len(library.store.citing(target)) == TARGET_CITES
    figures: dict[str, dict] = {"target": {}, "ordinary": {}}
    for name, call in calls(library, baseline).items():
        timed(call, [target] * 2 + ordinary[:3])  # warm
        figures["target"][name] = percentiles(timed(call, [target] * args.calls))
        figures["ordinary"][name] = percentiles(timed(call, ordinary))
    return figures


@contextlib.contextmanager
def backend(name: str, folder: Path, graph: Graph) -> Iterator[tuple[Library, float]]:
    """The graph loaded in a fresh database of the backend: (library, load seconds)."""
    url = f"sqlite:///{folder / 'graph.db'}" if name == "sqlite" else fresh_postgres(DATABASE)
    try:
        Library.open(load_settings(database_url=url, embedder="hashing", home=str(folder))).close()  # the schema
        started = time.perf_counter()
        if name == "sqlite":
            load_sqlite(folder / "graph.db", graph)
        else:
            load_postgres(url, graph)
        loaded = time.perf_counter() - started
        library = Library.open(load_settings(database_url=url, embedder="hashing", home=str(folder)))
        try:
            yield library, loaded
        finally:
            library.close()
    finally:
        if name == "postgres":
            drop_postgres(DATABASE)


def report(name: str, figures: dict[str, dict], loaded: float, args: argparse.Namespace) -> None:
    print(f"\n{name}: loaded in {loaded:.0f} s; p50 / p99 ms, x = p50 / the recursive baseline's p50")
    base = {group: figures[group]["baseline: WITH RECURSIVE depth 2"][0] for group in figures}
    print(f"{'':<34} {'target (' + str(args.calls) + ' calls)':>28} {'ordinary (' + str(args.sample) + ')':>28}")
    for call in figures["target"]:
        cells = []
        for group in ("target", "ordinary"):
            p50, p99 = figures[group][call]
            cells.append(f"{p50:8.2f} {p99:8.2f}  x{p50 / base[group]:6.3f}")
        print(f"{call:<34} {cells[0]:>28} {cells[1]:>28}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=75_000)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--outside", type=float, default=0.6, help="share of references to works outside the corpus")
    parser.add_argument("--stubs", type=float, default=6.0, help="outside works per corpus paper")
    parser.add_argument("--calls", type=int, default=20, help="timed calls for the target paper")
    parser.add_argument("--sample", type=int, default=50, help="ordinary papers timed")
    args = parser.parse_args()
    started = time.perf_counter()
    graph = draw(args.papers, args.outside, args.stubs)
    cited = graph.in_degree()
    out = np.bincount(graph.citing, minlength=graph.papers)
    fits = ", ".join(f"{k} {v:.2f}" for k, v in graph.fits.items())
    print(f"{args.papers:,} papers, {graph.stubs:,} stubs, {len(graph.citing):,} edges "
          f"({(graph.work >= graph.papers).mean():.0%} to stubs), drawn in {time.perf_counter() - started:.0f} s; "
          f"fits: {fits}\nreferences per paper: median {np.median(out):.0f}, p99 {np.percentile(out, 99):.0f}, "
          f"max {out.max()}; corpus citations: median {np.median(cited):.0f}, p99 {np.percentile(cited, 99):.0f}, "
          f"max {cited.max()}; target {paper_id(graph.target)}: {out[graph.target]} references, "
          f"{cited[graph.target]} citations")  # fmt: skip
    names = ("sqlite", "postgres") if args.backend == "both" else (args.backend,)
    for name in names:
        with tempfile.TemporaryDirectory() as folder, backend(name, Path(folder), graph) as (library, loaded):
            report(name, measure(library, name, graph, args), loaded, args)
    print(f"\nwhole run {time.perf_counter() - started:.0f} s (load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
