"""Finding papers: a search in one of three modes, and the papers most like one paper."""

from __future__ import annotations

from paperradar.errors import InputError
from paperradar.models import Filters, SearchMode
from paperradar.search.fusion import Fused
from paperradar.search.modes import find
from paperradar.search.query import parse
from paperradar.search.similar import similar_papers
from paperradar.service.papers import Papers
from paperradar.service.results import Hit, Page, check_filters, check_limit

MAX_FOCUS_CHARS = 2_000


class Searching(Papers):
    """`Library.search` and `Library.similar`."""

    def search(
        self,
        text: str,
        limit: int = 20,
        offset: int = 0,
        filters: Filters | None = None,
        mode: SearchMode | str = SearchMode.HYBRID,
    ) -> Page:
        """Search in a mode. Semantic and hybrid need stored vectors; without any, the search is lexical."""
        check_limit(limit, offset)
        check_filters(filters)
        try:
            mode = SearchMode(mode)
        except ValueError:
            raise InputError(f"mode: must be lexical, semantic or hybrid, got {str(mode)[:40]!r}") from None
        query = parse(text, filters)
        if query.is_empty:
            return Page([], offset, limit)
        embedder = self.embedder if mode is not SearchMode.LEXICAL and self.has_embeddings() else None
        fused = find(self.store, embedder, query, mode, offset + limit)[offset:]
        return Page(self._hydrate_fused(fused), offset, limit, highlights=query.highlights)

    def similar(self, key: str, limit: int = 20, filters: Filters | None = None, focus: str | None = None) -> Page:
        """Papers most like one paper, best first, without it; `focus` (some of its text) steers the likeness."""
        check_limit(limit)
        check_filters(filters)
        if focus is not None and len(focus) > MAX_FOCUS_CHARS:
            raise InputError(f"focus: at most {MAX_FOCUS_CHARS} characters, got {len(focus)}")
        paper = self.paper(key)
        ranking = similar_papers(self.store, self.embedder, paper, limit, filters, focus)
        return Page(self._hydrate(ranking), 0, limit, title=paper.title)

    def _hydrate_fused(self, fused: list[Fused]) -> list[Hit]:
        papers = {p.id: p for p in self.store.papers([f.paper_id for f in fused])}
        return [Hit(papers[f.paper_id], f.score, f.found_by) for f in fused if f.paper_id in papers]
