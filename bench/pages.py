"""Server-side page latency per page type on the 74.7k corpus, in-process and over HTTP, and throughput at 20 clients.

Uses bench/corpora.py's cached MiniLM database of ../shared/data/arxiv-daily-cs when it exists; otherwise
imports the corpus once into a cache of its own and embeds it with the hashing embedder (the output says
which: hybrid search and the paper page's similar papers cost less with hashing vectors than with MiniLM,
whose query embedding is ~10 ms; see bench/search_speed.py). The baseline measured in the same run is
the cheapest answer the app gives, /static/style.css; every page is reported as a ratio to it.
In-process: the time inside the ASGI app, from the call to the last body byte. HTTP: `paperradar serve`
on loopback, one request at a time, then 20 concurrent clients for a bounded time (wrk when Debian's
`wrk` is installed, else an httpx async loop bounded in requests and seconds).

    .venv/bin/python bench/pages.py [--samples 200] [--load-requests 2000] [--load-seconds 10] [--only TYPE ...]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote_plus

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpora import CACHE, database_url, open_corpus, read_queries
from paperradar.models import Filters
from paperradar.service import Library, cursor
from paperradar.settings import load_settings
from paperradar.store.base import latest_key
from paperradar.web.app import create_app

CORPUS = "arxiv-daily-cs"
GOAL_MS = 100.0
CLIENTS = 20
FLOOR = "static /static/style.css (floor)"
LOADED = [FLOOR, "daily", "search lexical", "search hybrid", "paper (with similar)", "latest", "feed daily rss"]


def open_pages_corpus() -> tuple[Library, str, str]:
    """The corpus as (library, database url, embedder name): MiniLM if bench/corpora.py built it, else hashing."""
    embedder = "minilm" if (CACHE / f"{CORPUS}.db").exists() else "hashing"
    library = open_corpus(CORPUS, embedder)
    library.store.sync_text_index()
    library.store.sync_vector_index(library.embedder.name, library.embedder.dimensions)
    return library, database_url(CORPUS, embedder), embedder


def page_types(library: Library, samples: int) -> dict[str, list[str]]:
    """Each page type as `samples` URLs (distinct searches and papers, so no cache answers twice)."""
    newest = library.daily().period
    if newest is None:
        sys.exit("the corpus has no listing dates: the daily pages would be empty")
    day, (iso_year, week, _) = newest.end, newest.end.isocalendar()
    rng = random.Random(7)
    queries = [q["query"] for q in read_queries(CORPUS)]
    queries = [rng.choice(queries) + f" {i}" for i in range(samples)]  # a suffix keeps each one distinct
    ids = [hit.paper.id for hit in library.latest(limit=1000).hits]
    year = newest.end.year
    # /latest pages on by cursor from the last paper shown: cursors of papers at random depths in the listing.
    depths = sorted(rng.randrange(library.paper_count()) for _ in range(samples))
    deep = [f"/latest?after={cursor.encode(latest_key(*library.store.latest(Filters(), 1, d)[0]))}" for d in depths]
    types = {
        "static /static/style.css (floor)": ["/static/style.css"],
        "api /api/stats": ["/api/stats"],
        "daily": [f"/daily/{day}"],
        "weekly": [f"/weekly/{iso_year}-W{week:02d}"],
        "trending (week)": [f"/trending?window=week&day={day}"],
        "search lexical": [f"/search?mode=lexical&q={quote_plus(q)}" for q in queries],
        "search hybrid": [f"/search?mode=hybrid&q={quote_plus(q)}" for q in queries],
        "paper (with similar)": [f"/papers/{rng.choice(ids)}" for _ in range(samples)],
        "latest": ["/latest"],
        "latest page 40 (offset 975)": ["/latest?page=40"],
        "latest deep (by cursor)": deep,
        "api /api/latest": ["/api/latest"],
        "best year": [f"/best/{year - 1}"],
        "best range": [f"/best?since={year - 5}&until={year}"],
        "feed daily rss": [f"/daily/{day}?format=rss"],
        "feed trending atom": [f"/trending?window=week&day={day}&format=atom"],
        "feed search json": [f"/search?mode=lexical&format=json&q={quote_plus(q)}" for q in queries],
    }
    return {name: [urls[i % len(urls)] for i in range(samples)] for name, urls in types.items()}


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000


class Timed:
    """An ASGI wrapper that records the time from the app's call to its last body message."""

    def __init__(self, app) -> None:
        self.app, self.last = app, 0.0

    async def __call__(self, scope, receive, send) -> None:
        started = time.perf_counter()

        async def timed_send(message) -> None:
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                self.last = time.perf_counter() - started

        await self.app(scope, receive, timed_send)


