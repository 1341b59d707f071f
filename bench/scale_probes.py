"""Probes of a kept scale database: the figures docs/benchmarks.md quotes from the 1M runs beside scale.py's.

Runs on the database a `bench/scale.py --keep` run left in --dir (synthetic papers with hashing
vectors), in process, each probe with its baseline in the same run:
- vector reads: `store.embeddings` for 5,000 random papers in one call (what similar papers,
  recommendations and `paperradar copy` do), against reading the same vectors one id a call;
- the vector walk's recall@100 against an exact numpy scan over every vector (the baseline), on 30
  queries (hashing vectors of real paper titles);
- PostgreSQL only: a filtered walk for 100 papers (a third of the papers pass) in relaxed order (the
  store's setting) against strict order (the setting before, bench/vector_recall.py's baseline);
- --merged-keyword-index: keyword searches against the index as built, then against one rebuilt with
  a 2 GB writer heap (fewer segments), then the index is rebuilt as the store builds it.

    nice -n 10 .venv/bin/python bench/scale_probes.py --backend sqlite --papers 1000000 --dir /work/scale
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from paperradar.embed.hashing import HashingEmbedder
from paperradar.models import Filters
from paperradar.search.query import parse
from paperradar.service import Library
from paperradar.settings import load_settings
from paperradar.store import text_index
from scale import ADMIN, FILTER
from trending import timed as median_ms  # median ms of n calls after warming

EMBEDDER = HashingEmbedder(384)
READ = 5_000
QUERIES = 30


def vector_reads(store, ids: list[str]) -> None:
    rng = random.Random(5)
    wanted = rng.sample(ids, min(READ, len(ids)))
    at_once = median_ms(lambda: store.embeddings(EMBEDDER.name, wanted), 5)
    one_by_one = median_ms(lambda: [store.embedding(EMBEDDER.name, pid) for pid in wanted], 3)
    print(f"vector reads, {len(wanted):,} ids: in one call {at_once:.1f} ms; baseline, one id a call: "
          f"{one_by_one:.1f} ms ({one_by_one / at_once:.2f}x the time)")  # fmt: skip


def walk_recall(store, ids: list[str], titles: list[str]) -> None:
    found: dict[str, np.ndarray] = {}
    started = time.perf_counter()
    for start in range(0, len(ids), READ):
        found.update(store.embeddings(EMBEDDER.name, ids[start : start + READ]))
    matrix = np.stack([found[i] for i in ids]).astype(np.float32)
    print(f"  (read {len(ids):,} vectors back in {time.perf_counter() - started:.0f} s)", file=sys.stderr)
    recalls, walk_ms, scan_ms = [], [], []
    for title in titles:
        vector = EMBEDDER.embed_query(title)
        t0 = time.perf_counter()
        walked = {pid for pid, _ in store.nearest(EMBEDDER.name, vector, 100)}
        t1 = time.perf_counter()
        scores = matrix @ vector
        exact = {ids[i] for i in np.argpartition(-scores, 100)[:100]}
        t2 = time.perf_counter()
        recalls.append(len(walked & exact) / 100)
        walk_ms.append((t1 - t0) * 1000)
        scan_ms.append((t2 - t1) * 1000)
    walk, scan = statistics.median(walk_ms), statistics.median(scan_ms)
    print(f"vector walk recall@100 against the exact scan ({len(titles)} queries): {statistics.mean(recalls):.3f}; "
          f"walk p50 {walk:.1f} ms, baseline scan p50 {scan:.1f} ms")  # fmt: skip


def walk_order(url: str, home: str, titles: list[str]) -> None:
    from paperradar.store.postgres import store as postgres_store
    from vector_recall import strict_configure

    filters = Filters(**FILTER)
    vectors = [EMBEDDER.embed_query(t) for t in titles]
    relaxed = Library.open(load_settings(database_url=url, embedder="hashing", home=home))
    configure = postgres_store._configure
    postgres_store._configure = strict_configure  # a second store whose pool walks in strict order
    try:
        strict = Library.open(load_settings(database_url=url, embedder="hashing", home=home))
    finally:
        postgres_store._configure = configure
    times: dict[str, list[float]] = {"relaxed order (ours)": [], "baseline: strict order (before)": []}
    pair = (("relaxed order (ours)", relaxed), ("baseline: strict order (before)", strict))
    for number, vector in enumerate(vectors * 2):  # each first in turn, so neither always warms pages for the other
        for label, library in pair[:: 1 if number % 2 else -1]:
            started = time.perf_counter()
            library.store.nearest(EMBEDDER.name, vector, 100, filters)
            times[label].append((time.perf_counter() - started) * 1000)
    relaxed.close()
    strict.close()
    ours, before = (statistics.median(samples) for samples in times.values())
    print(f"filtered walk ({FILTER}), 100 papers: relaxed {ours:.1f} ms, baseline strict {before:.1f} ms "
          f"({before / ours:.2f}x)")  # fmt: skip


def merged_keyword_index(store, titles: list[str]) -> None:
    queries = [parse(" ".join(t.split()[:8])) for t in titles]

    def search() -> None:
        for query in queries:
            store.lexical(query, 20)

    def segments() -> int:
        return store._loaded_text_index()._index.searcher().num_segments  # the bench looks inside

    as_built = median_ms(search, 5) / len(queries)
    built_segments = segments()
    heap = text_index.WRITER_HEAP
    text_index.WRITER_HEAP = 2_000_000_000
    try:
        store.rebuild_text_index()
        merged = median_ms(search, 5) / len(queries)
        merged_segments = segments()
    finally:
        text_index.WRITER_HEAP = heap
        store.rebuild_text_index()
    print(f"keyword search p50 per query: as built ({built_segments} segments, baseline) {as_built:.2f} ms; "
          f"2 GB writer heap ({merged_segments} segments) {merged:.2f} ms")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres"), required=True)
    parser.add_argument("--papers", type=int, required=True, help="the size of the kept database")
    parser.add_argument("--dir", type=Path, default=Path("/work/scale"))
    parser.add_argument("--merged-keyword-index", action="store_true", help="also rebuild the keyword index twice")
    args = parser.parse_args()
    url = (f"sqlite:///{args.dir / f'scale-{args.papers}.db'}" if args.backend == "sqlite"
           else f"{ADMIN}/paperradar_scale_{args.papers}")  # fmt: skip
    home = str(args.dir / "home")
    if args.backend == "sqlite" and not (args.dir / f"scale-{args.papers}.db").exists():
        sys.exit(f"no kept database in {args.dir}: run bench/scale.py --backend sqlite --papers {args.papers} --keep")
    library = Library.open(load_settings(database_url=url, embedder="hashing", home=home))
    store = library.store
    papers = list(store.iter_papers(5000))
    ids = [paper.id or "" for paper in papers]
    titles = [paper.title for paper in random.Random(3).sample(papers, QUERIES)]
    del papers
    print(f"{args.backend}, {len(ids):,} synthetic papers (a kept bench/scale.py database)")
    vector_reads(store, ids)
    walk_recall(store, ids, titles)
    if args.backend == "postgres":
        walk_order(url, home, titles)
    if args.merged_keyword_index:
        merged_keyword_index(store, titles)
    library.close()


if __name__ == "__main__":
    main()
