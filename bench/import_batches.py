"""Import by batch against record at a time, on SQLite and PostgreSQL, in the same run.

The importer merges each batch of 2,000 records with a few statements: one read of every candidate
and id, then the inserts, updates, keys and snapshots. The baseline is the same importer handing the
store one record at a time inside the same 2,000-record transactions (what import did before): a
candidates read, an id check, the insert, its keys and its snapshot per record. Both import the first
--records records of arxiv-daily-cs (../shared/data) into a fresh database, without embeddings; the
figure is papers per second and the ratio between the two.

    nice -n 10 .venv/bin/python bench/import_batches.py [--records 20000] [--backend both]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from copy_roundtrip import drop_postgres, fresh_postgres
from corpora import SOURCES
from paperradar.ingest.batch import merge_batch
from paperradar.ingest.importer import BATCH_SIZE, import_records
from paperradar.service import Library
from paperradar.settings import load_settings
from paperradar.sources.base import BadRecord


def records(library: Library, count: int) -> list:
    source = library.sources([SOURCES["arxiv-daily-cs"]])[0]
    return [item for item in itertools.islice(source.read(), count) if not isinstance(item, BadRecord)]


def by_batch(library: Library, items: list) -> float:
    started = time.perf_counter()
    import_records(library.store, iter(items))
    return time.perf_counter() - started


def record_at_a_time(library: Library, items: list) -> float:
    started = time.perf_counter()
    for start in range(0, len(items), BATCH_SIZE):
        with library.store.transaction():
            for item in items[start : start + BATCH_SIZE]:
                merge_batch(library.store, [item.paper])
    return time.perf_counter() - started


def url_for(backend: str, name: str, folder: str) -> str:
    return f"sqlite:///{folder}/{name}.db" if backend == "sqlite" else fresh_postgres(f"paperradar_import_{name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    args = parser.parse_args()
    if not SOURCES["arxiv-daily-cs"].exists():
        sys.exit(f"{SOURCES['arxiv-daily-cs']} not found (the reference data lives in ../shared)")
    backends = ("sqlite", "postgres") if args.backend == "both" else (args.backend,)
    print(f"{'backend':<10} {'how':<20} {'papers':>8} {'seconds':>8} {'papers/s':>9}")
    with tempfile.TemporaryDirectory() as folder:
        for backend in backends:
            rates = {}
            for name, run in (("record at a time", record_at_a_time), ("by batch", by_batch)):
                slug = name.replace(" ", "_")
                library = Library.open(load_settings(database_url=url_for(backend, slug, folder), home=folder))
                items = records(library, args.records)
                seconds = run(library, items)
                papers = library.stats().papers
                library.close()
                if backend == "postgres":
                    drop_postgres(f"paperradar_import_{slug}")
                rates[name] = papers / seconds
                print(f"{backend:<10} {name:<20} {papers:>8,} {seconds:>8.1f} {rates[name]:>9,.0f}", flush=True)
            print(f"{backend:<10} by batch / record at a time: x{rates['by batch'] / rates['record at a time']:.2f}")


if __name__ == "__main__":
    main()
