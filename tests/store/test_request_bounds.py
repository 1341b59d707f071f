"""A web request's database work is bounded on both backends: a query past the request's budget stops,
a write waits for another process's write only briefly, and both end in OverBudget (a 503), never in
a raw driver error; writes about people never wait for an import's batch at all where the backend
can tell them apart, and on SQLite a long writer gives way to them between batches."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest

from paperradar import budget
from paperradar.budget import OverBudget
from paperradar.errors import Busy
from paperradar.ingest.importer import upsert
from paperradar.models import Paper
from paperradar.store import open_store

# A query that takes seconds on either backend: a recursive count to fifty million.
SLOW = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000000) SELECT count(*) FROM n"


def _rows(store, sql):
    return store._sql(sql, ())


def test_a_query_past_the_request_budget_stops_with_over_budget(empty_store):
    started = time.monotonic()
    with budget.request_budget(0.3, 0.3), pytest.raises(OverBudget, match=r"longer than 0\.3 s"):
        _rows(empty_store, SLOW)
    assert time.monotonic() - started < 5  # stopped, not run to its end (which takes far longer)
    assert _rows(empty_store, "SELECT 1") == [(1,)]  # the connection serves the next request
    with budget.request_budget(5, 1):
        assert _rows(empty_store, "SELECT 2") == [(2,)]


def test_outside_a_request_nothing_is_cut_short(empty_store):
    short = SLOW.replace("50000000", "200000")
    with budget.request_budget(0.001, 0.001):
        time.sleep(0.01)  # spent: a query now would stop
    assert _rows(empty_store, short) == [(200000,)]


def _hold_papers_lock(url: str, held: threading.Event, release: threading.Event) -> threading.Thread:
    """Another process's import batch, in effect: a papers transaction held open until `release`."""

    def run() -> None:
        store = open_store(url)
        try:
            with store.transaction():
                upsert(store, Paper(title="A batch in progress", arxiv_id="2401.09999", year=2024))
                held.set()
                release.wait(20)
        finally:
            store.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert held.wait(20)
    return thread


def test_a_request_write_behind_a_held_papers_lock(empty_store, store_url):
    """SQLite: one lock per file, so the sign-up waits `lock_wait`, then is refused with OverBudget and
    writes nothing. PostgreSQL: accounts take their own lock, so the sign-up and a shelf edit go through
    while the import's transaction is still open."""
    held, release = threading.Event(), threading.Event()
    holder = _hold_papers_lock(store_url, held, release)
    try:
        with budget.request_budget(10, 0.3):
            if store_url.startswith("sqlite"):
                with pytest.raises(OverBudget, match="busy with a long write"):
                    empty_store.create_user("ada@example.org", "h", False, False, 1)
                assert empty_store.user_by_email("ada@example.org") is None
            else:
                ada = empty_store.create_user("ada@example.org", "h", False, False, 1)
                assert ada is not None
                empty_store.add_subscriber("ada@example.org", empty_store.clock(), ada.id, confirmed=True)
        assert holder.is_alive()  # all of it while the papers' transaction was open
    finally:
        release.set()
        holder.join(20)


def test_a_command_behind_a_held_lock_ends_in_busy_not_a_traceback(tmp_path, monkeypatch):
    from paperradar.store.sqlite import connection

    monkeypatch.setattr(connection, "LOCK_WAIT", 0.2)
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    store = open_store(url)
    held, release = threading.Event(), threading.Event()
    holder = _hold_papers_lock(url, held, release)
    try:
        other = open_store(url)  # a second command, waiting 0.2 s for the lock instead of 30
        with pytest.raises(Busy, match="stayed locked by another writer"), other.transaction():
            pass
        other.close()
    finally:
        release.set()
        holder.join(20)
        store.close()


_IMPORTER = """
import sys, time
from paperradar.ingest.importer import upsert
from paperradar.models import Paper
from paperradar.store import open_store
store, n = open_store(sys.argv[1]), 0
print("started", flush=True)
while True:  # batch after batch, as an import of a large file, until killed
    with store.transaction():
        for _ in range(200):
            n += 1
            upsert(store, Paper(title=f"Imported paper {n}", arxiv_id=f"2402.{n % 99999:05d}", year=2024))
"""


def test_on_sqlite_a_long_writer_gives_way_to_a_waiting_request(tmp_path):
    """An import in another process commits batch after batch with no pause of its own. SQLite's lock
    is no queue and its busy handler polls, so a request waiting for it would lose for seconds at a
    time; between batches the importer gives way to it."""
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    request_side = open_store(url)
    importer = subprocess.Popen([sys.executable, "-c", _IMPORTER, url], stdout=subprocess.PIPE, text=True)
    try:
        assert importer.stdout.readline().strip() == "started"
        while request_side.stats().papers < 400:  # two batches in: it is writing
            time.sleep(0.01)
        for i in range(10):  # each waits at most 1 s for the lock, or fails with OverBudget
            with budget.request_budget(10, 1.0):
                assert request_side.create_user(f"user{i}@example.org", "h", False, False, 1) is not None
        assert importer.poll() is None  # the import was writing all along
    finally:
        importer.kill()
        importer.communicate(timeout=20)
        request_side.close()
