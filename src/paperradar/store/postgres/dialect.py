"""PostgreSQL's side of the shared statements: `%s` marks, and native times, dates, arrays and jsonb,
which psycopg adapts both ways, so most adapters pass values through."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from psycopg.types.json import Jsonb

from paperradar.store.dialect import Dialect


class PostgresDialect(Dialect):
    mark = "%s"
    differs = "IS DISTINCT FROM"
    greatest = "GREATEST"
    most_values = None  # one array parameter holds any number
    unknown_day = None

    def one_of(self, column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        return f"{column} = ANY(%s)", [list(values)]

    def time(self, value: datetime | None) -> datetime | None:
        return value

    def stamp(self, value: datetime) -> datetime:
        return value

    def read_time(self, value: datetime | None) -> datetime | None:
        return value

    def day(self, value: date | None) -> date | None:
        return value

    def read_day(self, value: date | None) -> date | None:
        return value

    def names(self, values: Sequence[str]) -> list[str]:
        return list(values)

    def read_names(self, value: list[str]) -> list[str]:
        return list(value)

    def json(self, data: dict[str, Any] | None) -> Jsonb:
        return Jsonb(data or {})

    def read_json(self, value: dict[str, Any] | None) -> dict[str, Any]:
        return value if value is not None else {}

    def known_day(self, column: str) -> str:
        return f"{column} IS NOT NULL"

    def any_category(self, categories: Sequence[str]) -> tuple[str, list[Any]]:
        return "p.categories && %s::text[]", [list(categories)]  # any of them: the GIN index answers it

    def venue_is(self) -> str:
        return "lower(p.venue) = lower(%s)"  # SQLite compares with COLLATE NOCASE


POSTGRES = PostgresDialect()
