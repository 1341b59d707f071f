"""Merge a batch of records into the store with a handful of reads and writes.

Record by record, an import asks the store for candidates, a free id, then writes the paper, its keys
and its snapshot: six round trips a paper, which a server database turns into ~500 papers a second.
Here the batch's candidates and ids are read at once, the records are merged in memory in order,
each seeing the papers earlier records of the batch made or changed, and what changed is written at
the end. The outcome is the one record-by-record merging gives (a test holds the two alike).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field

from paperradar.ingest.merge import choose, merge
from paperradar.models import CitationCount, Paper, fingerprint, public_id_for
from paperradar.store.base import Candidate, Store

# Orders for papers new in this batch: after every stored one, in the order they are made.
_NEW = 2**62


def identity_keys(arxiv_id: str | None, doi: str | None, title_fingerprint: str) -> list[str]:
    """A record's keys, strongest first, as candidates are tried."""
    keys = [f"arxiv:{arxiv_id}"] if arxiv_id else []
    if doi:
        keys.append(f"doi:{doi}")
    keys.append(f"title:{title_fingerprint}")
    return keys


def written_keys(paper: Paper, title_fingerprint: str) -> list[tuple[str, str, int | None]]:
    """(paper id, key, year) rows a write of the paper adds: the title key of the record that wrote
    it (with the paper's year, as titles identify papers only within a year), its arXiv id and DOI."""
    pid = paper.id or ""
    strong = identity_keys(paper.arxiv_id, paper.doi, title_fingerprint)[:-1]
    return [(pid, f"title:{title_fingerprint}", paper.year)] + [(pid, key, None) for key in strong]


@dataclass(slots=True)
class Outcome:
    """What became of one record: the stored paper, whether it is new, whether anything changed."""

    paper: Paper
    new: bool
    changed: bool


@dataclass
class _Batch:
    """The store as this batch sees it: what was read, with the batch's own changes laid over."""

    by_key: dict[str, list[tuple[int, str]]]  # key -> (order, paper id), oldest first
    papers: dict[str, Paper]  # the current version of every paper the batch has seen
    orders: dict[str, int]  # paper id -> the order it was added in
    taken: set[str]  # public ids in use, stored or made by this batch
    new: dict[str, None] = field(default_factory=dict)  # ids made by this batch, in order
    changed: dict[str, None] = field(default_factory=dict)  # stored papers changed, in order
    keys: list[tuple[str, str, int | None]] = field(default_factory=list)  # (paper id, key, year) to write

    def candidates(self, keys: list[str]) -> list[Candidate]:
        return [
            Candidate(self.papers[pid], key.split(":", 1)[0]) for key in keys for _, pid in self.by_key.get(key, [])
        ]

    def know(self, paper_id: str, key: str, year: int | None) -> None:
        self.keys.append((paper_id, key, year))
        entries = self.by_key.setdefault(key, [])
        if all(pid != paper_id for _, pid in entries):
            bisect.insort(entries, (self.orders[paper_id], paper_id))


def merge_batch(store: Store, records: Sequence[Paper]) -> list[Outcome]:
    """Merge these records (in order) into the store, inside the caller's transaction. New records get
    their public id set, as an insert does."""
    prints = [fingerprint(record.title) for record in records]
    wanted = [public_id_for(r.arxiv_id, r.doi, fp, r.year) for r, fp in zip(records, prints, strict=True)]
    found = store.candidates_for([k for r, fp in zip(records, prints, strict=True)
                                  for k in identity_keys(r.arxiv_id, r.doi, fp)])  # fmt: skip
    batch = _Batch(
        by_key={key: [(order, paper.id or "") for order, paper in entries] for key, entries in found.items()},
        papers={paper.id or "": paper for entries in found.values() for _, paper in entries},
        orders={paper.id or "": order for entries in found.values() for order, paper in entries},
        taken=store.taken_ids(wanted),
    )
    outcomes: list[Outcome] = []
    for record, key, want in zip(records, prints, wanted, strict=True):
        existing = choose(batch.candidates(identity_keys(record.arxiv_id, record.doi, key)), record)
        if existing is None:
            record.id = made = _free_id(store, batch, want)
            paper, new, changed = record, True, True
            batch.taken.add(made)
            batch.new[made] = None
            batch.orders[made] = _NEW + len(batch.new)
        else:
            paper = merge(existing, record)
            new, changed = False, paper != existing
            if changed and paper.id not in batch.new:
                batch.changed[paper.id or ""] = None
        if changed:
            batch.papers[paper.id or ""] = paper
            for row in written_keys(paper, key):
                batch.know(*row)
        outcomes.append(Outcome(paper, new, changed))

    store.insert_papers([batch.papers[pid] for pid in batch.new])
    store.update_papers([batch.papers[pid] for pid in batch.changed])
    store.add_keys(batch.keys)
    store.claim_works(batch.keys)  # cited works that were stubs until these papers came
    counts: list[tuple[str, CitationCount]] = []
    carriers: list[int] = []
    for position, (record, outcome) in enumerate(zip(records, outcomes, strict=True)):
        if record.citations is not None and outcome.paper.id is not None:
            counts.append((outcome.paper.id, record.citations))
            carriers.append(position)
    for n in store.add_citation_snapshots(counts):
        outcomes[carriers[n]].changed = True
    # Papers are returned as they stand after the whole batch, as a later read would find them.
    for outcome in outcomes:
        outcome.paper = batch.papers.get(outcome.paper.id or "", outcome.paper)
    return outcomes


def _free_id(store: Store, batch: _Batch, wanted: str) -> str:
    """The wanted id, or wanted-2, -3, ... when an unrelated paper already holds it."""
    candidate, n = wanted, 1
    while candidate in batch.taken or (candidate != wanted and store.taken_ids([candidate])):
        n += 1
        candidate = f"{wanted}-{n}"
    return candidate
