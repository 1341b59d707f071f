"""Citation refresh: look up papers whose counts are stale, in batches, and keep every count as a snapshot.

Snapshots are history and are never rewritten; the count a paper shows is the newest from the preferred
source, falling back to another source only while the preferred one has none.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Protocol

from paperradar.errors import InputError, SourceError
from paperradar.models import CitationCount, Paper
from paperradar.sources.live.http import PoliteClient
from paperradar.sources.live.openalex import OpenAlex
from paperradar.sources.live.semantic_scholar import SemanticScholar
from paperradar.sources.live.signals import Citations
from paperradar.store.base import Store
from paperradar.sync.config import LiveConfig
from paperradar.sync.summary import Progress, SyncSummary

# The names users type (settings, --source) and the names snapshots are stored under.
SOURCES = {"openalex": "openalex", "s2": "semantic_scholar"}
BATCH = 200  # papers per transaction; the providers batch further within it
MAX_PAPERS = 100_000


class Provider(Protocol):
    def citations(self, keys: list[str]) -> dict[str, Citations]: ...


def _provider(source: str, client: PoliteClient, config: LiveConfig) -> Provider:
    today = config.today
    if source == "openalex":
        url = config.openalex_url.rstrip("/") + "/works"
        return OpenAlex(client, api_key=config.openalex_api_key, base_url=url, today=today)
    url = config.s2_url.rstrip("/") + "/graph/v1/paper/batch"
    return SemanticScholar(client, api_key=config.s2_api_key, base_url=url, today=today)


def lookup_key(paper: Paper) -> str:
    """What to ask by: the arXiv id when there is one (every provider indexes it), else the DOI."""
    return paper.arxiv_id or paper.doi or ""


def shown(current: CitationCount | None, fresh: CitationCount, preferred: str) -> bool:
    """Whether `fresh` should replace the count a paper shows."""
    if current is None:
        return True
    if (fresh.source == preferred) != (current.source == preferred):
        return fresh.source == preferred
    return fresh.newer_than(current)


def _extra(found: Citations) -> dict[str, object]:
    extra: dict[str, object] = {}
    if found.influential is not None:
        extra["influential"] = found.influential
    if found.by_year:
        extra["by_year"] = {str(year): n for year, n in sorted(found.by_year.items())}
    return extra


def sync_citations(
    store: Store,
    config: LiveConfig,
    *,
    source: str | None = None,
    stale_after: int | None = None,
    limit: int = MAX_PAPERS,
    on_progress: Progress | None = None,
) -> SyncSummary:
    source = source or config.citations_source
    if source not in SOURCES:
        raise InputError(f"--source: unknown citation source {source!r}", hint="use openalex or s2")
    days = config.citations_stale_after if stale_after is None else stale_after
    if days < 0:
        raise InputError(f"--stale-after: must not be negative, got {days}")
    name, preferred = SOURCES[source], SOURCES.get(config.citations_source, config.citations_source)
    summary = SyncSummary(f"citations:{source}")
    targets = store.citation_targets(name, config.today() - timedelta(days=days), limit)
    with config.client() as client:
        provider = _provider(source, client, config)
        for start in range(0, len(targets), BATCH):
            batch = targets[start : start + BATCH]
            try:
                found = provider.citations([lookup_key(p) for p in batch])
            except SourceError as exc:
                summary.stop(name, str(exc))
                break
            with store.transaction():
                for paper in batch:
                    _record(store, paper, found.get(lookup_key(paper)), preferred, summary)
            if on_progress:
                on_progress(summary, start + len(batch), len(targets))
    return summary


def _record(store: Store, paper: Paper, found: Citations | None, preferred: str, summary: SyncSummary) -> None:
    if found is None or paper.id is None:
        return  # the provider does not know it; asked again next run
    summary.fetched += 1
    summary.signals += store.add_citation_snapshot(paper.id, found.count, _extra(found))
    if shown(paper.citations, found.count, preferred):
        summary.updated += store.set_citations(paper.id, found.count)
