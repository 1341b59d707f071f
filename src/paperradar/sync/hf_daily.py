"""Hugging Face daily papers: each day's picks become papers (merged by arXiv id) and dated signals.

Each day commits whole (its papers, their signals and the sync state), so a failure part-way keeps the
days already read and the next run starts again at the day that failed.
"""

from __future__ import annotations

from datetime import date, timedelta

from paperradar.errors import InputError, SourceError
from paperradar.models.signal import Signal
from paperradar.sources.live.hf_daily import DailyPapers, HfDaily
from paperradar.store.base import Store, SyncState
from paperradar.sync.config import LiveConfig
from paperradar.sync.summary import Progress, SyncSummary
from paperradar.sync.writing import write_records

STATE = "hf-daily"
SOURCE = "huggingface"
MAX_DAYS = 366  # one request per day: a longer backfill is a mistake more often than not


def days_to_sync(store: Store, today: date, day: date | None, since: date | None) -> list[date]:
    """The days asked for; by default the last day synced (its counts have grown since) through today."""
    if day and since:
        raise InputError("give either a day or a first day (--date or --since), not both")
    if day:
        return [day]
    if since is None:
        state = store.sync_state(STATE)
        since = state.last_datestamp if state and state.last_datestamp else today
    if since > today:
        raise InputError(f"--since {since} is in the future (today is {today} UTC)")
    count = (today - since).days + 1
    if count > MAX_DAYS:
        raise InputError(f"--since {since} asks for {count} days; at most {MAX_DAYS} at once")
    return [since + timedelta(days=n) for n in range(count)]


def sync_hf_daily(
    store: Store,
    config: LiveConfig,
    *,
    day: date | None = None,
    since: date | None = None,
    on_progress: Progress | None = None,
) -> SyncSummary:
    summary = SyncSummary("hf-daily")
    today = config.today()
    days = days_to_sync(store, today, day, since)
    with config.client() as client:
        source = HfDaily(client, base_url=config.hf_url.rstrip("/") + "/api/daily_papers", today=lambda: today)
        for done, listed in enumerate(days, start=1):
            try:
                listing = source.day(listed)
            except SourceError as exc:
                summary.stop(f"{config.hf_url} {listed}", str(exc))
                break
            _commit_day(store, listing, summary)
            if on_progress:
                on_progress(summary, done, len(days))
    return summary


def _commit_day(store: Store, listing: DailyPapers, summary: SyncSummary) -> None:
    with store.transaction():
        papers = write_records(store, listing.records, summary)
        ids = {p.arxiv_id: p.id for p in papers if p.arxiv_id and p.id}
        for item in listing.signals:
            paper_id = ids.get(item.arxiv_id)
            if paper_id is None:  # its record was bad; the signal has no paper to sit on
                continue
            signal = Signal(SOURCE, item.kind, item.value, item.as_of, item.url)
            summary.signals += store.add_signal(paper_id, signal)
        state = store.sync_state(STATE) or SyncState(STATE)
        if state.last_datestamp is None or listing.day >= state.last_datestamp:
            state.last_datestamp = listing.day
        store.save_sync_state(state)
