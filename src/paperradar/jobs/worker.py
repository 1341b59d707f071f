"""`paperradar worker`: run the daily syncs, then the digest, at their times of day (UTC), logging each run.

Each job runs on its own: one that fails (a service down, a bad answer, a mail server deferring) is
logged and tried again the same day, `worker_retries` times `worker_retry_pause` seconds apart (a sync
resumes where it stopped; a digest sends only what is still due), then at its next time; it never stops
the others. Every date and time comes from `settings.clock`, so a replay can run the worker on any day.
`run_once` runs every job once, in order, for tests, cron and replays (`paperradar worker --once`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from typing import Protocol

from paperradar.errors import ConfigError
from paperradar.service import Library
from paperradar.settings import Settings
from paperradar.sync import SyncSummary

log = logging.getLogger("paperradar.worker")


class Outcome(Protocol):
    """What a job reports: a sync's summary, or the digest's."""

    @property
    def complete(self) -> bool: ...

    def to_dict(self) -> dict[str, object]: ...


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    at: clock_time  # UTC
    run: Callable[[Library], Outcome]


def _at(value: str, setting: str) -> clock_time:
    try:
        hours, minutes = (int(part) for part in value.split(":"))
        return clock_time(hours, minutes)
    except ValueError:
        raise ConfigError(f"PAPERRADAR_{setting.upper()}: {value!r} is not a time of day", hint="use HH:MM") from None


def jobs(settings: Settings) -> list[Job]:
    """The daily jobs, in the order a cycle runs them: arXiv first, so picks and counts find its papers;
    the digest last (when mail is set up), so it tells of what the syncs brought."""
    found = [
        Job("arxiv", _at(settings.worker_arxiv_at, "worker_arxiv_at"), lambda lib: _then_embed(lib, lib.sync_arxiv())),
        Job("hf-daily", _at(settings.worker_hf_at, "worker_hf_at"), lambda lib: _then_embed(lib, lib.sync_hf_daily())),
        Job("citations", _at(settings.worker_citations_at, "worker_citations_at"), lambda lib: lib.sync_citations()),
    ]
    if settings.smtp_url:
        # The day is the worker's clock's, not the digest's default, so a replayed day mails that day.
        send = lambda lib: lib.digests.send(settings.clock.today())  # noqa: E731
        found.append(Job("digest", _at(settings.digest_at, "digest_at"), send))
    return found


def _then_embed(library: Library, summary: SyncSummary) -> SyncSummary:
    """Embed what a sync added, so this morning's papers are in semantic search and similar papers
    today. A model that cannot load is logged; the sync's own result stands."""
    if summary.added or summary.updated:
        try:
            started = time.monotonic()
            embedded = library.embed_pending()
            log.info("embedded %d new or changed papers in %.2fs (%.1f papers/s)", embedded.embedded,
                     time.monotonic() - started, embedded.per_second)  # fmt: skip
        except Exception as exc:  # the papers are stored; `paperradar embed` can finish the job later
            log.error("embedding after the sync failed: %s", exc)
    return summary


def run_job(
    library: Library, job: Job, retries: int = 0, pause: float = 0.0, sleep: Callable[[float], None] = time.sleep
) -> Outcome | None:
    """Run one job, trying again up to `retries` times `pause` seconds apart while it raised or stopped
    early; the last outcome (None when it raised: the error is logged, never propagated)."""
    outcome = _attempt(library, job)
    for attempt in range(1, retries + 1):
        if outcome is not None and outcome.complete:
            break
        log.info("%s: trying again in %.0fs (%d of %d)", job.name, pause, attempt, retries)
        sleep(pause)
        outcome = _attempt(library, job)
    return outcome


def _attempt(library: Library, job: Job) -> Outcome | None:
    started = time.monotonic()
    try:
        summary = job.run(library)
    except Exception as exc:  # one job failing must never stop the others
        log.error("%s failed: %s", job.name, exc, exc_info=not isinstance(exc, ConfigError))
        return None
    level = logging.INFO if summary.complete else logging.WARNING
    log.log(level, "%s %s in %.2fs: %s", job.name, "done" if summary.complete else "stopped",
            time.monotonic() - started, summary.to_dict())  # fmt: skip
    return summary


def run_once(
    library: Library, settings: Settings, sleep: Callable[[float], None] = time.sleep
) -> dict[str, Outcome | None]:
    """Every job once (with its same-day retries), in order. A job that raised maps to None."""
    retries, pause = settings.worker_retries, settings.worker_retry_pause
    return {job.name: run_job(library, job, retries, pause, sleep) for job in jobs(settings)}


def next_run(at: clock_time, now: datetime) -> datetime:
    """The next moment (after `now`) the clock reads `at` in UTC."""
    today = datetime.combine(now.date(), at, tzinfo=UTC)
    return today if today > now else today + timedelta(days=1)


def run_forever(
    library: Library,
    settings: Settings,
    now: Callable[[], datetime] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    cycles: int | None = None,
) -> None:
    """Sleep until the next job is due, run it, repeat (`cycles` jobs, or forever)."""
    now = now or settings.clock.now
    schedule = jobs(settings)
    due = {job.name: next_run(job.at, now()) for job in schedule}
    for job in schedule:
        log.info("%s scheduled daily at %s UTC; next run %s", job.name, job.at.strftime("%H:%M"), due[job.name])
    ran = 0
    while cycles is None or ran < cycles:
        job = min(schedule, key=lambda j: due[j.name])
        wait = (due[job.name] - now()).total_seconds()
        if wait > 0:
            sleep(wait)
        run_job(library, job, settings.worker_retries, settings.worker_retry_pause, sleep)
        due[job.name] = next_run(job.at, max(now(), due[job.name]))
        ran += 1
