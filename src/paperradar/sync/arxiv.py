"""arXiv syncs: incremental OAI-PMH harvests that resume where they stopped, and ad-hoc API queries.

A harvest commits page by page: each page's papers and the resumption token that follows them are
written in one transaction, so an interrupted harvest resumes at the first page not yet stored and
nothing is half-written. Once a harvest completes, the next one starts from the day the completed one
started (by the server's clock): the overlap re-reads a day at most, which ingest makes harmless.
"""

from __future__ import annotations

from datetime import date, timedelta

from paperradar.errors import SourceError
from paperradar.sources.live.arxiv_api import ArxivApi
from paperradar.sources.live.arxiv_oai import ArxivOai, Page, ResumptionTokenExpired
from paperradar.store.base import Store, SyncState
from paperradar.sync.config import LiveConfig
from paperradar.sync.summary import Progress, SyncSummary
from paperradar.sync.writing import write_records

FIRST_LOOKBACK = timedelta(days=7)  # the first incremental run, with no --from, reads the last week


def state_name(set_spec: str | None, prefix: str) -> str:
    return f"arxiv-oai:{set_spec or 'all'}:{prefix}"


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def sync_oai(
    store: Store,
    config: LiveConfig,
    *,
    set_spec: str | None = None,
    from_: date | None = None,
    until: date | None = None,
    prefix: str = "arXiv",
    on_progress: Progress | None = None,
) -> SyncSummary:
    """Harvest a set from `from_` (default: where the last complete harvest started), resuming an
    unfinished harvest of the same range first."""
    summary = SyncSummary("arxiv")
    set_spec = set_spec or config.arxiv_set
    state = store.sync_state(state_name(set_spec, prefix)) or SyncState(state_name(set_spec, prefix))
    wanted = {"from": _iso(from_), "until": _iso(until)}
    resuming = state.resumption_token is not None and (
        (from_ is None and until is None) or {k: state.cursor.get(k) for k in wanted} == wanted
    )
    if not resuming:
        start = from_ or state.last_datestamp or (config.today() - FIRST_LOOKBACK)
        state.resumption_token = None
        state.cursor = {"from": start.isoformat(), "until": _iso(until), "started": None}
    with config.client() as client:
        for attempt in range(2):
            harvest = ArxivOai(
                client,
                metadata_prefix=prefix,
                set_spec=set_spec,
                from_=date.fromisoformat(state.cursor["from"]),
                until=date.fromisoformat(state.cursor["until"]) if state.cursor.get("until") else None,
                resumption_token=state.resumption_token,
                base_url=config.arxiv_oai_url,
            )
            try:
                for page in harvest.pages():
                    _commit_page(store, state, page, summary, config)
                    if on_progress:
                        on_progress(summary, *harvest.progress())
                return summary
            except ResumptionTokenExpired as exc:
                # The token outlived its harvest: forget it and read the range again from its start.
                summary.error(config.arxiv_oai_url, str(exc))
                state.resumption_token = None
                with store.transaction():
                    store.save_sync_state(state)
                if attempt:
                    summary.complete = False
            except SourceError as exc:
                summary.stop(config.arxiv_oai_url, str(exc))
                return summary
    return summary


def _commit_page(store: Store, state: SyncState, page: Page, summary: SyncSummary, config: LiveConfig) -> None:
    with store.transaction():
        write_records(store, page.records, summary, authoritative=True)
        if state.cursor.get("started") is None:
            started = page.response_date.date() if page.response_date else config.today()
            state.cursor["started"] = started.isoformat()
        state.resumption_token = page.resumption_token
        if page.is_last:
            if state.cursor.get("until") is None:
                state.last_datestamp = date.fromisoformat(state.cursor["started"])
            state.cursor["completed"] = True
        store.save_sync_state(state)


def sync_query(
    store: Store, config: LiveConfig, query: str, *, max_results: int = 100, on_progress: Progress | None = None
) -> SyncSummary:
    """Import the results of an arXiv search (e.g. 'cat:cs.LG AND ti:diffusion'), newest first, page by page."""
    summary = SyncSummary("arxiv-api")
    with config.client() as client:
        search = ArxivApi(client, base_url=config.arxiv_api_url, page_size=min(100, max_results)).search(
            query, sort_by="submittedDate", sort_order="descending", max_results=max_results
        )
        try:
            for page in search.pages():
                with store.transaction():
                    write_records(store, page.records, summary, authoritative=True)
                if on_progress:
                    on_progress(summary, *search.progress())
        except SourceError as exc:
            summary.stop(config.arxiv_api_url, str(exc))
    return summary
