"""Copy round trip on the 74.7k arxiv-daily-cs corpus: SQLite -> PostgreSQL -> SQLite, identical results.

Imports ../shared/data/arxiv-daily-cs into a fresh SQLite file, embeds it with the hashing embedder,
copies it to a fresh PostgreSQL database and from there to a second SQLite file (timing each), then
checks that all three hold the same counts and vectors, and that a query set (the known-item queries
and first sentences of random abstracts) gets the same papers in the same order from both SQLite
files in every mode, through their indexes: the BM25 index and the HNSW graph are built the same way
from the same rows (one insert thread), so they are the same. PostgreSQL ranks words from the same
BM25 index, so its keyword results must match too; its vectors sit in pgvector's own HNSW graph, so
against it the semantic top-20 overlap is reported. Baseline in the same run: the copy into
PostgreSQL with the HNSW index maintained row by row (as before bulk loads), into a second database.

    nice -n 10 .venv/bin/python bench/copy_roundtrip.py [--dir /work/scale] [--queries 100]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpora import SOURCES, raw_records, read_queries
from paperradar.ingest import embedding as embedding_run
from paperradar.models import Filters
from paperradar.service import Library
from paperradar.settings import load_settings

HOME = Path(tempfile.gettempdir()) / "paperradar-roundtrip-home"
ADMIN = os.environ.get("PAPERRADAR_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432")


def fresh_postgres(name: str) -> str:
    with psycopg.connect(f"{ADMIN}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    with psycopg.connect(f"{ADMIN}/{name}", autocommit=True) as conn:
        conn.execute("CREATE EXTENSION vector")
    return f"{ADMIN}/{name}"


def drop_postgres(name: str) -> None:
    with psycopg.connect(f"{ADMIN}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")


def fresh_sqlite(path: Path) -> str:
    for stale in path.parent.glob(path.name + "*"):
        subprocess.run(["rm", "-rf", str(stale)], check=True)
    return f"sqlite:///{path}"


def library(url: str) -> Library:
    # PostgreSQL's keyword index goes under a home of its own, not the user's
    return Library.open(load_settings(database_url=url, embedder="hashing", home=str(HOME)))


def counts(lib: Library) -> dict[str, object]:
    stats = lib.stats()
    return {
        "papers": stats.papers,
        "with_abstract": stats.with_abstract,
        "with_citations": stats.with_citations,
        "with_arxiv_id": stats.with_arxiv_id,
        "years": stats.years,
        "embeddings": lib.store.embedding_models(),
        "by_citations": lib.store.by_citations(Filters(), 50),
    }


def all_vectors(lib: Library) -> dict[str, np.ndarray]:
    ids = [paper.id or "" for paper in lib.store.iter_papers(5000)]
    found: dict[str, np.ndarray] = {}
    for start in range(0, len(ids), 5000):
        found.update(lib.store.embeddings(lib.embedder.name, ids[start : start + 5000]))
    return found


def exact_tops(vectors: dict[str, np.ndarray], queries: list[np.ndarray]) -> list[list[str]]:
    """The exact top 20 of each query (ties broken by id), from a brute-force scan."""
    ids = sorted(vectors)
    matrix = np.stack([vectors[i] for i in ids])
    return [[ids[i] for i in np.lexsort((np.arange(len(ids)), -(matrix @ q)))[:20]] for q in queries]


def results(lib: Library, queries: list[str], mode: str) -> list[list[str]]:
    return [[hit.paper.id for hit in lib.search(q, limit=20, mode=mode).hits] for q in queries]


def timed(label: str, call):
    started = time.perf_counter()
    value = call()
    seconds = time.perf_counter() - started
    print(f"{label:<58} {seconds:8.1f} s", flush=True)
    return value, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=Path("/work/scale"))
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--no-baseline", action="store_true", help="skip the row-by-row copy (several minutes)")
    parser.add_argument("--compare-only", action="store_true", help="compare the databases an earlier run left")
    args = parser.parse_args()
    if args.compare_only:
        a, pg, c = (
            f"sqlite:///{args.dir / 'roundtrip-a.db'}",
            f"{ADMIN}/paperradar_roundtrip",
            f"sqlite:///{args.dir / 'roundtrip-c.db'}",
        )
        sys.exit(compare(a, pg, c, args.queries))
    if not SOURCES["arxiv-daily-cs"].exists():
        sys.exit(f"{SOURCES['arxiv-daily-cs']} not found (the reference data lives in ../shared)")
    args.dir.mkdir(parents=True, exist_ok=True)
    first_url, back_url = fresh_sqlite(args.dir / "roundtrip-a.db"), fresh_sqlite(args.dir / "roundtrip-c.db")
    middle_url = fresh_postgres("paperradar_roundtrip")

    first = library(first_url)
    timed("import arxiv-daily-cs into SQLite", lambda: first.import_sources(first.sources([SOURCES["arxiv-daily-cs"]])))
    timed("embed it (hashing embedder)", first.embed_pending)
    first.close()
    summary, to_pg = timed(
        "copy SQLite -> PostgreSQL (bulk: HNSW built at the end)", lambda: Library.copy(first_url, middle_url)
    )
    timed("copy PostgreSQL -> SQLite", lambda: Library.copy(middle_url, back_url))
    print(f"copied {summary.copied:,} papers, {summary.embeddings:,} vectors, {summary.snapshots:,} citation snapshots")
    if not args.no_baseline:
        baseline_url = fresh_postgres("paperradar_roundtrip_rows")
        bulk = embedding_run.BULK_VECTORS
        embedding_run.BULK_VECTORS = 2**62  # never bulk: the HNSW index kept up row by row
        _, rows = timed(
            "baseline: copy SQLite -> PostgreSQL, HNSW upkept per row", lambda: Library.copy(first_url, baseline_url)
        )
        embedding_run.BULK_VECTORS = bulk
        drop_postgres("paperradar_roundtrip_rows")
        print(f"bulk vs row-by-row: x{rows / to_pg:.2f} faster")

    ok = compare(first_url, middle_url, back_url, args.queries)
    drop_postgres("paperradar_roundtrip")
    sys.exit(ok)


def compare(first_url: str, middle_url: str, back_url: str, count: int) -> int:
    """0 when both SQLite files hold the same counts and answer every query alike in every mode."""
    rng = random.Random(7)
    queries = [q["query"] for q in read_queries("arxiv-daily-cs")]
    records = list(raw_records("arxiv-daily-cs"))
    while len(queries) < count:
        queries.append(" ".join(rng.choice(records)["abstract"].split(". ")[0].split()[:12]))
    libraries = {name: library(url) for name, url in (("a", first_url), ("pg", middle_url), ("c", back_url))}
    for lib in (libraries["a"], libraries["c"]):
        lib.store.sync_text_index()  # the copy's indexes beside the file catch up now, not in a search
        lib.store.sync_vector_index(lib.embedder.name, lib.embedder.dimensions)
    same_counts = counts(libraries["a"]) == counts(libraries["c"]) == counts(libraries["pg"])
    print(f"counts identical on all three: {same_counts}")
    vectors = {name: all_vectors(lib) for name, lib in libraries.items()}
    same_vectors = all(
        vectors[name].keys() == vectors["a"].keys()
        and all(np.array_equal(vectors[name][k], v) for k, v in vectors["a"].items())
        for name in ("pg", "c")
    )
    print(f"every vector bit-identical on all three: {same_vectors}")
    failures = 0
    embedder = libraries["a"].embedder
    query_vectors = [embedder.embed_query(q) for q in queries]
    exact = {name: exact_tops(vectors[name], query_vectors) for name in ("a", "c")}
    same = sum(x == y for x, y in zip(exact["a"], exact["c"], strict=True))
    failures += len(queries) - same
    print(f"semantic, exact scan: {same}/{len(queries)} queries with identical top 20")
    first = {mode: results(libraries["a"], queries, mode) for mode in ("lexical", "semantic", "hybrid")}
    for mode, others in (("lexical", ("c", "pg")), ("semantic", ("c",)), ("hybrid", ("c",))):
        for other in others:
            theirs = results(libraries[other], queries, mode)
            same = sum(x == y for x, y in zip(first[mode], theirs, strict=True))
            failures += len(queries) - same
            print(f"{mode:<9} through the indexes, first SQLite vs {other}: {same}/{len(queries)} identical top 20")
    for mode in ("semantic", "hybrid"):
        theirs = results(libraries["pg"], queries, mode)
        overlap = sum(len(set(x) & set(y)) for x, y in zip(first[mode], theirs, strict=True)) / (20 * len(queries))
        print(f"{mode:<9} through pgvector's graph: top-20 overlap of the first SQLite with pg: {overlap:.3f}")
    for lib in libraries.values():
        lib.close()
    return 0 if same_counts and failures == 0 else 1


if __name__ == "__main__":
    main()
