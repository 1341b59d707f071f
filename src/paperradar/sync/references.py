"""Reference sync: read from OpenAlex or Semantic Scholar what each paper cites, for papers never read
by that source or read too long ago.

Resumable and idempotent by construction: each batch commits its edges with the note that the papers
were read, so a run killed midway starts again at the first paper not yet read, and a re-read replaces
the source's list of a paper rather than adding to it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Protocol

from paperradar.errors import InputError, SourceError
from paperradar.ingest.references import record_references
from paperradar.models import CitedWork
from paperradar.sources.live.http import PoliteClient
from paperradar.sources.live.openalex_references import OpenAlexReferences
from paperradar.sources.live.s2_references import SemanticScholarReferences
from paperradar.store.base import Store
from paperradar.sync.citations import SOURCES, lookup_key
from paperradar.sync.config import LiveConfig
from paperradar.sync.summary import Progress, SyncSummary

SOURCE = "openalex"
BATCH = 50  # papers per transaction: for OpenAlex one list call for them, a few for what they cite
MAX_PAPERS = 100_000


class Provider(Protocol):
    def references(self, keys: list[str]) -> dict[str, list[CitedWork]]: ...


def _provider(source: str, client: PoliteClient, config: LiveConfig) -> Provider:
    if source == "openalex":
        return OpenAlexReferences(client, api_key=config.openalex_api_key,
                                  base_url=config.openalex_url.rstrip("/") + "/works")  # fmt: skip
    return SemanticScholarReferences(client, api_key=config.s2_api_key,
                                     base_url=config.s2_url.rstrip("/") + "/graph/v1/paper")  # fmt: skip


def sync_references(
    store: Store,
    config: LiveConfig,
    source: str = "openalex",
    *,
    stale_after: int | None = None,
    limit: int = MAX_PAPERS,
    on_progress: Progress | None = None,
) -> SyncSummary:
    """Fetch the references of papers whose list from `source` ("openalex" or "s2") is missing or older
    than `stale_after` days (default: the citation counts' staleness). `signals` counts the edges new
    in this run. Each source's list of a paper is kept apart: a re-read replaces only its own edges."""
    if source not in SOURCES:
        raise InputError(f"--source: expected one of {', '.join(SOURCES)}, got {source[:40]!r}")
    days = config.citations_stale_after if stale_after is None else stale_after
    if days < 0:
        raise InputError(f"--stale-after: must not be negative, got {days}")
    stored = SOURCES[source]
    summary = SyncSummary(f"references:{stored}")
    today = config.today()
    targets = store.reference_targets(stored, today - timedelta(days=days), limit)
    with config.client() as client:
        provider = _provider(source, client, config)
        for start in range(0, len(targets), BATCH):
            papers = store.papers(targets[start : start + BATCH])
            try:
                found = provider.references([lookup_key(p) for p in papers])
            except SourceError as exc:
                summary.stop(stored, str(exc))
                break
            with store.transaction():
                for paper in papers:
                    works = found.get(lookup_key(paper))
                    if works is None or paper.id is None:
                        continue  # the source does not know it; asked again next run
                    summary.fetched += 1
                    summary.signals += record_references(store, paper.id, stored, today, works)
            if on_progress:
                on_progress(summary, start + len(papers), len(targets))
    return summary
