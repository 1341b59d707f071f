"""The citation graph as use cases: sync and import edges; a paper's references, citations and neighbourhood,
and that neighbourhood as a graph to draw (graph_view.py)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from paperradar.embed import paper_text
from paperradar.errors import InputError
from paperradar.ingest.references import EdgeImport, import_edges
from paperradar.models import CitedWork, Paper
from paperradar.service.graph_view import GraphView, neighbourhood_graph
from paperradar.sources.files.edges import is_edge_file, read_edges
from paperradar.sync.references import sync_references
from paperradar.sync.summary import Progress, SyncSummary

if TYPE_CHECKING:
    from paperradar.service import Library

ORDERS = ("citations", "date")
NEIGHBOURS = 20  # prior and derivative works shown of each


@dataclass(slots=True)
class Listing:
    """A paper's references or citing papers: those in the corpus, ranked, and how many lie outside it
    (for references, the stubs themselves too)."""

    paper: Paper
    papers: list[Paper]
    outside: int
    stubs: list[CitedWork]
    order: str

    def to_dict(self) -> dict[str, Any]:
        return {"paper_id": self.paper.id, "order": self.order, "in_corpus": len(self.papers),
                "outside_corpus": self.outside, "papers": [p.to_dict() for p in self.papers],
                "outside": [w.to_dict() for w in self.stubs]}  # fmt: skip


@dataclass(slots=True)
class Neighbourhood:
    """Prior works (co-cited by the paper's neighbours) and derivative works (citing many of them),
    each with the number of neighbours behind it."""

    paper: Paper
    prior: list[tuple[Paper, int]]
    derivative: list[tuple[Paper, int]]

    def to_dict(self) -> dict[str, Any]:
        def entries(found: list[tuple[Paper, int]]) -> list[dict[str, Any]]:
            return [{**p.to_dict(), "shared_neighbours": n} for p, n in found]

        return {"paper_id": self.paper.id, "prior": entries(self.prior), "derivative": entries(self.derivative)}


def ranked(papers: Iterable[Paper], order: str) -> list[Paper]:
    """Most cited first (ties: newer first), or newest first; papers without a count or date go last."""
    if order not in ORDERS:
        raise InputError(f"order: expected one of {', '.join(ORDERS)}, got {order[:40]!r}")

    def newest(p: Paper) -> tuple[int, str]:
        day = p.published or p.listing_date
        return (p.year or 0, day.isoformat() if day else "")

    if order == "date":
        return sorted(papers, key=newest, reverse=True)
    return sorted(papers, key=lambda p: (p.citations.count if p.citations else -1, newest(p)), reverse=True)


class CitationGraph:
    """The graph's use cases over a Library (`library.graph`)."""

    def __init__(self, library: Library) -> None:
        self._library = library
        self._store = library.store

    # -- filling it ---------------------------------------------------------------------------------
    def sync_references(self, stale_after: int | None = None, limit: int | None = None,
                        on_progress: Progress | None = None) -> SyncSummary:  # fmt: skip
        """Read from OpenAlex what papers cite, for those never read or read over `stale_after` days ago."""
        config = self._library.live_config()
        if limit is not None:
            return sync_references(self._store, config, stale_after=stale_after, limit=limit, on_progress=on_progress)
        return sync_references(self._store, config, stale_after=stale_after, on_progress=on_progress)

    @staticmethod
    def edge_files(paths: Sequence[Path], fmt: str = "auto") -> tuple[list[Path], list[Path]]:
        """(edge files, paper files) of an import: `--format edges`, or by their first line."""
        if fmt == "edges":
            return list(paths), []
        if fmt != "auto":
            return [], list(paths)
        edges = [p for p in paths if Path(p).is_file() and is_edge_file(Path(p))]
        return edges, [p for p in paths if p not in edges]

    def import_edges(self, paths: Sequence[Path], strict: bool = False) -> EdgeImport:
        """Add the edges of these files (after the papers they name); with `strict`, all or nothing."""
        for path in paths:
            if not Path(path).is_file():
                raise InputError(f"{path}: no such file")
        today, total = self._library.settings.clock.today(), EdgeImport()
        with self._store.transaction() if strict else nullcontext():  # else each batch commits
            for path in paths:
                done = import_edges(self._store, read_edges(Path(path)), today, strict=strict)
                total.read, total.added = total.read + done.read, total.added + done.added
                total.skipped += done.skipped
                total.errors += done.errors
        return total

    # -- reading it ---------------------------------------------------------------------------------
    def references(self, key: str, order: str = "citations") -> Listing:
        paper = self._library.paper(key)
        edges = self._store.references(paper.id or "")
        inside = self._store.papers([e.work.paper_id for e in edges if e.work.paper_id])
        stubs = [e.work for e in edges if e.work.paper_id is None]
        return Listing(paper, ranked(inside, order), len(stubs), stubs, order)

    def citations(self, key: str, order: str = "citations") -> Listing:
        paper = self._library.paper(key)
        citing = self._store.papers([e.citing for e in self._store.citing(paper.id or "")])
        counted = paper.citations.count if paper.citations else 0
        return Listing(paper, ranked(citing, order), max(0, counted - len(citing)), [], order)

    def neighbourhood(self, key: str, limit: int = NEIGHBOURS) -> Neighbourhood:
        paper = self._library.paper(key)
        prior = self._store.co_cited(paper.id or "", limit)
        derivative = self._store.coupled(paper.id or "", limit)
        found = {p.id: p for p in self._store.papers([pid for pid, _ in prior + derivative])}
        return Neighbourhood(
            paper,
            [(found[pid], int(n)) for pid, n in prior if pid in found],
            [(found[pid], int(n)) for pid, n in derivative if pid in found],
        )

    def view(self, key: str) -> GraphView:
        """The paper's neighbourhood as a graph: about 40 papers linked to it by citations, co-citation,
        coupling or similar text, where each sits, and why each is there (service/graph_view.py)."""
        library = self._library
        paper = library.paper(key)
        if not library.has_embeddings():
            return neighbourhood_graph(self._store, None, paper)

        def embed(p: Paper) -> np.ndarray:  # a paper imported a minute ago has no stored vector yet
            return library.embedder.embed([paper_text(p.title, p.abstract)])[0]

        return neighbourhood_graph(self._store, library.embedder_name(), paper, embed=embed)
