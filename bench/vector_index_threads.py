"""The vector index's build: one insert thread (what the store does) against all cores, same run.

hnswlib's parallel inserts race, so two builds of the same vectors make different graphs; with one
thread the graph is a function of the vectors and their order. This builds the index over the same
unit vectors twice each way and reports the build time and how many of the queries get a different
top 20 from the second build than from the first. Vectors: random unit vectors (high intrinsic
dimension, the hard case for a graph walk), queries near stored vectors.

    nice -n 10 .venv/bin/python bench/vector_index_threads.py [--vectors 50000]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from paperradar.store import vector_index
from paperradar.store.vector_index import VectorIndex


def build(vectors: np.ndarray, threads: int) -> tuple[VectorIndex, float]:
    vector_index.BUILD_THREADS = threads
    index = VectorIndex("bench", vectors.shape[1])
    labels = np.arange(1, len(vectors) + 1, dtype=np.int64)
    started = time.perf_counter()
    for part in np.array_split(np.arange(len(vectors)), max(1, len(vectors) // 256)):  # as embedding batches
        index.add(labels[part], vectors[part], last_seq=int(part[-1]) + 1)
    return index, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vectors", type=int, default=50_000)
    parser.add_argument("--dimensions", type=int, default=384)
    parser.add_argument("--queries", type=int, default=500)
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    vectors = rng.standard_normal((args.vectors, args.dimensions)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    queries = vectors[: args.queries] + 0.5 * rng.standard_normal((args.queries, args.dimensions)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    cores = os.cpu_count() or 1
    print(f"{args.vectors:,} vectors of {args.dimensions} dimensions, {args.queries} queries, top 20")
    print(f"{'inserts':<28} {'build 1 s':>9} {'build 2 s':>9} {'queries differing':>18}")
    times = {}
    for label, threads in (("one thread (the store's)", 1), (f"all {cores} cores (baseline)", -1)):
        first, seconds_1 = build(vectors, threads)
        second, seconds_2 = build(vectors, threads)
        differ = sum(first.search(q, 20) != second.search(q, 20) for q in queries)
        times[threads] = (seconds_1 + seconds_2) / 2
        print(f"{label:<28} {seconds_1:>9.1f} {seconds_2:>9.1f} {differ:>12}/{args.queries}")
    print(f"one thread takes x{times[1] / times[-1]:.2f} the time of all cores")


if __name__ == "__main__":
    main()
