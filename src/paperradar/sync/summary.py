"""What one sync did: the summary every `paperradar sync ... --json` prints."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from paperradar.sources.base import BadRecord

MAX_ERRORS_LISTED = 1_000


@dataclass(slots=True)
class SyncSummary:
    """`fetched` items came from the service; `added` papers are new, `updated` existing ones changed;
    `signals` counts signals and citation snapshots recorded. `complete` is False when the sync stopped
    early (the reason is the last error); what was committed before stays, and the next run resumes."""

    source: str
    fetched: int = 0
    added: int = 0
    updated: int = 0
    signals: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)
    complete: bool = True

    def bad(self, item: BadRecord) -> None:
        self.error(item.location, item.reason)

    def error(self, location: str, reason: str) -> None:
        if len(self.errors) < MAX_ERRORS_LISTED:
            self.errors.append({"location": location, "reason": reason})

    def stop(self, location: str, reason: str) -> None:
        """The sync could not go on: say where and why."""
        self.complete = False
        self.error(location, reason)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "fetched": self.fetched,
            "added": self.added,
            "updated": self.updated,
            "signals": self.signals,
            "errors": self.errors,
            "complete": self.complete,
        }


# Called after each committed page or batch with the running summary, work done and total (None if unknown).
Progress = Callable[[SyncSummary, int, int | None], None]
