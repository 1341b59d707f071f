"""Import by batch against a per-row import, on SQLite and PostgreSQL, in the same run.

The importer merges each batch of 2,000 records with a few statements (`ingest/batch.py`): one read
of every candidate and id, then the inserts, updates, keys and snapshots. The baselines are a
per-row import written here from the store's single-record calls, as import ran before batches
(`git show 7748182^:src/paperradar/ingest/importer.py`): per record, its candidates
(`store.candidates`), an id check, the insert or update of that one paper, its keys and its
citation snapshot (`store.add_citation_snapshot`), five or six statements a paper. It runs twice:
each record in a transaction of its own (what a naive per-row importer does), and in 2,000-record
transactions (what import did, so the statements alone are compared). Every way imports the first
--records records of arxiv-daily-cs (../shared/data) into a fresh database without embeddings; the
run checks that they stored the same papers under the same ids and keys. Figures: papers per
second and the ratio of by batch to each baseline. --phases adds where a batch's time goes, per
store call.

    nice -n 10 .venv/bin/python bench/import_batches.py [--records 20000] [--backend both] [--phases]
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import secrets
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from copy_roundtrip import drop_postgres, fresh_postgres
from corpora import SOURCES
from paperradar.ingest.batch import written_keys
from paperradar.ingest.importer import BATCH_SIZE, import_records
from paperradar.ingest.merge import choose, merge
from paperradar.models import Paper, fingerprint, public_id_for
from paperradar.service import Library
from paperradar.settings import load_settings
from paperradar.sources.base import BadRecord, Record
from paperradar.store.base import Store

# The store calls a batch makes, timed one by one under --phases.
BATCH_CALLS = ("candidates_for", "taken_ids", "insert_papers", "update_papers", "add_keys", "add_citation_snapshots")


def records(library: Library, count: int) -> list[Record]:
    source = library.sources([SOURCES["arxiv-daily-cs"]])[0]
    return [item for item in itertools.islice(source.read(), count) if not isinstance(item, BadRecord)]


def upsert_row(store: Store, record: Paper) -> None:
    """One record through the store's single-record reads and one-paper writes (the importer before
    batches): its candidates, a free id, the insert or the update, its keys, its snapshot."""
    key = fingerprint(record.title)
    existing = choose(store.candidates(record.arxiv_id, record.doi, key), record)
    if existing is None:
        wanted = public_id_for(record.arxiv_id, record.doi, key, record.year)
        record.id, n = wanted, 1
        while store.taken_ids([record.id]):  # an unrelated paper holds the id: wanted-2, -3, ...
            n += 1
            record.id = f"{wanted}-{n}"
        store.insert_papers([record])
        paper, changed = record, True
    else:
        paper = merge(existing, record)
        changed = paper != existing
        if changed:
            store.update_papers([paper])
    if changed:
        store.add_keys(written_keys(paper, key))
    if record.citations is not None and paper.id is not None:
        store.add_citation_snapshot(paper.id, record.citations)


def per_row_each_committed(library: Library, items: list[Record]) -> float:
    started = time.perf_counter()
    for item in items:
        with library.store.transaction():
            upsert_row(library.store, item.paper)
    library.store.sync_text_index()
    return time.perf_counter() - started


def per_row_in_batches(library: Library, items: list[Record]) -> float:
    started = time.perf_counter()
    for start in range(0, len(items), BATCH_SIZE):
        with library.store.transaction():
            for item in items[start : start + BATCH_SIZE]:
                upsert_row(library.store, item.paper)
    library.store.sync_text_index()
    return time.perf_counter() - started


def by_batch(library: Library, items: list[Record]) -> float:
    started = time.perf_counter()
    import_records(library.store, iter(items))  # syncs the keyword index after each batch
    library.store.sync_text_index()
    return time.perf_counter() - started


WAYS: dict[str, Callable[[Library, list[Record]], float]] = {
    "baseline: per row, each committed": per_row_each_committed,
    "baseline: per row, 2,000 a commit": per_row_in_batches,
    "by batch (ours)": by_batch,
}


@contextlib.contextmanager
def timed_calls(store: Store, totals: dict[str, float]):
    """Time the store's batch calls on this instance (--phases); the instance's own methods come back after."""

    def wrap(name: str, call: Callable) -> Callable:
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return call(*args, **kwargs)
            finally:
                totals[name] = totals.get(name, 0.0) + time.perf_counter() - started

        return timed

    for name in BATCH_CALLS:
        setattr(store, name, wrap(name, getattr(store, name)))
    try:
        yield
    finally:
        for name in BATCH_CALLS:
            delattr(store, name)


def stored(library: Library) -> tuple:
    """What an import leaves that the ways must agree on: every paper's id and fields, and its keys."""
    papers = sorted((p.id or "", p.title, p.abstract, p.year, tuple(p.authors)) for p in library.store.iter_papers())
    keys = library.store.identity_keys([p[0] for p in papers])
    return papers, sorted((pid, tuple(found)) for pid, found in keys.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--phases", action="store_true", help="also time each store call of the batch import")
    args = parser.parse_args()
    if not SOURCES["arxiv-daily-cs"].exists():
        sys.exit(f"{SOURCES['arxiv-daily-cs']} not found (the reference data lives in ../shared)")
    backends = ("sqlite", "postgres") if args.backend == "both" else (args.backend,)
    print(f"{'backend':<10} {'how':<36} {'papers':>8} {'seconds':>8} {'papers/s':>9}")
    token = secrets.token_hex(3)  # several runs may share the server
    with tempfile.TemporaryDirectory() as folder:
        for backend in backends:
            rates: dict[str, float] = {}
            outcomes: dict[str, tuple] = {}
            phases: dict[str, float] = {}
            for number, (name, run) in enumerate(WAYS.items()):
                slug = f"import_{number}_{token}"
                url = f"sqlite:///{folder}/{slug}.db" if backend == "sqlite" else fresh_postgres(f"paperradar_{slug}")
                try:
                    library = Library.open(load_settings(database_url=url, home=f"{folder}/{slug}"))
                    items = records(library, args.records)
                    timing = args.phases and run is by_batch
                    with timed_calls(library.store, phases) if timing else contextlib.nullcontext():
                        seconds = run(library, items)
                    outcomes[name] = stored(library)
                    papers = len(outcomes[name][0])
                    library.close()
                finally:
                    if backend == "postgres":
                        drop_postgres(f"paperradar_{slug}")
                rates[name] = papers / seconds
                print(f"{backend:<10} {name:<36} {papers:>8,} {seconds:>8.1f} {rates[name]:>9,.0f}", flush=True)
                if phases:
                    for call, spent in phases.items():
                        print(f"{'':<10}   of which {call:<25} {spent:>8.1f} s ({spent / seconds:.0%})")
                    rest = seconds - sum(phases.values())
                    print(f"{'':<10}   of which the rest{'':<17} {rest:>8.1f} s (merging, commits, indexing)")
            first = next(iter(outcomes.values()))
            same = all(outcome == first for outcome in outcomes.values())
            print(f"{backend:<10} the same papers, ids and keys every way: {'yes' if same else 'NO'}")
            for name in WAYS:
                if name != "by batch (ours)":
                    ratio = rates["by batch (ours)"] / rates[name]
                    print(f"{backend:<10} by batch / {name.removeprefix('baseline: ')}: x{ratio:.2f}")
            if not same:
                sys.exit("the ways stored different papers: the figures compare different work")


if __name__ == "__main__":
    main()
