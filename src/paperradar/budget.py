"""The time a web request may take: one deadline per request, read by every part that can wait or work long.

Datasette's model: every request is bounded. The web layer opens a budget (`request_budget`, a setting);
the store reads it to stop a query that runs past it (SQLite's progress handler, PostgreSQL's
`statement_timeout`) and to wait for another writer's lock only briefly, and each of those ends in
`OverBudget`, which the web layer answers with 503 and Retry-After. Outside a request (the CLI, the
worker, imports) no budget is open and nothing is cut short.

The deadline lives in a context variable, so it follows a request into the thread pool that runs its
route (anyio copies the context) and never leaks into another request or a background thread.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from paperradar.errors import Busy


class OverBudget(Busy):
    """A request ran past its time budget, or waited past it for another writer: answered with 503."""


@dataclass(frozen=True, slots=True)
class Budget:
    seconds: float  # the whole request's allowance
    lock_wait: float  # at most this long waiting for another process's write lock
    deadline: float  # time.monotonic() past which the request's work stops

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def spent(self) -> bool:
        return time.monotonic() >= self.deadline


_current: ContextVar[Budget | None] = ContextVar("paperradar_budget", default=None)


@contextmanager
def request_budget(seconds: float, lock_wait: float) -> Iterator[Budget]:
    """Bound the work of this context (a request) to `seconds`, and its waits for a write lock to `lock_wait`."""
    budget = Budget(seconds, min(lock_wait, seconds), time.monotonic() + seconds)
    token = _current.set(budget)
    try:
        yield budget
    finally:
        _current.reset(token)


@contextmanager
def lifted() -> Iterator[None]:
    """No budget inside: for the error page that answers a request which spent its own (it asks the
    database for the navigation's best-of year)."""
    token = _current.set(None)
    try:
        yield
    finally:
        _current.reset(token)


def current() -> Budget | None:
    """The budget of the request this code runs for, or None outside a request."""
    return _current.get()


def over_budget() -> OverBudget:
    budget = _current.get()
    allowance = f"{budget.seconds:g} s" if budget else "its time budget"
    return OverBudget(f"this request took longer than {allowance}: try again in a moment, or narrow it")


def lock_busy() -> OverBudget:
    return OverBudget("the database is busy with a long write (an import or a sync): try again in a moment")
