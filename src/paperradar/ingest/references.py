"""Citation edges into the store: each cited work is matched to its corpus paper by the merge rules.

A cited work is a record like any other: its arXiv id, DOI and title find candidates, and `choose`
decides which stored paper it is, exactly as an import would merge it. A work no paper is stays a stub
that the paper claims when it is imported later (`merge_batch` calls `claim_works`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from paperradar.errors import InputError
from paperradar.ingest.batch import identity_keys
from paperradar.ingest.merge import choose
from paperradar.models import CitedWork, Paper, fingerprint, normalise_arxiv_id, normalise_doi
from paperradar.sources.base import BadRecord
from paperradar.sources.files.edges import EdgeRecord
from paperradar.store.base import Candidate, Store

BATCH_SIZE = 2_000
MAX_ERRORS_LISTED = 1_000


def _record(work: CitedWork) -> Paper:
    return Paper(title=work.title or "", arxiv_id=work.arxiv_id, doi=work.doi, year=work.year)


def _keys(work: CitedWork) -> list[str]:
    keys = identity_keys(work.arxiv_id, work.doi, fingerprint(work.title or ""))
    return keys if work.title and fingerprint(work.title) else keys[:-1]


def link(store: Store, works: Sequence[CitedWork]) -> list[CitedWork]:
    """The works, each with the id of the corpus paper it is (one read for the whole list)."""
    found = store.candidates_for([key for work in works for key in _keys(work)])
    linked = []
    for work in works:
        if work.paper_id is not None:
            linked.append(work)
            continue
        candidates = [Candidate(paper, key.split(":", 1)[0]) for key in _keys(work) for _, paper in found.get(key, [])]
        paper = choose(candidates, _record(work))
        linked.append(replace(work, paper_id=paper.id) if paper else work)
    return linked


def record_references(store: Store, paper_id: str, source: str, as_of: date, works: Sequence[CitedWork],
                      whole: bool = True) -> int:  # fmt: skip
    """Store what a paper cites, inside the caller's transaction; returns the edges new. `whole` (a
    source's full list, as a sync reads it) replaces that source's earlier list; otherwise the edges add."""
    linked = link(store, works)
    if whole:
        return store.set_references(paper_id, source, as_of, linked)
    return store.add_references(paper_id, source, as_of, linked)


@dataclass(slots=True)
class EdgeImport:
    """What an edge file import did: lines read, edges new, lines skipped and why."""

    read: int = 0
    added: int = 0
    skipped: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)

    def skip(self, location: str, reason: str) -> None:
        self.skipped += 1
        if len(self.errors) < MAX_ERRORS_LISTED:
            self.errors.append({"location": location, "reason": reason})

    def to_dict(self) -> dict[str, Any]:
        return {"read": self.read, "added": self.added, "skipped": self.skipped, "errors": self.errors}


def import_edges(store: Store, items: Iterable[EdgeRecord | BadRecord], today: date, strict: bool = False,
                 batch_size: int = BATCH_SIZE) -> EdgeImport:  # fmt: skip
    """Add a file's edges (source "file", dated by the line or else `today`), a batch a transaction;
    with `strict` the first bad line raises InputError and, in the caller's transaction, nothing stays."""
    summary, batch = EdgeImport(), []
    for item in items:
        summary.read += 1
        if isinstance(item, BadRecord):
            if strict:
                raise InputError(f"{item.location}: {item.reason}", hint="nothing was imported (--strict)")
            summary.skip(item.location, item.reason)
            continue
        batch.append(item)
        if len(batch) >= batch_size:
            _write_edges(store, batch, today, strict, summary)
            batch = []
    _write_edges(store, batch, today, strict, summary)
    return summary


def _write_edges(store: Store, batch: list[EdgeRecord], today: date, strict: bool, summary: EdgeImport) -> None:
    with store.transaction():
        citing = citing_ids(store, [edge.citing for edge in batch])
        grouped: dict[tuple[str, date], list[CitedWork]] = {}
        for edge in batch:
            paper_id = citing.get(edge.citing)
            if paper_id is None:
                reason = f"`citing`: no paper {edge.citing!r} in the corpus (import it first)"
                if strict:
                    raise InputError(f"{edge.location}: {reason}", hint="nothing was imported (--strict)")
                summary.skip(edge.location, reason)
                continue
            grouped.setdefault((paper_id, edge.as_of or today), []).append(edge.cited)
        for (paper_id, day), works in grouped.items():
            summary.added += record_references(store, paper_id, "file", day, works, whole=False)


def citing_ids(store: Store, names: Sequence[str]) -> dict[str, str]:
    """The corpus paper each name is: its public id, else its arXiv id or DOI (one read each kind)."""
    unique = list(dict.fromkeys(names))
    found = {paper.id: paper.id for paper in store.papers(unique) if paper.id}
    keyed = {}
    for name in unique:
        if name not in found:
            arxiv, doi = normalise_arxiv_id(name), normalise_doi(name)
            if arxiv or doi:
                keyed[name] = f"arxiv:{arxiv}" if arxiv else f"doi:{doi}"
    papers = store.candidates_for(list(keyed.values()))
    for name, key in keyed.items():
        if papers.get(key):
            found[name] = papers[key][0][1].id or ""
    return found
