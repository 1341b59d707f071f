"""The citation graph as use cases: sync and import edges; a paper's references, citations and neighbourhood,
and that neighbourhood as a graph to draw (graph_view.py)."""

from __future__ import annotations

import threading
from collections import OrderedDict
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
from paperradar.store.base_graph import Ranking
from paperradar.sync.references import sync_references
from paperradar.sync.summary import Progress, SyncSummary

if TYPE_CHECKING:
    from paperradar.service import Library

ORDERS = ("citations", "date")
NEIGHBOURS = 20  # prior and derivative works shown of each
NEIGHBOURHOODS_KEPT = 2048  # remembered per process (a few KB each)


@dataclass(slots=True)
class Listing:
    """A paper's references or citing papers: those in the corpus, ranked, and how many lie outside it
    (for references, the stubs themselves too)."""

    paper: Paper
    papers: list[Paper]
    outside: int
    stubs: list[CitedWork]
    order: str
    in_corpus: int = -1  # all of them, when `papers` holds only the first few; -1: len(papers)

    def __post_init__(self) -> None:
        if self.in_corpus < 0:
            self.in_corpus = len(self.papers)

    def to_dict(self) -> dict[str, Any]:
        return {"paper_id": self.paper.id, "order": self.order, "in_corpus": self.in_corpus,
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


def _check(order: str) -> None:
    if order not in ORDERS:
        raise InputError(f"order: expected one of {', '.join(ORDERS)}, got {order[:40]!r}")


def ranked(papers: Iterable[Paper], order: str) -> list[Paper]:
    """Most cited first (ties: newer first), or newest first; papers without a count or date go last."""
    _check(order)

    def newest(p: Paper) -> tuple[int, str]:
        day = p.published or p.listing_date
        return (p.year or 0, day.isoformat() if day else "")

    by_id = sorted(papers, key=lambda p: p.id or "")  # ties in id order, as the store's order_papers
    if order == "date":
        return sorted(by_id, key=newest, reverse=True)
    return sorted(by_id, key=lambda p: (p.citations.count if p.citations else -1, newest(p)), reverse=True)


class CitationGraph:
    """The graph's use cases over a Library (`library.graph`)."""

    def __init__(self, library: Library) -> None:
        self._library = library
        self._store = library.store
        # Neighbourhoods by (paper, limit), with the graph version they were computed at: a busy paper's
        # co-citation and coupling counts take 30-60 ms of grouping (bench/graph.py), and they change
        # only when edges do. Per process, so each web worker warms its own.
        self._near: OrderedDict[tuple[str, int], tuple[str | None, Ranking, Ranking]] = OrderedDict()
        self._near_lock = threading.Lock()

    # -- filling it ---------------------------------------------------------------------------------
    def sync_references(self, stale_after: int | None = None, limit: int | None = None,
                        on_progress: Progress | None = None, source: str = "openalex") -> SyncSummary:  # fmt: skip
        """Read from `source` (openalex or s2) what papers cite, for those it never read or read over
        `stale_after` days ago."""
        config = self._library.live_config()
        if limit is not None:
            return sync_references(self._store, config, source, stale_after=stale_after, limit=limit,
                                   on_progress=on_progress)  # fmt: skip
        return sync_references(self._store, config, source, stale_after=stale_after, on_progress=on_progress)

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
    def references(self, key: str, order: str = "citations", limit: int | None = None) -> Listing:
        """What the paper cites; with `limit`, only the first `limit` corpus papers are read (all counted)."""
        paper = self._library.paper(key)
        edges = self._store.references(paper.id or "")
        inside = self._first([e.work.paper_id for e in edges if e.work.paper_id], order, limit)
        stubs = [e.work for e in edges if e.work.paper_id is None]
        return Listing(paper, inside[1], len(stubs), stubs, order, inside[0])

    def citations(self, key: str, order: str = "citations", limit: int | None = None) -> Listing:
        """The corpus papers citing it; with `limit`, only the first `limit` are read (all counted)."""
        paper = self._library.paper(key)
        count, citing = self._first([e.citing for e in self._store.citing(paper.id or "")], order, limit)
        counted = paper.citations.count if paper.citations else 0
        return Listing(paper, citing, max(0, counted - count), [], order, count)

    def _first(self, ids: list[str], order: str, limit: int | None) -> tuple[int, list[Paper]]:
        """(how many papers, the first `limit` of them ranked): the store orders them, so a paper cited a
        thousand times hydrates only what the page shows."""
        _check(order)
        if limit is None or len(ids) <= limit:
            return len(ids), ranked(self._store.papers(ids), order)
        first = self._store.order_papers(ids, order, limit)
        found = {p.id: p for p in self._store.papers(first)}
        return len(ids), [found[pid] for pid in first if pid in found]

    def _counted(self, paper_id: str, limit: int) -> tuple[Ranking, Ranking]:
        """(co-cited, coupled) of the paper, remembered until the graph changes; the papers themselves
        are read afresh each time (their counts and titles change without the edges)."""
        version, slot = self._store.graph_version(), (paper_id, limit)
        with self._near_lock:
            kept = self._near.get(slot)
            if kept and kept[0] == version:
                self._near.move_to_end(slot)
                return kept[1], kept[2]
        prior, derivative = self._store.co_cited(paper_id, limit), self._store.coupled(paper_id, limit)
        with self._near_lock:
            self._near[slot] = (version, prior, derivative)
            while len(self._near) > NEIGHBOURHOODS_KEPT:
                self._near.popitem(last=False)
        return prior, derivative

    def forget(self) -> None:
        """Drop the remembered neighbourhoods (a benchmark's cold runs)."""
        with self._near_lock:
            self._near.clear()

    def neighbourhood(self, key: str, limit: int = NEIGHBOURS) -> Neighbourhood:
        paper = self._library.paper(key)
        prior, derivative = self._counted(paper.id or "", limit)
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
            return neighbourhood_graph(self._store, None, paper, counted=self._counted)

        def embed(p: Paper) -> np.ndarray:  # a paper imported a minute ago has no stored vector yet
            return library.embedder.embed([paper_text(p.title, p.abstract)])[0]

        return neighbourhood_graph(self._store, library.embedder_name(), paper, embed=embed, counted=self._counted)
