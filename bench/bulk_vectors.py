"""Writing vectors into PostgreSQL: row-by-row HNSW upkeep (the baseline) against a bulk load that
drops the index and builds it once at the end (`store.bulk_vectors()`), in the same run, on the
same papers and vectors (random unit vectors, 384 dimensions).

    nice -n 10 .venv/bin/python bench/bulk_vectors.py [--papers 10000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from copy_roundtrip import drop_postgres, fresh_postgres
from paperradar.models import Paper, fingerprint
from paperradar.store import open_store

MODEL = "bench-384"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=10_000)
    args = parser.parse_args()
    store = open_store(fresh_postgres("paperradar_bulk_vectors"))
    with store.transaction():
        store.insert_papers([Paper(title=f"paper {i}", id=f"b{i}") for i in range(args.papers)])
        store.add_keys([(f"b{i}", f"title:{fingerprint(f'paper {i}')}", None) for i in range(args.papers)])
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(args.papers, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    rows = [(f"b{i}", "h", vectors[i]) for i in range(args.papers)]

    def write() -> None:
        for start in range(0, len(rows), 1000):
            with store.transaction():
                store.put_embeddings(MODEL, rows[start : start + 1000])

    started = time.perf_counter()
    write()
    per_row = time.perf_counter() - started
    store.drop_embeddings_except("none")
    started = time.perf_counter()
    with store.bulk_vectors():
        write()
        written = time.perf_counter() - started
    bulk = time.perf_counter() - started
    found = store.nearest(MODEL, vectors[7], 1)
    store.close()
    drop_postgres("paperradar_bulk_vectors")
    print(f"{args.papers:,} vectors into PostgreSQL")
    each = 1000 / args.papers
    print(f"baseline: HNSW kept up row by row  {per_row:8.1f} s ({per_row * each:.2f} ms a vector)")
    print(f"bulk: write {written:.1f} s + build {bulk - written:.1f} s = {bulk:.1f} s ({bulk * each:.2f} ms a vector)")
    print(f"bulk vs row by row: x{per_row / bulk:.1f} faster; finds its own vector: {found[0][0] == 'b7'}")


if __name__ == "__main__":
    main()
