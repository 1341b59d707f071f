"""`paperradar worker`: run the daily syncs, then the digest, at their times of day (UTC), logging each run.

Each job runs on its own: one that fails (a service down, a bad answer) is logged and the others still
run; it is tried again at its next time. `run_once` runs every job once, in order, for tests and cron.
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
        found.append(Job("digest", _at(settings.digest_at, "digest_at"), lambda lib: lib.digests.send()))
    return found


def _then_embed(library: Library, summary: SyncSummary) -> SyncSummary:
    """Embed what a sync added, so this morning's papers are in semantic search and similar papers
    today. A model that cannot load is logged; the sync's own result stands."""
    if summary.added or summary.updated:
        try:
            embedded = library.embed_pending()
            log.info("embedded %d new or changed papers (%.1f papers/s)", embedded.embedded, embedded.per_second)
        except Exception as exc:  # the papers are stored; `paperradar embed` can finish the job later
            log.error("embedding after the sync failed: %s", exc)
    return summary


def run_job(library: Library, job: Job) -> Outcome | None:
    """Run one job and log how it went; None when it raised (the error is logged, never propagated)."""
    started = time.monotonic()
    try:
        summary = job.run(library)
    except Exception as exc:  # one job failing must never stop the others
        log.error("%s failed: %s", job.name, exc, exc_info=not isinstance(exc, ConfigError))
        return None
    level = logging.INFO if summary.complete else logging.WARNING
    log.log(level, "%s %s in %.1fs: %s", job.name, "done" if summary.complete else "stopped",
            time.monotonic() - started, summary.to_dict())  # fmt: skip
    return summary


def run_once(library: Library, settings: Settings) -> dict[str, Outcome | None]:
    """Every job once, in order. A job that raised maps to None."""
    return {job.name: run_job(library, job) for job in jobs(settings)}


def next_run(at: clock_time, now: datetime) -> datetime:
    """The next moment (after `now`) the clock reads `at` in UTC."""
    today = datetime.combine(now.date(), at, tzinfo=UTC)
    return today if today > now else today + timedelta(days=1)


def run_forever(
    library: Library,
    settings: Settings,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    sleep: Callable[[float], None] = time.sleep,
    cycles: int | None = None,
) -> None:
    """Sleep until the next job is due, run it, repeat (`cycles` jobs, or forever)."""
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
        run_job(library, job)
        due[job.name] = next_run(job.at, max(now(), due[job.name]))
        ran += 1
