"""`paperradar copy`: the seed corpus goes SQLite → PostgreSQL → SQLite whole, resumably, and searches alike."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

import pytest

from paperradar.embed import HashingEmbedder
from paperradar.ingest.copy import copy_store
from paperradar.models import CitationCount
from paperradar.models.signal import Signal
from paperradar.service import Library
from paperradar.settings import load_settings
from paperradar.store import Store, open_store

QUERIES = ["lottery ticket", "sparse neural network pruning", '"language model" -vision', "diffusion year:2021"]


def _decorate(store: Store) -> None:
    """Signals and snapshot history on a few papers, so the copy has them to carry."""
    ids = [p.id for p in store.iter_papers(batch_size=5)][:5]
    with store.transaction():
        for n, pid in enumerate(ids):
            store.add_signal(pid, Signal("huggingface", "hf_upvotes", n, date(2026, 3, 1), "https://hf", {"n": n}))
            store.add_citation_snapshot(pid, CitationCount(10 + n, "openalex", date(2026, 3, 2)), {"by_year": {}})
            store.add_citation_snapshot(pid, CitationCount(n, None, None))


def _contents(store: Store) -> dict:
    papers = list(store.iter_papers())
    ids = [p.id for p in papers]
    model = HashingEmbedder().name
    return {
        "papers": papers,
        "keys": store.identity_keys(ids),
        "snapshots": [store.citation_snapshots(pid) for pid in ids],
        "signals": [store.signals(pid) for pid in ids],
        "vectors": {pid: v.tolist() for pid, v in store.embeddings(model, ids).items()},
    }


def _searches(url: str) -> list:
    lib = Library.open(load_settings(database_url=url))
    found = [
        [(hit.paper.id, round(hit.score, 6)) for hit in lib.search(q, mode=mode).hits]
        for q in QUERIES
        for mode in ("lexical", "semantic", "hybrid")
    ]
    lib.close()
    return found


def test_round_trip_sqlite_postgres_sqlite(seeded, tmp_path, new_postgres_database):
    _decorate(seeded.store)
    source_url = seeded.settings.database
    middle, back = new_postgres_database("copy"), f"sqlite:///{tmp_path / 'back.db'}"
    env = {k: v for k, v in os.environ.items() if k != "PAPERRADAR_DATABASE_URL"}
    done = subprocess.run(
        [sys.executable, "-m", "paperradar", "copy", "--from", source_url, "--to", middle, "--json"],
        capture_output=True, text=True, env=env, timeout=300, check=True,
    )  # fmt: skip
    summary = json.loads(done.stdout)
    assert (summary["papers"], summary["copied"], summary["skipped"], summary["embeddings"]) == (450, 450, 0, 450)
    assert summary["signals"] == 5 and summary["snapshots"] >= 10
    Library.copy(middle, back)
    stores = [open_store(url) for url in (source_url, middle, back)]
    original, *copies = (_contents(store) for store in stores)
    for store in stores:
        store.close()
    for copied in copies:
        assert copied == original
    assert _searches(back) == _searches(source_url)
    # PostgreSQL ranks words with ts_rank_cd, not BM25, so only the round trip is compared hit for hit.


def test_an_interrupted_copy_resumes_where_it_stopped(seeded, tmp_path):
    target = open_store(f"sqlite:///{tmp_path / 'target.db'}")

    def stop(summary):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        copy_store(seeded.store, target, batch_size=100, on_batch=stop)
    assert target.count() == 100
    summary = copy_store(seeded.store, target, batch_size=100)
    assert (summary.copied, summary.skipped, target.count()) == (350, 100, 450)
    assert target.count_pending_embeddings(HashingEmbedder().name) == 0
    target.close()
