"""Stream records into the store in batches, merging each with the paper it already is."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from paperradar.errors import Busy, InputError
from paperradar.ingest.batch import merge_batch
from paperradar.ingest.prefetch import prefetch
from paperradar.models import Paper
from paperradar.sources.base import BadRecord, Record
from paperradar.store.base import Store

BATCH_SIZE = 2_000
MAX_ERRORS_LISTED = 1_000


@dataclass(slots=True)
class ImportSummary:
    """What an import did. `merged` records matched a stored paper; `updated` of those changed it."""

    read: int = 0
    added: int = 0
    merged: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)

    def error(self, bad: BadRecord) -> None:
        self.skipped += 1
        if len(self.errors) < MAX_ERRORS_LISTED:
            self.errors.append({"location": bad.location, "reason": bad.reason})

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "merged": self.merged,
            "updated": self.updated,
            "skipped": self.skipped,
            "read": self.read,
            "errors": self.errors,
        }

    def add(self, other: ImportSummary) -> None:
        self.read += other.read
        self.added += other.added
        self.merged += other.merged
        self.updated += other.updated
        self.skipped += other.skipped
        self.errors.extend(other.errors[: MAX_ERRORS_LISTED - len(self.errors)])


def upsert(store: Store, record: Paper) -> tuple[Paper, bool, bool]:
    """Store one record: (the stored paper, whether it is new, whether anything changed)."""
    outcome = merge_batch(store, [record])[0]
    return outcome.paper, outcome.new, outcome.changed


def import_records(
    store: Store,
    items: Iterable[Record | BadRecord],
    strict: bool = False,
    on_batch: Callable[[ImportSummary], None] | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportSummary:
    """Import a stream of records. Each batch commits whole; with `strict` the whole stream is one
    transaction and the first bad record raises InputError, leaving the store as it was."""
    summary = ImportSummary()
    iterator = prefetch(items)
    if strict:
        with store.transaction():  # the batches below join this one transaction
            while _consume(store, iterator, summary, strict, batch_size, on_batch):
                pass
        return summary
    while _consume(store, iterator, summary, strict, batch_size, on_batch):
        pass
    return summary


def _consume(store: Store, iterator: Iterator[Record | BadRecord], summary: ImportSummary, strict: bool,
             batch_size: int, on_batch: Callable[[ImportSummary], None] | None) -> bool:  # fmt: skip
    """Import up to batch_size records in one transaction; False once the stream is done."""
    records: list[Paper] = []
    more = False
    with store.transaction():
        for item in iterator:
            summary.read += 1
            if isinstance(item, BadRecord):
                if strict:
                    raise InputError(f"{item.location}: {item.reason}", hint="nothing was imported (--strict)")
                summary.error(item)
            else:
                records.append(item.paper)
            if summary.read % batch_size == 0:
                more = True
                break
        for outcome in merge_batch(store, records):
            if outcome.new:
                summary.added += 1
            else:
                summary.merged += 1
                summary.updated += outcome.changed
    if not strict:
        # Searchable as each batch commits (searches never index). If another process is writing the
        # index it applies these rows too, or the import's last sync (which waits) does.
        with contextlib.suppress(Busy):
            store.sync_text_index(wait=0)
    if on_batch:
        on_batch(summary)
    return more
