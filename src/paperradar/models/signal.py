"""What live sources observe about a paper besides its metadata: dated signals and citation snapshots."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from paperradar.models.paper import CitationCount


@dataclass(frozen=True, slots=True)
class Signal:
    """One dated observation about a paper: Hugging Face upvotes, a daily pick, GitHub stars, a link.

    Counts are dated the day they were read, so repeated reads build a history; a link (code, project
    page) has value 1 and the link in `url`.
    """

    source: str
    kind: str
    value: int
    as_of: date
    url: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "kind": self.kind,
            "value": self.value,
            "date": self.as_of.isoformat(),
            "url": self.url,
            "extra": self.extra,
        }


@dataclass(frozen=True, slots=True)
class CitationSnapshot:
    """A dated count from one source with the details it came with (e.g. influential, per-year counts)."""

    count: CitationCount
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "count": self.count.count,
            "source": self.count.source,
            "date": self.count.as_of.isoformat() if self.count.as_of else None,
            "extra": self.extra,
        }
