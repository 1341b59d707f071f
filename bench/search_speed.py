"""Search latency over HTTP on the 74.7k corpus, beside the raw parts measured in the same run.

Starts `paperradar serve` on the embedded arxiv-daily-cs database (bench/corpora.py builds it once),
warms it, then sends each query once (distinct queries: the query-vector cache never helps) and
reports p50/p99 per mode. In the same run, in this process: the raw parts of a hybrid search
(MiniLM query embedding, the BM25 index query, the HNSW query), and arxiv-sanity-lite's scan (the
peer baseline). Ends with the server's peak memory (VmHWM).

    .venv/bin/python bench/search_speed.py [--queries 300]
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from arxiv_sanity import ArxivSanityScan
from corpora import database_url, open_corpus, raw_records, read_queries
from paperradar.embed import load_embedder
from paperradar.search.query import parse


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000


def query_set(count: int) -> list[str]:
    """Known-item queries plus natural-language queries made from random abstracts' first sentences."""
    queries = [q["query"] for q in read_queries("arxiv-daily-cs")]
    rng = random.Random(7)
    records = list(raw_records("arxiv-daily-cs"))
    while len(queries) < count:
        sentence = rng.choice(records)["abstract"].split(". ")[0]
        queries.append(" ".join(sentence.split()[:14]))
    return list(dict.fromkeys(queries))[:count]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    library = open_corpus("arxiv-daily-cs")
    library.store.sync_text_index()
    library.store.sync_vector_index(library.embedder.name, library.embedder.dimensions)
    papers = library.store.count()
    queries = query_set(args.queries)
    warmup = [f"warm up query number {i} about neural networks" for i in range(20)]

    port = free_port()
    env = {**os.environ, "PAPERRADAR_DATABASE_URL": database_url("arxiv-daily-cs"), "PAPERRADAR_EMBEDDER": "minilm"}
    server = subprocess.Popen(
        [sys.executable, "-m", "paperradar", "serve", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    results: dict[str, list[float]] = {}
    try:
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
        for _ in range(300):
            try:
                client.get("/api/stats")
                break
            except httpx.TransportError:
                time.sleep(0.1)
        for text in warmup:
            client.get("/api/search", params={"q": text, "mode": "hybrid"}).raise_for_status()
        for mode in ("hybrid", "lexical", "semantic"):
            for text in queries:
                # a different suffix per mode keeps every query's vector out of the server's cache
                started = time.perf_counter()
                client.get(
                    "/api/search", params={"q": f"{text} {mode[:3]}", "mode": mode, "limit": 20}
                ).raise_for_status()
                results.setdefault(f"HTTP /api/search mode={mode}", []).append(time.perf_counter() - started)
        status = Path(f"/proc/{server.pid}/status").read_text()
        peak_kb = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")))
        client.close()
    finally:
        server.terminate()
        server.wait(timeout=30)

    raw = load_embedder("minilm")  # no query cache: every call runs the model
    model = library.embedder.name
    for text in queries:
        started = time.perf_counter()
        vector = raw._embed_query(text)  # the path a search takes, without its cache
        results.setdefault("part: MiniLM query embedding (fp32, main thread)", []).append(time.perf_counter() - started)
        started = time.perf_counter()
        library.store.lexical(parse(text), 100)
        results.setdefault("part: BM25 index query (top 100)", []).append(time.perf_counter() - started)
        started = time.perf_counter()
        library.store.nearest(model, vector, 100)
        results.setdefault("part: HNSW query (top 100)", []).append(time.perf_counter() - started)
        started = time.perf_counter()
        library.store.keyword(parse(text), 100, match_all=False)
        results.setdefault("baseline: FTS5 BM25 OR query (top 100)", []).append(time.perf_counter() - started)
    scan = ArxivSanityScan(library.store.iter_papers())
    for text in queries[:30]:
        started = time.perf_counter()
        scan.search(text)
        results.setdefault("peer: arxiv-sanity-lite scan", []).append(time.perf_counter() - started)
    library.close()

    print(f"Search latency, {papers:,} papers, {len(queries)} distinct queries, warm server")
    print(f"{'what':<44} {'p50 ms':>8} {'p99 ms':>8}")
    for name, samples in results.items():
        p50, p99 = percentiles(samples)
        print(f"{name:<44} {p50:8.2f} {p99:8.2f}")
    print(f"server peak memory (VmHWM): {peak_kb / 1024:.0f} MB")


if __name__ == "__main__":
    main()
