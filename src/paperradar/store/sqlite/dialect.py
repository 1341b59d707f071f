"""SQLite's side of the shared statements: `?` marks, and times, days, lists and JSON kept as text.

Times are UTC ISO text (digest times to the microsecond, so they sort as text), days ISO dates, name
lists and details JSON text; a citation snapshot's unknown day is '' (it is part of the key).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from paperradar.store.dialect import Dialect

# Values per list, far under SQLite's bound-parameter limit (32,766 since 3.32, 999 before).
MOST_VALUES = 500


class SQLiteDialect(Dialect):
    mark = "?"
    differs = "IS NOT"
    greatest = "MAX"
    most_values = MOST_VALUES
    unknown_day = ""

    def one_of(self, column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        return f"{column} IN ({self.marks(len(values))})", list(values)

    def time(self, value: datetime | None) -> str | None:
        return value.isoformat(timespec="microseconds") if value else None

    def stamp(self, value: datetime) -> str:
        return value.isoformat(timespec="seconds")

    def read_time(self, value: str | None) -> datetime | None:
        return datetime.fromisoformat(value) if value else None

    def day(self, value: date | None) -> str | None:
        return value.isoformat() if value else None

    def read_day(self, value: str | None) -> date | None:
        return date.fromisoformat(value) if value else None

    def names(self, values: Sequence[str]) -> str:
        return json.dumps(list(values), ensure_ascii=False)

    def read_names(self, value: str) -> list[str]:
        return json.loads(value)

    def json(self, data: dict[str, Any] | None) -> str:
        return json.dumps(data or {}, ensure_ascii=False, sort_keys=True)

    def read_json(self, value: str | None) -> dict[str, Any]:
        return json.loads(value) if value else {}

    def known_day(self, column: str) -> str:
        return f"{column} <> ''"

    def any_category(self, categories: Sequence[str]) -> tuple[str, list[Any]]:
        return (f"EXISTS (SELECT 1 FROM json_each(p.categories) c WHERE c.value IN ({self.marks(len(categories))}))",
                list(categories))  # fmt: skip

    def venue_is(self) -> str:
        return "p.venue = ? COLLATE NOCASE"


SQLITE = SQLiteDialect()
