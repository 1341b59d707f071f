"""Citation edges into the store: each cited work is matched to its corpus paper by the merge rules.

A cited work is a record like any other: its arXiv id, DOI and title find candidates, and `choose`
decides which stored paper it is, exactly as an import would merge it. A work no paper is stays a stub
that the paper claims when it is imported later (`merge_batch` calls `claim_works`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from paperradar.ingest.batch import identity_keys
from paperradar.ingest.merge import choose
from paperradar.models import CitedWork, Paper, fingerprint
from paperradar.store.base import Candidate, Store


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
