"""Keyword search on PostgreSQL, 74.7k arxiv-daily-cs papers: BM25 from the tantivy index beside the
server (what `lexical` does now) against ts_rank_cd over every match (what it did, the baseline),
in the same run: latency of broad queries and of the known-item queries, and known-item quality.

Imports ../shared/data/arxiv-daily-cs into a fresh PostgreSQL database (no vectors), dropped at the end.

    nice -n 10 .venv/bin/python bench/keyword_postgres.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from copy_roundtrip import drop_postgres, fresh_postgres
from corpora import SOURCES, read_queries
from known_items import score
from paperradar.search.query import parse
from paperradar.service import Library
from paperradar.settings import load_settings
from search_speed import percentiles

BROAD = ["learning", "diffusion models", "neural networks", "large language models", "reinforcement learning"]
DEPTH = 100


def main() -> None:
    if not SOURCES["arxiv-daily-cs"].exists():
        sys.exit(f"{SOURCES['arxiv-daily-cs']} not found (the reference data lives in ../shared)")
    url = fresh_postgres("paperradar_keywords")
    with tempfile.TemporaryDirectory() as home:
        library = Library.open(load_settings(database_url=url, embedder="hashing", home=home))
        started = time.perf_counter()
        library.import_sources(library.sources([SOURCES["arxiv-daily-cs"]]))  # builds the BM25 index at the end
        print(f"import and index {library.store.count():,} papers: {time.perf_counter() - started:.0f} s")
        store = library.store
        systems = {
            "BM25 (tantivy beside the server)": lambda q, n: store.lexical(q, n),
            "baseline: ts_rank_cd over every match": lambda q, n: store.keyword(q, n, match_all=False),
        }
        known = read_queries("arxiv-daily-cs")
        print(f"{'system':<40} {'queries':<10} {'p50 ms':>8} {'p99 ms':>8} {'hit@10':>7} {'MRR':>6}")
        for name, search in systems.items():
            for label, texts in (("broad", BROAD * 4), ("known-item", [q["query"] for q in known])):
                took, ranks = [], []
                for text in texts:
                    t0 = time.perf_counter()
                    found = [pid for pid, _ in search(parse(text), DEPTH)]
                    took.append(time.perf_counter() - t0)
                    if label == "known-item":
                        target = next(q["target"] for q in known if q["query"] == text)
                        ranks.append(found.index(target) + 1 if target in found else None)
                p50, p99 = percentiles(took)
                quality = "{:>7.2f} {:>6.2f}".format(*score(ranks)) if ranks else ""
                print(f"{name:<40} {label:<10} {p50:8.1f} {p99:8.1f} {quality}")
        library.close()
    drop_postgres("paperradar_keywords")


if __name__ == "__main__":
    main()
