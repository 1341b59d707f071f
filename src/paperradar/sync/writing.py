"""Writing fetched records through the ordinary merge path, so every source's copy of a paper is one record."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from paperradar.ingest.batch import written_keys
from paperradar.ingest.importer import upsert
from paperradar.models import Paper, fingerprint
from paperradar.sources.base import BadRecord, Record
from paperradar.store.base import Store
from paperradar.sync.summary import SyncSummary


def refresh_from_arxiv(stored: Paper, record: Paper) -> Paper:
    """arXiv is the authority on its own papers: a new version's title, abstract, authors and categories
    replace what other sources said (the ordinary merge keeps the longest text, which would keep v1's)."""
    return replace(
        stored,
        title=record.title,
        abstract=record.abstract or stored.abstract,
        authors=record.authors or stored.authors,
        categories=record.categories or stored.categories,
        venue=record.venue or stored.venue,
        doi=stored.doi or record.doi,
    )


def write_records(
    store: Store, items: Iterable[Record | BadRecord], summary: SyncSummary, authoritative: bool = False
) -> list[Paper]:
    """Upsert records inside the caller's transaction; count them in `summary`. Returns the stored papers.

    With `authoritative` (records straight from arXiv), a paper matched by the same arXiv id takes the
    record's text, so updated versions update it."""
    stored: list[Paper] = []
    for item in items:
        summary.fetched += 1
        if isinstance(item, BadRecord):
            summary.bad(item)
            continue
        record = replace(item.paper)  # upsert assigns an id to new records; keep the caller's copy clean
        paper, new, changed = upsert(store, record)
        if not new and authoritative and paper.arxiv_id and paper.arxiv_id == record.arxiv_id:
            fresh = refresh_from_arxiv(paper, record)
            if fresh != paper:
                store.update_papers([fresh])
                store.add_keys(written_keys(fresh, fingerprint(fresh.title)))
                paper, changed = fresh, True
        summary.added += new
        summary.updated += changed and not new
        stored.append(paper)
    return stored
