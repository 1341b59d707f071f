"""Send a day's digest to every due subscriber once, recording each delivery in the store.

For each batch of due subscribers: claim their (subscriber, day) rows in one committed transaction, so
runs at the same time share the work. Then per subscriber: render, renew the claim (committed; a claim
another run took meanwhile is left to it, never sent), hand the mail to SMTP, and commit 'sent' (or
'refused'). A claim is stale, and open to another run, only once it is `claim_timeout` old; since each
send renews its claim first and one SMTP hand-off is bounded well under the timeout (see
`smtp_timeout`), a slow run never sends a digest another run has taken over. A run after a crash
reclaims the dead run's claims (at once in the same process space, after the claim timeout elsewhere).

The one window no bookkeeping closes: the SMTP server has accepted a mail and the run dies before
'sent' is committed. The rerun sends that digest again: at-least-once, chosen because a lost digest is
silent while a second copy is visible, rare (the window is one SMTP reply) and carries the same
Message-ID, which mail clients use to fold duplicates. At-most-once would skip that subscriber for
the day with no sign anything went wrong.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol

from paperradar.digest.claims import dead_here, worker_token
from paperradar.digest.render import Mail
from paperradar.mail import MailError, MailRefused
from paperradar.models import Subscriber
from paperradar.store.base import DeliveryStore

log = logging.getLogger("paperradar.digest")

BATCH = 200
_SMTP_STEPS = 20  # network waits of one hand-off at worst: two attempts of connect, TLS, login, MAIL, RCPT, DATA


def smtp_timeout(claim_timeout: float) -> float:
    """The SMTP client's wait per network step, so that a whole hand-off ends well within a claim's life."""
    return min(30.0, claim_timeout / _SMTP_STEPS)


class Session(Protocol):
    def send_raw(self, recipient: str, data: bytes) -> None: ...


@dataclass(slots=True)
class SendSummary:
    """What a run did. `due`: subscribers without a finished digest of the day when the run reached them;
    `skipped`: of those, the ones another run was sending; `failed`: left due by a stopped run;
    `broken`: whose digest could not be composed (their data; logged, left due, the run goes on);
    `lost`: sent, but their claim was gone when 'sent' was recorded (a second copy may have gone out)."""

    day: date
    dry_run: bool = False
    papers: int = 0
    due: int = 0
    sent: int = 0
    skipped: int = 0
    refused: int = 0
    failed: int = 0
    reclaimed: int = 0
    broken: int = 0
    lost: int = 0
    error: str | None = None
    seconds: dict[str, float] = field(default_factory=lambda: {"render": 0.0, "smtp": 0.0, "bookkeeping": 0.0})

    @property
    def complete(self) -> bool:
        return self.error is None

    def to_dict(self) -> dict[str, object]:
        return {
            "day": self.day.isoformat(), "dry_run": self.dry_run, "papers": self.papers, "due": self.due,
            "sent": self.sent, "skipped": self.skipped, "refused": self.refused, "failed": self.failed,
            "reclaimed": self.reclaimed, "broken": self.broken, "lost": self.lost, "error": self.error,
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
    clock: Callable[[], datetime]
    worker: str = field(default_factory=worker_token)
    batch: int = BATCH

    def dry_run(self, summary: SendSummary) -> SendSummary:
        """Render every due subscriber's digest, count, send nothing and record nothing."""
        summary.dry_run = True
        for due in self._due(summary):
            summary.due += len(due)
            for subscriber in due:
                self._compose(summary, subscriber, record=False)
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
            message = self._compose(summary, subscriber)
            if message is None:
                continue
            with _timed(summary, "bookkeeping"):
                held = self.store.renew_claim(subscriber.id, self.day, self.worker, self.clock())
            if not held:  # our claim went stale and another run took it: that run sends this one
                summary.skipped += 1
                continue
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

    def _compose(self, summary: SendSummary, subscriber: Subscriber, record: bool = True) -> Mail | None:
        """The subscriber's mail, or None when their data breaks it: logged, counted, their row due again."""
        try:
            with _timed(summary, "render"):
                return self.build(subscriber)
        except Exception as error:  # one subscriber's bad data must not stop everyone else's digest
            reason = f"cannot compose: {type(error).__name__}: {error}"[:500]
            log.error("digest %s: subscriber %d: %s", self.day, subscriber.id, reason)
            summary.broken += 1
            if record:
                self._finish(summary, subscriber, "failed", error=reason)
            return None

    def _finish(self, summary: SendSummary, subscriber: Subscriber, status: str, message_id: str | None = None,
                error: str | None = None) -> None:  # fmt: skip
        with _timed(summary, "bookkeeping"):
            recorded = self.store.finish_delivery(subscriber.id, self.day, self.worker, status, self.clock(),
                                                  message_id, error)  # fmt: skip
        if not recorded and status != "failed":
            # The hand-off outlived the claim (a relay slower than its timeouts allow): another run may
            # have sent this digest too. Said loudly, since nothing else would tell.
            summary.lost += 1
            log.warning("digest %s: subscriber %d's claim was taken while their mail was %s; they may get two",
                        self.day, subscriber.id, status)  # fmt: skip