def in_process(library: Library, url: str, embedder: str, types: dict[str, list[str]]) -> dict[str, list[float]]:
    from fastapi.testclient import TestClient

    timed = Timed(create_app(load_settings(database_url=url, embedder=embedder), library))
    found: dict[str, list[float]] = {}
    with TestClient(timed) as client:  # type: ignore[arg-type]
        for urls in types.values():  # warm: load indexes and the model, fill the page caches a visitor would
            client.get(urls[0]).raise_for_status()
        for name, urls in types.items():
            for path in urls:
                client.get(path).raise_for_status()
                found.setdefault(name, []).append(timed.last)
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def load_loop(base: str, urls: list[str], clients: int, most: int, seconds: float) -> tuple[int, float, int]:
    """(answered, seconds, errors) with `clients` concurrent connections, stopping at `most` or `seconds`."""
    queue = iter(urls * (most // len(urls) + 1))
    sent = errors = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:

        async def one_client() -> None:
            nonlocal sent, errors
            while sent < most and time.perf_counter() < deadline:
                sent += 1
                response = await client.get(next(queue))
                errors += response.status_code != 200

        started = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(clients)))
        return sent, time.perf_counter() - started, errors


def wrk(base: str, path: str, clients: int, seconds: float) -> tuple[int, float, int]:
    """(answered, seconds, errors) from wrk (Debian's `wrk`) holding `clients` connections open on one URL."""
    out = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{max(1, int(seconds))}s", base + path],
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    done = int(re.search(r"(\d+) requests in", out).group(1))
    took = float(re.search(r"requests in ([\d.]+)s", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return done, took, int(bad.group(1)) if bad else 0


def over_http(url: str, embedder: str, types: dict[str, list[str]], args) -> tuple[dict, dict]:
    port = free_port()
    env = {**os.environ, "PAPERRADAR_DATABASE_URL": url, "PAPERRADAR_EMBEDDER": embedder}
    server = subprocess.Popen([sys.executable, "-m", "paperradar", "serve", "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    latency: dict[str, list[float]] = {}
    throughput: dict[str, tuple[int, float, int]] = {}
    try:
        client = httpx.Client(base_url=base, timeout=60)
        for _ in range(600):
            try:
                client.get("/api/stats")
                break
            except httpx.TransportError:
                time.sleep(0.1)
        for urls in types.values():
            client.get(urls[0]).raise_for_status()
        for name, urls in types.items():
            for path in urls:
                started = time.perf_counter()
                client.get(path).raise_for_status()
                latency.setdefault(name, []).append(time.perf_counter() - started)
        client.close()
        for name in (n for n in LOADED if n in types):
            if shutil.which("wrk"):  # one URL per type: a repeated search is answered as a new one (no result cache)
                throughput[name] = wrk(base, types[name][0], CLIENTS, args.load_seconds)
            else:
                throughput[name] = asyncio.run(
                    load_loop(base, types[name], CLIENTS, args.load_requests, args.load_seconds)
                )
    finally:
        server.terminate()
        server.wait(timeout=30)
    return latency, throughput


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=200, help="requests per page type and way of measuring")
    parser.add_argument("--load-requests", type=int, default=2000, help="at most this many requests per load run")
    parser.add_argument("--load-seconds", type=float, default=10.0, help="at most this long per load run")
    parser.add_argument("--only", nargs="+", metavar="TYPE", help="just these page types (the floor is always run)")
    args = parser.parse_args()
    library, url, embedder = open_pages_corpus()
    papers = library.store.count()
    types = page_types(library, args.samples)
    if args.only:
        unknown = set(args.only) - set(types)
        if unknown:
            sys.exit(f"--only: no page type {sorted(unknown)}; there are {sorted(types)}")
        types = {name: urls for name, urls in types.items() if name == FLOOR or name in args.only}
    inside = in_process(library, url, embedder, types)
    library.close()
    http, load = over_http(url, embedder, types, args)

    floor = percentiles(inside[FLOOR])[0]
    print(f"Pages, {papers:,} papers ({CORPUS}), embedder {embedder}, {args.samples} requests per type, warm")
    print(f"{'page type':<34} {'in-app p50':>10} {'p99':>8} {'x floor':>8} {'HTTP p50':>9} {'p99':>8}  goal")
    for name, samples in inside.items():
        p50, p99 = percentiles(samples)
        h50, h99 = percentiles(http[name])
        verdict = "met" if p99 < GOAL_MS else "MISSED"
        print(f"{name:<34} {p50:10.2f} {p99:8.2f} {p50 / floor:8.1f} {h50:9.2f} {h99:8.2f}  {verdict}")
    tool = "wrk -t2" if shutil.which("wrk") else f"an httpx load loop (at most {args.load_requests} requests)"
    print(f"Throughput, {CLIENTS} concurrent clients over loopback, {tool}, {args.load_seconds:.0f} s per type "
          "(the load tool shares the machine's cores with the server)")  # fmt: skip
    base_rate = load[FLOOR][0] / load[FLOOR][1]
    for name, (done, seconds, errors) in load.items():
        rate = done / seconds
        print(f"{name:<34} {rate:8.0f} req/s  {rate / base_rate:5.2f}x floor  {errors} errors")


if __name__ == "__main__":
    main()
