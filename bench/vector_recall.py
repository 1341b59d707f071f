"""Recall of the vector indexes on real embeddings: hnswlib (SQLite) and pgvector's HNSW (PostgreSQL).

The scale benchmark times the graph walks on synthetic hashing vectors, on which any approximate
walk is inaccurate; this one measures what users get. Corpus: arxiv-daily-cs (74.7k papers) with
all-MiniLM-L6-v2 vectors (bench/corpora.py, cached). Queries: the 60 known-item queries and the
titles of random papers (as a user pasting a title), embedded by MiniLM. Each is searched through the
stores' `nearest` at the depths search uses (20: a page of semantic results; 100: hybrid's depth),
without a filter and with one a third of the papers pass. The truth is an exact numpy scan over the
papers that pass; recall@k is the share of its top k that the index returns.

PostgreSQL: the corpus is copied into a fresh database (`paperradar copy`, ~3 min). The store walks
in pgvector's relaxed order and sorts what it finds; the baseline in the same run is the same store
walking in strict order (the setting before), which re-walks the graph to keep exact order.

    nice -n 10 .venv/bin/python bench/vector_recall.py          # --queries 200 --keep (reuse the copy)
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import numpy as np
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from copy_roundtrip import ADMIN, all_vectors, fresh_postgres
from corpora import SOURCES, database_url, open_corpus, read_queries
from paperradar.errors import StoreError
from paperradar.models import Filters, Paper
from paperradar.search.modes import embed_query
from paperradar.service import Library
from paperradar.settings import load_settings
from paperradar.store.postgres import store as postgres_store

DATABASE = "paperradar_vector_recall"
HOME = Path(tempfile.gettempdir()) / "paperradar-recall-home"
DEPTHS = (20, 100)


def strict_configure(conn: psycopg.Connection) -> None:
    """The pooled connections' settings as they were: iterative scans in strict order."""
    conn.execute(f"SET hnsw.ef_search = {postgres_store.EF_SEARCH:d}")
    conn.execute("SET hnsw.iterative_scan = strict_order")


def third_filter(papers: list[Paper]) -> tuple[Filters, Callable[[str], bool]]:
    """A category filter that about a third of the papers pass, and the test it stands for."""
    counts: dict[str, int] = {}
    categories: dict[str, set[str]] = {}
    for paper in papers:
        categories[paper.id or ""] = set(paper.categories)
        for category in paper.categories:
            counts[category] = counts.get(category, 0) + 1
    total = len(categories)
    category = min(counts, key=lambda c: abs(counts[c] / total - 1 / 3))
    print(f"filter: category {category} ({counts[category] / total:.0%} of {total:,} papers)")
    return Filters(categories=(category,)), lambda pid: category in categories[pid]


def exact(matrix: np.ndarray, ids: list[str], allowed: np.ndarray, query: np.ndarray, k: int) -> list[str]:
    scores = np.where(allowed, matrix @ query, -np.inf)
    top = np.argpartition(-scores, k)[:k]
    return [ids[i] for i in top[np.argsort(-scores[top])]]


def measure(label: str, search: Callable[[np.ndarray, int], list[str]], queries: list[np.ndarray],
            truths: dict[int, list[list[str]]]) -> dict[int, tuple[float, float]]:  # fmt: skip
    """recall@k and p50 ms per depth, after 20 untimed queries that warm the index pages."""
    figures = {}
    for k in DEPTHS:
        for q in queries[:20]:
            search(q, k)
        recalls, times = [], []
        for q, truth in zip(queries, truths[k], strict=True):
            t0 = time.perf_counter()
            found = search(q, k)
            times.append((time.perf_counter() - t0) * 1000)
            recalls.append(len(set(found) & set(truth)) / k)
        figures[k] = (statistics.mean(recalls), statistics.median(times))
    cells = "  ".join(f"@{k}: recall {r:.3f}, p50 {t:6.1f} ms" for k, (r, t) in figures.items())
    print(f"{label:<52} {cells}", flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL copy; reuse it when present")
    args = parser.parse_args()
    if not SOURCES["arxiv-daily-cs"].exists():
        sys.exit(f"{SOURCES['arxiv-daily-cs']} not found (the reference data lives in ../shared)")
    sqlite = open_corpus("arxiv-daily-cs")
    embedder = sqlite.embedder
    vectors = all_vectors(sqlite)
    ids = sorted(vectors)
    matrix = np.stack([vectors[i] for i in ids])
    papers = list(sqlite.store.iter_papers(5000))
    filters, passes = third_filter(papers)
    allowed = {"": np.ones(len(ids), dtype=bool), "+filter": np.array([passes(i) for i in ids])}

    rng = random.Random(3)
    titles = [p.title for p in rng.sample(papers, args.queries)]
    texts = ([q["query"] for q in read_queries("arxiv-daily-cs")] + titles)[: args.queries]
    queries = [embed_query(embedder, text) for text in texts]

    url = f"{ADMIN}/{DATABASE}"
    reused = False
    if args.keep:
        try:
            with closing(Library.open(load_settings(database_url=url, home=str(HOME)))) as kept:
                reused = kept.store.count() == sqlite.store.count()
        except StoreError:  # absent or unusable: make it afresh
            reused = False
    if not reused:
        fresh_postgres(DATABASE)
        t0 = time.perf_counter()
        Library.copy(database_url("arxiv-daily-cs"), url)
        print(f"copied the corpus into PostgreSQL in {time.perf_counter() - t0:.0f} s")
    settings = load_settings(database_url=url, home=str(HOME))
    relaxed_library = Library.open(settings)
    configure = postgres_store._configure
    postgres_store._configure = strict_configure  # a second store whose pool walks in strict order
    strict_library = Library.open(settings)
    postgres_store._configure = configure
    relaxed, strict = relaxed_library.store, strict_library.store

    results = {}
    for label, use in (("", None), ("+filter", filters)):
        truths = {k: [exact(matrix, ids, allowed[label], q, k) for q in queries] for k in DEPTHS}
        scan = lambda q, k, a=allowed[label]: exact(matrix, ids, a, q, k)  # noqa: E731
        stores = (("SQLite, hnswlib", sqlite.store), ("PostgreSQL, relaxed order (ours)", relaxed),
                  ("PostgreSQL, strict order (before)", strict))  # fmt: skip
        for name, store in stores:
            search = lambda q, k, s=store, f=use: [pid for pid, _ in s.nearest(embedder.name, q, k, f)]  # noqa: E731
            results[(name, label)] = measure(f"{name} {label}".strip(), search, queries, truths)
        results[("exact", label)] = measure(f"baseline: exact numpy scan {label}".strip(), scan, queries, truths)

    print("\nratios to the exact scan's p50 (same run):")
    for (name, label), figures in results.items():
        base = results[("exact", label)]
        print(f"  {f'{name} {label}'.strip()}: " + ", ".join(f"@{k} x{figures[k][1] / base[k][1]:.2f}" for k in DEPTHS))
    for library in (relaxed_library, strict_library, sqlite):
        library.close()
    if not args.keep:
        with psycopg.connect(f"{ADMIN}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DATABASE}")


if __name__ == "__main__":
    main()
