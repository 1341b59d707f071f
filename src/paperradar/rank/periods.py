"""Periods of the daily feed: a day, an ISO week or a month, parsed from and written as URL slugs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from paperradar.errors import InputError

Kind = Literal["daily", "weekly", "monthly"]
_SLUG = {
    "daily": re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"),
    "weekly": re.compile(r"^(\d{4})-W(\d{2})$"),
    "monthly": re.compile(r"^(\d{4})-(\d{2})$"),
}
_EXAMPLE = {"daily": "2024-05-31", "weekly": "2024-W22", "monthly": "2024-05"}


@dataclass(frozen=True, slots=True)
class Period:
    """The days [start, end] of one period of a kind."""

    kind: Kind
    start: date
    end: date

    @classmethod
    def containing(cls, kind: Kind, day: date) -> Period:
        if kind == "daily":
            return cls(kind, day, day)
        if kind == "weekly":
            start = day - timedelta(days=day.weekday())
            return cls(kind, start, start + timedelta(days=6))
        start = day.replace(day=1)
        following = (start + timedelta(days=32)).replace(day=1)
        return cls(kind, start, following - timedelta(days=1))

    @classmethod
    def parse(cls, kind: str, slug: str) -> Period:
        """A period from its slug (2024-05-31, 2024-W22, 2024-05); InputError names the expected form."""
        if kind not in _SLUG:
            raise InputError(f"period: must be daily, weekly or monthly, got {kind[:20]!r}")
        checked: Kind = kind  # type: ignore[assignment]
        match = _SLUG[checked].match(slug or "")
        try:
            if match is None:
                raise ValueError
            numbers = [int(part) for part in match.groups()]
            if not 1000 <= numbers[0] <= 3000:  # keeps date arithmetic far from year 1 and 9999
                raise ValueError
            if checked == "daily":
                day = date(*numbers)
            elif checked == "weekly":
                day = date.fromisocalendar(numbers[0], numbers[1], 1)
            else:
                day = date(numbers[0], numbers[1], 1)
        except ValueError:
            raise InputError(f"{checked}: expected a date like {_EXAMPLE[checked]}, got {slug[:40]!r}") from None
        return cls.containing(checked, day)

    @property
    def slug(self) -> str:
        if self.kind == "daily":
            return self.start.isoformat()
        if self.kind == "weekly":
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        return self.start.strftime("%Y-%m")

    @property
    def path(self) -> str:
        return f"/{self.kind}/{self.slug}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def title(self) -> str:
        if self.kind == "daily":
            return f"Papers of {self.start:%A %-d %B %Y}"
        if self.kind == "weekly":
            return f"Papers of week {self.slug} ({self.start:%-d %b} – {self.end:%-d %b %Y})"
        return f"Papers of {self.start:%B %Y}"
