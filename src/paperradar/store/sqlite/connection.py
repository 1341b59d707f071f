"""SQLite connections that keep a web request's time budget (paperradar/budget.py says why).

Inside a request: a query running past the budget is interrupted (the progress handler), and a write
waits for another process's write lock (an import's batch, a sync) at most the budget's `lock_wait`;
both end in `OverBudget`, a 503. Outside a request, writes wait `LOCK_WAIT` seconds, then end in `Busy`
instead of a traceback.

Long writers (imports, syncs, embedding) commit in batches and, between batches, give way to a request
that waits for the lock (`give_way`): SQLite's lock is not a queue, and its busy handler polls every
100 ms, so a writer that starts its next batch at once would win the lock every time.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from paperradar import budget
from paperradar.errors import Busy

LOCK_WAIT = 30.0  # seconds a command or job waits for another writer
_CHECK_EVERY = 20_000  # SQLite VM steps between checks of the budget: well under a millisecond
_GIVE_WAY_MAX = 2.0  # a long writer pauses at most this long for requests waiting to write
_WAITER_STALE = 60.0  # a waiting mark older than this was left by a process that died
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "BEGIN")


class BudgetedConnection(sqlite3.Connection):
    """A connection whose statements honour the budget of the request they run for."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._wait_ms = -1
        self.waiting_room: WaitingRoom | None = None
        self.set_progress_handler(_past_budget, _CHECK_EVERY)

    def execute(self, sql: str, parameters=(), /) -> sqlite3.Cursor:  # type: ignore[override]
        self._set_lock_wait()
        try:
            if self._announce(sql):
                with self.waiting_room.waiting():  # type: ignore[union-attr]
                    return super().execute(sql, parameters)
            return super().execute(sql, parameters)
        except sqlite3.OperationalError as exc:
            raise _translated(exc) from exc

    def executemany(self, sql: str, parameters, /) -> sqlite3.Cursor:  # type: ignore[override]
        self._set_lock_wait()
        try:
            return super().executemany(sql, parameters)
        except sqlite3.OperationalError as exc:
            raise _translated(exc) from exc

    def _announce(self, sql: str) -> bool:
        """Whether this statement takes the write lock for a request: a write outside a transaction, or
        the BEGIN IMMEDIATE that opens one. Those tell long writers to give way while they wait."""
        if self.waiting_room is None or self.in_transaction or budget.current() is None:
            return False
        return sql.lstrip()[:7].upper().startswith(_WRITES)

    def _set_lock_wait(self) -> None:
        current = budget.current()
        if current is not None and current.spent():
            raise budget.over_budget()  # no new query once the request's time is up
        wait_ms = int((current.lock_wait if current else LOCK_WAIT) * 1000)
        if wait_ms != self._wait_ms:
            super().execute(f"PRAGMA busy_timeout = {wait_ms}")
            self._wait_ms = wait_ms


def _past_budget() -> bool:
    current = budget.current()
    return current is not None and current.spent()


def _translated(exc: sqlite3.OperationalError) -> Exception:
    message = str(exc)
    in_request = budget.current() is not None
    if message == "interrupted" and in_request:
        return budget.over_budget()
    if "database is locked" in message or "database table is locked" in message:
        if in_request:
            return budget.lock_busy()
        return Busy(f"the database stayed locked by another writer for {LOCK_WAIT:g} s: try again when it is done")
    return exc


class WaitingRoom:
    """Marks, one file per waiting request, that tell long writers in any process on this machine to
    pause before their next batch. A folder beside the database; a mark left by a crash goes stale."""

    def __init__(self, database: str) -> None:
        self.folder = Path(database + "-waiting")

    @contextmanager
    def waiting(self) -> Iterator[None]:
        self.folder.mkdir(exist_ok=True)
        mark = self.folder / f"{os.getpid()}-{time.monotonic_ns()}"
        mark.touch()
        try:
            yield
        finally:
            mark.unlink(missing_ok=True)

    def give_way(self) -> None:
        """Pause (at most `_GIVE_WAY_MAX`) while requests wait to write: called between a long writer's batches."""
        until = time.monotonic() + _GIVE_WAY_MAX
        while self._someone_waits() and time.monotonic() < until:
            time.sleep(0.005)

    def _someone_waits(self) -> bool:
        try:
            marks = list(os.scandir(self.folder))
        except FileNotFoundError:
            return False
        now = time.time()
        for mark in marks:
            try:
                if now - mark.stat().st_mtime < _WAITER_STALE:
                    return True
                os.unlink(mark.path)
            except FileNotFoundError:
                continue
        return False
