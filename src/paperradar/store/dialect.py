"""What differs between the backends' SQL, for the statements both share.

The mixins in this package (digest, live, feed, filters, rows, batches, accounts) write each statement
once and ask the host store's `dialect` for the parts that differ: the parameter mark, a list of values
in a condition, and how times, days, name lists and JSON are stored. SQLite keeps those as text (ISO
dates, JSON); PostgreSQL has a native type for each. What only one backend can do (SQLite's planner
hints, PostgreSQL's COPY, unnest and pgvector) stays in that backend's folder.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, TypeVar

T = TypeVar("T")


class Dialect(ABC):
    """One backend's way of writing the shared statements."""

    mark: str  # the parameter mark: "?" (sqlite3) or "%s" (psycopg)
    differs: str  # null-safe "is not equal to": SQLite's IS NOT, PostgreSQL's IS DISTINCT FROM
    greatest: str  # the larger of its arguments: SQLite's scalar max(), PostgreSQL's GREATEST()
    most_values: int | None  # values one list may bind at most (None: no bound)

    def marks(self, count: int) -> str:
        """`count` parameter marks, comma-separated."""
        return ", ".join([self.mark] * count)

    @abstractmethod
    def one_of(self, column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        """(a condition that `column` is one of `values`, its parameters)."""

    def chunks(self, values: Sequence[Any]) -> list[Sequence[Any]]:
        """`values` cut into lists that `one_of` may bind in one statement."""
        size = self.most_values or max(len(values), 1)
        return [values[i : i + size] for i in range(0, len(values), size)]

    # -- values in, values out ----------------------------------------------------------------------
    @abstractmethod
    def time(self, value: datetime | None) -> Any:
        """A moment to the microsecond (digest claims and sends, whose order matters)."""

    @abstractmethod
    def stamp(self, value: datetime) -> Any:
        """A row's created/updated time, to the second."""

    @abstractmethod
    def read_time(self, value: Any) -> datetime | None: ...

    @abstractmethod
    def day(self, value: date | None) -> Any: ...

    @abstractmethod
    def read_day(self, value: Any) -> date | None: ...

    @abstractmethod
    def names(self, values: Sequence[str]) -> Any:
        """A list of names (a paper's authors, its categories)."""

    @abstractmethod
    def read_names(self, value: Any) -> list[str]: ...

    @abstractmethod
    def json(self, data: dict[str, Any] | None) -> Any:
        """A JSON object (a signal's or snapshot's details, a sync cursor); None is stored as {}."""

    @abstractmethod
    def read_json(self, value: Any) -> dict[str, Any]: ...

    # -- the parts of the papers schema that differ ---------------------------------------------------
    unknown_day: Any  # a citation snapshot's unknown day: part of its key, so not NULL in SQLite

    @abstractmethod
    def known_day(self, column: str) -> str:
        """A condition that a snapshot's day (`column`) is known."""

    @abstractmethod
    def any_category(self, categories: Sequence[str]) -> tuple[str, list[Any]]:
        """(a condition that paper `p` has any of these categories, its parameters)."""

    @abstractmethod
    def venue_is(self) -> str:
        """A condition that paper `p`'s venue is one parameter, ignoring case."""


def required(value: T | None) -> T:
    """A value read from a NOT NULL column (the readers above also take NULLs, so they answer Optional)."""
    if value is None:
        raise ValueError("NULL read from a NOT NULL column")
    return value
