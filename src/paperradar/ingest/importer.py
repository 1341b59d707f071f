"""Stream records into the store in batches, merging each with the paper it already is."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from paperradar.errors import InputError
from paperradar.ingest.merge import choose, merge
from paperradar.ingest.prefetch import prefetch
from paperradar.models import Paper, fingerprint, public_id_for
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
    key = fingerprint(record.title)
    existing = choose(store.candidates(record.arxiv_id, record.doi, key), record)
    if existing is None:
        record.id = _free_id(store, public_id_for(record.arxiv_id, record.doi, key, record.year))
        paper = store.insert_paper(record, key)
        changed = new = True
    else:
        paper = merge(existing, record)
        new, changed = False, paper != existing
        if changed:
            store.update_paper(paper, key)
    if record.citations is not None and paper.id is not None:
        changed = store.add_citation_snapshot(paper.id, record.citations) or changed
    return paper, new, changed


def _free_id(store: Store, wanted: str) -> str:
    """The wanted id, or wanted-2, -3, ... when an unrelated paper already holds it."""
    candidate, n = wanted, 1
    while store.resolve(candidate) == candidate:
        n += 1
        candidate = f"{wanted}-{n}"
    return candidate


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


def _consume(store, iterator, summary, strict, batch_size, on_batch) -> bool:
    """Import up to batch_size records in one transaction; False once the stream is done."""
    taken = 0
    with store.transaction():
        for item in iterator:
            if isinstance(item, BadRecord):
                if strict:
                    raise InputError(f"{item.location}: {item.reason}", hint="nothing was imported (--strict)")
                summary.error(item)
                summary.read += 1
            else:
                _paper, new, changed = upsert(store, item.paper)
                summary.read += 1
                if new:
                    summary.added += 1
                else:
                    summary.merged += 1
                    summary.updated += changed
            taken += 1
            if taken >= batch_size:
                break
        else:
            if on_batch:
                on_batch(summary)
            return False
    if on_batch:
        on_batch(summary)
    return True
