"""Send a day's digest to every due subscriber exactly once, recording each delivery in the store.

For each batch of due subscribers: claim their (subscriber, day) rows in one committed transaction,
then per subscriber render, hand the mail to SMTP, and commit 'sent' (or 'refused'). A second run at
the same time claims nothing the first holds; a run after a crash reclaims the claims of the dead run
(at once on this machine, after the claim timeout elsewhere).

The one window no bookkeeping closes: the SMTP server has accepted a mail and the run dies before
'sent' is committed. The rerun sends that digest again: at-least-once, chosen because a lost digest is
silent while a second copy is visible, rare (the window is one SMTP reply) and carries the same
Message-ID, which mail clients use to fold duplicates. At-most-once would skip that subscriber for
the day with no sign anything went wrong.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from paperradar.digest.claims import dead_here, worker_token
from paperradar.digest.render import Mail
from paperradar.mail import MailError, MailRefused
from paperradar.models import Subscriber
from paperradar.store.base import DeliveryStore

BATCH = 200


class Session(Protocol):
    def send_raw(self, recipient: str, data: bytes) -> None: ...


@dataclass(slots=True)
class SendSummary:
    """What a run did. `due`: subscribers without a finished digest of the day when the run reached them;
    `skipped`: of those, the ones another live run was sending; `failed`: left due by a stopped run."""

    day: date
    dry_run: bool = False
    papers: int = 0
    due: int = 0
    sent: int = 0
    skipped: int = 0
    refused: int = 0
    failed: int = 0
    reclaimed: int = 0
    error: str | None = None
    seconds: dict[str, float] = field(default_factory=lambda: {"render": 0.0, "smtp": 0.0, "bookkeeping": 0.0})

    @property
    def complete(self) -> bool:
        return self.error is None

    def to_dict(self) -> dict[str, object]:
        return {
            "day": self.day.isoformat(), "dry_run": self.dry_run, "papers": self.papers, "due": self.due,
            "sent": self.sent, "skipped": self.skipped, "refused": self.refused, "failed": self.failed,
            "reclaimed": self.reclaimed, "error": self.error,
            "seconds": {phase: round(value, 3) for phase, value in self.seconds.items()},
        }  # fmt: skip


@contextmanager
def _timed(summary: SendSummary, phase: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        summary.seconds[phase] += time.perf_counter() - started


@dataclass(slots=True)
class DigestRun:
    """One run over one day. `build(subscriber)` renders a subscriber's mail."""

    store: DeliveryStore
    day: date
    build: Callable[[Subscriber], Mail]
    claim_timeout: float
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    worker: str = field(default_factory=worker_token)
    batch: int = BATCH

    def dry_run(self, summary: SendSummary) -> SendSummary:
        """Render every due subscriber's digest, count, send nothing and record nothing."""
        summary.dry_run = True
        for due in self._due(summary):
            summary.due += len(due)
            with _timed(summary, "render"):
                for subscriber in due:
                    self.build(subscriber)
        return summary

    def send(self, summary: SendSummary, session: AbstractContextManager[Session]) -> SendSummary:
        with _timed(summary, "bookkeeping"):
            dead = dead_here(self.store.claimants(self.day))
            summary.reclaimed = self.store.release_claims(self.day, dead, self.clock(), "the run sending it died")
        try:
            with session as mail:
                for due in self._due(summary):
                    summary.due += len(due)
                    if not self._send_batch(summary, due, mail):
                        break
        finally:
            # Whatever stopped this run (a lost connection, an error, ^C), what it holds is due again now.
            self.store.release_claims(self.day, [self.worker], self.clock(), summary.error or "the run stopped")
        return summary

    def _due(self, summary: SendSummary) -> Iterator[list[Subscriber]]:
        after = 0
        while True:
            with _timed(summary, "bookkeeping"):
                due = self.store.due_subscribers(self.day, after, self.batch)
            if not due:
                return
            after = due[-1].id
            yield due

    def _send_batch(self, summary: SendSummary, due: Sequence[Subscriber], mail: Session) -> bool:
        """Claim and send one batch; False when the connection failed and the run must stop."""
        with _timed(summary, "bookkeeping"):
            now = self.clock()
            stale = now - timedelta(seconds=self.claim_timeout)
            claimed = set(self.store.claim_deliveries([s.id for s in due], self.day, self.worker, now, stale))
        summary.skipped += len(due) - len(claimed)
        mine = [s for s in due if s.id in claimed]
        for done, subscriber in enumerate(mine):
            with _timed(summary, "render"):
                message = self.build(subscriber)
            try:
                with _timed(summary, "smtp"):
                    mail.send_raw(message.to, message.data)
            except MailRefused as refusal:
                summary.refused += 1
                self._finish(summary, subscriber, "refused", error=str(refusal)[:500])
                continue
            except MailError as error:
                summary.error = f"{error} (sent {summary.sent}; the rest stay due: run again)"
                summary.failed = len(mine) - done
                return False
            summary.sent += 1
            self._finish(summary, subscriber, "sent", message_id=message.message_id)
        return True

    def _finish(self, summary: SendSummary, subscriber: Subscriber, status: str, message_id: str | None = None,
                error: str | None = None) -> None:  # fmt: skip
        with _timed(summary, "bookkeeping"):
            self.store.finish_delivery(subscriber.id, self.day, self.worker, status, self.clock(), message_id, error)
