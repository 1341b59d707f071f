"""The storage protocol of the citation graph (part of the `Store` union in base.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from paperradar.models.citation import CitedWork, Edge

# (public paper id, score), best first: the ranking every retriever answers with.
Ranking = list[tuple[str, float]]


class GraphStore(Protocol):
    """Citation edges with their source and day, and the works they point at (corpus papers or stubs).
    Writes happen inside `transaction()`."""

    def add_references(self, paper_id: str, source: str, as_of: date, works: Sequence[CitedWork]) -> int:
        """Record that the paper cites these works, as `source` read them on `as_of`: each work is found
        by a shared key (else made), linked to `work.paper_id` when set; an edge read before moves to
        `as_of`. Returns the edges new (none on a re-run). A work that is the paper itself is skipped."""
        ...

    def set_references(self, paper_id: str, source: str, as_of: date, works: Sequence[CitedWork]) -> int:
        """`add_references`, and the paper's other edges from `source` go: this is its whole list now.
        Notes the read (an empty list too), so `reference_targets` skips the paper until it is stale."""
        ...

    def reference_targets(self, source: str, read_before: date, limit: int) -> list[str]:
        """Ids of papers with an arXiv id or DOI whose references `source` has not read since `read_before`."""
        ...

    def references(self, paper_id: str) -> list[Edge]:
        """What the paper cites, one edge per work (its sources together), in the order first read."""
        ...

    def citing(self, paper_id: str) -> list[Edge]:
        """The corpus papers that cite this one, one edge per citing paper."""
        ...

    def co_cited(self, paper_id: str, limit: int) -> Ranking:
        """Prior works: corpus papers most often cited by the paper's neighbours (what it cites and what
        cites it), scored by how many neighbours cite them."""
        ...

    def coupled(self, paper_id: str, limit: int) -> Ranking:
        """Derivative works: corpus papers that cite the most of the paper's neighbours, scored by how many."""
        ...

    def graph_version(self) -> str | None:
        """A value that changes whenever an edge is added or removed or a stub is claimed (None before
        the first): what a neighbourhood computed earlier is still good for."""
        ...

    def order_papers(self, ids: Sequence[str], order: str, limit: int) -> list[str]:
        """The first `limit` of these papers, most cited first ("citations"; ties newer first) or newest
        first ("date"); papers without a count or a day last."""
        ...

    def edges_among(self, paper_ids: Sequence[str]) -> list[tuple[str, str]]:
        """(citing, cited) for every citation between two of these corpus papers, in id order."""
        ...

    def citers_of(self, paper_ids: Sequence[str], limit: int) -> dict[str, list[str]]:
        """Corpus papers citing any of these: {citing id: the ones of them it cites}, those citing the
        most first, at most `limit` citing papers."""
        ...

    def claim_works(self, keys: Sequence[tuple[str, str, int | None]]) -> int:
        """Link stubs to the papers now known by these (paper id, key, year) rows, as `add_keys` takes
        them: an arXiv id or DOI claims a stub outright, a title only within the year. Returns stubs linked."""
        ...
