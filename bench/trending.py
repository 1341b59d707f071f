"""Trending in process on the 74.7k corpus: the short path for papers with no signals, against the full formula.

Most papers of a period have no upvotes, stars, citations, votes or saves: `rank/trending.py` scores
them by their listing alone (`_listed_only`), skipping the signal arithmetic. The baseline in the
same run is the full formula for every paper: each paper's evidence carries one inert mark (an
engagement kind the formula does not count), so `trend` takes its long way and, as the run checks,
gives the same scores and order. `Library.trending` for the week and the month to the newest listing
day, each call timed after warming; in the same run, the part of it that reads the evidence from the
store. The corpus (../shared/data/arxiv-daily-cs) is imported once into a temporary SQLite file
without embeddings.

    nice -n 10 .venv/bin/python bench/trending.py [--calls 20]
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpora import SOURCES
from paperradar.models import Filters
from paperradar.rank import daily
from paperradar.rank.trending import Weights, Window
from paperradar.service import Library
from paperradar.settings import load_settings

INERT = "bench-inert"  # an engagement kind the formula never counts


@contextlib.contextmanager
def full_formula():
    """Every paper's evidence non-empty, so `trend` never takes the short path."""
    reads = daily._evidence

    def marked(store, listed, until):
        found = reads(store, listed, until)
        for evidence in found:
            evidence.engagement.append((INERT, until))  # each paper's own list: cheaper than a copy
        return found

    daily._evidence = marked
    try:
        yield
    finally:
        daily._evidence = reads


def timed(call: Callable[[], object], calls: int) -> float:
    """Median ms of `calls` calls, after two warming ones."""
    for _ in range(2):
        call()
    samples = []
    for _ in range(calls):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20)
    args = parser.parse_args()
    if not SOURCES["arxiv-daily-cs"].exists():
        sys.exit(f"{SOURCES['arxiv-daily-cs']} not found (the reference data lives in ../shared)")
    with tempfile.TemporaryDirectory() as folder:
        library = Library.open(load_settings(database_url=f"sqlite:///{folder}/trending.db", home=folder))
        started = time.perf_counter()
        library.import_sources(library.sources([SOURCES["arxiv-daily-cs"]]))
        print(f"imported {library.store.count():,} papers in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        end = daily.default_day(library.store, library.today())
        print(f"Library.trending to {end}, median of {args.calls} calls, ms")
        print(f"{'window':<7} {'papers':>7} {'baseline: full formula':>23} {'ours: short path':>17} {'ratio':>6}"
              f" {'reading the evidence':>21}")  # fmt: skip
        for name in ("week", "month"):
            window = Window.of(name, end)
            store = library.store
            with full_formula():
                full = timed(lambda: library.trending(name, end, limit=25), args.calls)  # noqa: B023
                long_way = daily.trending(store, window, Weights(), Filters())
            short = timed(lambda: library.trending(name, end, limit=25), args.calls)  # noqa: B023
            short_way = daily.trending(store, window, Weights(), Filters())
            if [(t.paper_id, t.score) for t in long_way] != [(t.paper_id, t.score) for t in short_way]:
                sys.exit(f"{name}: the short path ranked differently from the full formula")
            active = store.active(window.start, window.end, None)
            reading = timed(lambda: daily._evidence(store, store.active(window.start, window.end, None), window.end),  # noqa: B023
                            args.calls)  # fmt: skip
            print(f"{name:<7} {len(active):>7,} {full:>23.1f} {short:>17.1f} {full / short:>5.2f}x {reading:>21.1f}")
        library.close()
    print("the same papers, scores and order both ways: yes")


if __name__ == "__main__":
    main()
