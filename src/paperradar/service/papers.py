"""One paper and what is known of it (its BibTeX entry, citation counts over time, signals), and the
counts the pages show of the whole database."""

from __future__ import annotations

from datetime import date

from paperradar.errors import PaperNotFound
from paperradar.models import Paper
from paperradar.models.signal import CitationCount, CitationSnapshot, Signal
from paperradar.rank.bibtex import bibtex
from paperradar.service.base import LibraryBase
from paperradar.store import Stats


class Papers(LibraryBase):
    """`Library.paper` and what hangs off one paper."""

    def paper(self, key: str) -> Paper:
        """A paper by public id, arXiv id (any version) or DOI."""
        pid = self.store.resolve(key.strip()) if key and len(key) <= 300 else None
        papers = self.store.papers([pid]) if pid else []
        if not papers:
            raise PaperNotFound(f"no paper with id {key[:100]!r}", hint="try `paperradar search`")
        return papers[0]

    def bibtex(self, key: str) -> str:
        """A paper as a BibTeX entry, to cite it."""
        return bibtex(self.paper(key))

    def signals(self, paper_id: str) -> list[Signal]:
        return self.store.signals(paper_id)

    def citation_snapshots(self, paper_id: str) -> list[CitationSnapshot]:
        return self.store.citation_snapshots(paper_id)

    def citation_history(self, paper_id: str) -> list[CitationCount]:
        """Every citation count recorded for a paper, oldest first: the paper page's chart and the API's."""
        return self.store.citation_history(paper_id)

    def added_on(self, ids: list[str]) -> dict[str, date]:
        """The day each paper entered this database: what an undated paper's feed item is dated by."""
        return self.store.added_on(ids)

    def paper_count(self) -> int:
        return self.store.count()

    def latest_complete_year(self) -> int | None:
        """The newest year before this one that has papers: the nav's "Best of" year."""
        return self.store.newest_year(before=self.settings.clock.today().year)

    def stats(self) -> Stats:
        return self.store.stats()
