"""Live sources through the Library: arXiv harvests and searches, Hugging Face daily papers, citation
counts; each sync's papers are indexed for keyword search before it reports (see docs/sources.md)."""

from __future__ import annotations

from datetime import date

from paperradar.service.indexes import Indexes
from paperradar.sync import LiveConfig, SyncSummary
from paperradar.sync.arxiv import sync_oai, sync_query
from paperradar.sync.citations import sync_citations
from paperradar.sync.hf_daily import sync_hf_daily
from paperradar.sync.summary import Progress


class Syncing(Indexes):
    """`Library.sync_arxiv`, `sync_arxiv_query`, `sync_hf_daily` and `sync_citations`."""

    def live_config(self) -> LiveConfig:
        s = self.settings
        return LiveConfig(
            contact_email=s.contact_email,
            arxiv_oai_url=s.arxiv_oai_url,
            arxiv_api_url=s.arxiv_api_url,
            hf_url=s.hf_url,
            openalex_url=s.openalex_url,
            s2_url=s.s2_url,
            openalex_api_key=s.openalex_api_key,
            s2_api_key=s.s2_api_key,
            arxiv_set=s.arxiv_set,
            citations_source=s.citations_source,
            citations_stale_after=s.citations_stale_after,
            max_retries=s.http_max_retries,
            min_interval=s.http_min_interval,
            timeout=s.http_timeout,
            today=s.clock.today,
        )

    def sync_arxiv(self, set_spec: str | None = None, from_: date | None = None, until: date | None = None,
                   metadata_prefix: str = "arXiv", on_progress: Progress | None = None) -> SyncSummary:  # fmt: skip
        """Harvest arXiv over OAI-PMH, resuming an unfinished harvest; see docs/sources.md."""
        return self._indexed(sync_oai(self.store, self.live_config(), set_spec=set_spec, from_=from_, until=until,
                                      prefix=metadata_prefix, on_progress=on_progress))  # fmt: skip

    def sync_arxiv_query(self, query: str, max_results: int = 100, on_progress: Progress | None = None) -> SyncSummary:
        """Import the results of an arXiv search query."""
        return self._indexed(sync_query(self.store, self.live_config(), query, max_results=max_results,
                                        on_progress=on_progress))  # fmt: skip

    def sync_hf_daily(self, day: date | None = None, since: date | None = None,
                      on_progress: Progress | None = None) -> SyncSummary:  # fmt: skip
        """Hugging Face daily papers of a day, or of every day since a date, as papers and signals."""
        summary = sync_hf_daily(self.store, self.live_config(), day=day, since=since, on_progress=on_progress)
        return self._indexed(summary)

    def sync_citations(self, source: str | None = None, stale_after: int | None = None,
                       on_progress: Progress | None = None) -> SyncSummary:  # fmt: skip
        """Refresh citation counts older than `stale_after` days from OpenAlex or Semantic Scholar."""
        return self._indexed(sync_citations(self.store, self.live_config(), source=source, stale_after=stale_after,
                                            on_progress=on_progress))  # fmt: skip

    def _indexed(self, summary: SyncSummary) -> SyncSummary:
        """A sync's papers indexed for keyword search before it reports (also when the worker runs it)."""
        self.sync_indexes()
        return summary
