"""The one clock every part reads: the time now and today's date, both in UTC.

The server's local time zone never enters a date: sync, worker, digest, trending, best-of age and
alerts all ask this clock. A simulation (bench/daily_loop.py, the replay tests) starts it at a chosen
instant with the `clock_start` setting; from there it runs forward at the machine's pace, so timeouts
and back-offs still see time pass.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta


@dataclass(frozen=True, slots=True)
class Clock:
    """`now()` and `today()` in UTC; started at `start` (if given) when the clock was made."""

    start: datetime | None = None
    _made: float = field(default_factory=time.monotonic, repr=False)

    def now(self) -> datetime:
        if self.start is None:
            return datetime.now(UTC)
        return self.start + timedelta(seconds=time.monotonic() - self._made)

    def today(self) -> date:
        return self.now().date()


def parse_start(text: str | None) -> datetime | None:
    """An ISO 8601 instant (a date alone is its midnight); naive times are taken as UTC."""
    if not text:
        return None
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


SYSTEM = Clock()
