"""The source protocol: what every reader of the outside world yields."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from paperradar.models import Paper


@dataclass(frozen=True, slots=True)
class Record:
    """One paper as a source gave it, and where it came from (file:line, URL, ...)."""

    paper: Paper
    location: str


@dataclass(frozen=True, slots=True)
class BadRecord:
    """Input that could not be read as a paper, with where it was and why."""

    location: str
    reason: str


class Source(Protocol):
    """Anything that yields papers. `progress` is (done, total) in the source's own unit, for progress bars."""

    name: str

    def read(self) -> Iterator[Record | BadRecord]: ...

    def progress(self) -> tuple[int, int | None]: ...
