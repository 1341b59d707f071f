"""The service facade: every use case is one method of `Library`. The web app, the CLI and the jobs
call only this, so the JSON API and the HTML pages always agree."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from paperradar.errors import InputError, PaperNotFound
from paperradar.ingest import ImportSummary, import_records
from paperradar.models import Filters, Paper
from paperradar.models.signal import CitationSnapshot, Signal
from paperradar.rank.best import BestOfRange, best_of
from paperradar.search.keyword import keyword_search
from paperradar.search.query import parse
from paperradar.settings import Settings
from paperradar.sources.base import Source
from paperradar.sources.files import open_source
from paperradar.store import Stats, Store, open_store
from paperradar.sync import LiveConfig, SyncSummary
from paperradar.sync.arxiv import sync_oai, sync_query
from paperradar.sync.citations import sync_citations
from paperradar.sync.hf_daily import sync_hf_daily
from paperradar.sync.summary import Progress

MAX_LIMIT = 1_000
DEMO_CORPUS = "seed-papers.jsonl.gz"


@dataclass(frozen=True, slots=True)
class Hit:
    paper: Paper
    score: float

    def to_dict(self) -> dict[str, object]:
        """A result as the CLI's --json and the JSON API both print it: the paper plus its score."""
        return {**self.paper.to_dict(), "score": round(self.score, 6)}


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a ranking, hydrated into papers."""

    hits: list[Hit]
    offset: int
    limit: int
    title: str = ""


def _check_limit(limit: int, offset: int = 0) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"limit: must be between 1 and {MAX_LIMIT}, got {limit}")
    if offset < 0:
        raise InputError(f"offset: must not be negative, got {offset}")


class Library:
    """paperradar's use cases over one store."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store

    @classmethod
    def open(cls, settings: Settings) -> Library:
        return cls(settings, open_store(settings.database))

    def close(self) -> None:
        self.store.close()

    # -- ingest -------------------------------------------------------------
    def sources(self, paths: Iterable[Path], fmt: str = "auto") -> list[Source]:
        """Open every file before importing any, so a missing file fails before anything is written."""
        return [open_source(Path(p), fmt) for p in paths]

    def import_sources(
        self,
        sources: list[Source],
        strict: bool = False,
        on_progress: Callable[[Source, ImportSummary], None] | None = None,
    ) -> ImportSummary:
        total = ImportSummary()
        if strict:  # all files or none
            with self.store.transaction():
                for source in sources:
                    total.add(self._import_one(source, strict, on_progress))
            return total
        for source in sources:
            total.add(self._import_one(source, strict, on_progress))
        return total

    def _import_one(self, source: Source, strict: bool, on_progress) -> ImportSummary:
        callback = (lambda summary: on_progress(source, summary)) if on_progress else None
        return import_records(self.store, source.read(), strict=strict, on_batch=callback)

    def demo_corpus_path(self) -> Path:
        return Path(str(resources.files("paperradar.data") / DEMO_CORPUS))

    def load_demo_if_empty(self) -> ImportSummary | None:
        """Import the bundled seed papers into an empty database; None when it already has papers."""
        if self.store.count() > 0:
            return None
        return self.import_sources(self.sources([self.demo_corpus_path()]))

    # -- find -----------------------------------------------------------------
    def search(self, text: str, limit: int = 20, offset: int = 0, filters: Filters | None = None) -> Page:
        _check_limit(limit, offset)
        query = parse(text, filters)
        if query.is_empty:
            return Page([], offset, limit)
        ranking = keyword_search(self.store, query, offset + limit)[offset:]
        return Page(self._hydrate(ranking), offset, limit)

    def paper(self, key: str) -> Paper:
        """A paper by public id, arXiv id (any version) or DOI."""
        pid = self.store.resolve(key.strip()) if key and len(key) <= 300 else None
        papers = self.store.papers([pid]) if pid else []
        if not papers:
            raise PaperNotFound(f"no paper with id {key[:100]!r}", hint="try `paperradar search`")
        return papers[0]

    def latest(self, limit: int = 25, offset: int = 0, filters: Filters | None = None) -> Page:
        _check_limit(limit, offset)
        return Page(self._hydrate(self.store.latest(filters or Filters(), limit, offset)), offset, limit)

    # -- rank -----------------------------------------------------------------
    def best(
        self,
        year: int | None = None,
        since: int | None = None,
        until: int | None = None,
        limit: int = 100,
        offset: int = 0,
        filters: Filters | None = None,
    ) -> Page:
        _check_limit(limit, offset)
        years = BestOfRange.of(year, since, until)
        ranking = best_of(self.store, years, filters or Filters(), limit, offset)
        return Page(self._hydrate(ranking), offset, limit, title=years.title)

    def stats(self) -> Stats:
        return self.store.stats()

    def _hydrate(self, ranking: list[tuple[str, float]]) -> list[Hit]:
        """Turn a ranking into hits with one batch read."""
        papers = {p.id: p for p in self.store.papers([pid for pid, _ in ranking])}
        return [Hit(papers[pid], score) for pid, score in ranking if pid in papers]

    # -- live sources (sync/) ---------------------------------------------------
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
        )

    def sync_arxiv(self, set_spec: str | None = None, from_: date | None = None, until: date | None = None,
                   metadata_prefix: str = "arXiv", on_progress: Progress | None = None) -> SyncSummary:  # fmt: skip
        """Harvest arXiv over OAI-PMH, resuming an unfinished harvest; see docs/sources.md."""
        return sync_oai(self.store, self.live_config(), set_spec=set_spec, from_=from_, until=until,
                        prefix=metadata_prefix, on_progress=on_progress)  # fmt: skip

    def sync_arxiv_query(self, query: str, max_results: int = 100, on_progress: Progress | None = None) -> SyncSummary:
        """Import the results of an arXiv search query."""
        return sync_query(self.store, self.live_config(), query, max_results=max_results, on_progress=on_progress)

    def sync_hf_daily(self, day: date | None = None, since: date | None = None,
                      on_progress: Progress | None = None) -> SyncSummary:  # fmt: skip
        """Hugging Face daily papers of a day, or of every day since a date, as papers and signals."""
        return sync_hf_daily(self.store, self.live_config(), day=day, since=since, on_progress=on_progress)

    def sync_citations(self, source: str | None = None, stale_after: int | None = None,
                       on_progress: Progress | None = None) -> SyncSummary:  # fmt: skip
        """Refresh citation counts older than `stale_after` days from OpenAlex or Semantic Scholar."""
        return sync_citations(self.store, self.live_config(), source=source, stale_after=stale_after,
                              on_progress=on_progress)  # fmt: skip

    def signals(self, paper_id: str) -> list[Signal]:
        return self.store.signals(paper_id)

    def citation_snapshots(self, paper_id: str) -> list[CitationSnapshot]:
        return self.store.citation_snapshots(paper_id)
