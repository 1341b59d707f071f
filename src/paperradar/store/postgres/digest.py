"""The PostgreSQL side of the digest: subscribers and the per-day delivery rows that make sends exactly-once.

A mixin of PostgresStore. Statements outside `transaction()` run on an autocommit connection, so a
claim or a finish is durable before the next step of a send.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime

from paperradar.models import Delivery, Subscriber

_SUBSCRIBER = "id, email, status, user_id, created_at, confirmed_at"
_DELIVERY = "subscriber_id, day, status, worker, claimed_at, attempts, finished_at, message_id, error"


def _subscriber(row: tuple) -> Subscriber:
    return Subscriber(int(row[0]), row[1], row[2], row[3], row[4], row[5])


class DigestMixin:
    """Subscribers and deliveries; needs the host's `_rows`, `_run` and `transaction()`."""

    _rows: Callable[..., list[tuple]]
    _run: Callable[..., int]
    transaction: Callable[..., AbstractContextManager[None]]

    def add_subscriber(self, email: str, now: datetime, user_id: int | None = None,
                       confirmed: bool = False) -> tuple[Subscriber, bool]:  # fmt: skip
        with self.transaction(lock="people"):  # two sign-ups of one address run in turn
            found = self.subscriber(email)
            status = "active" if confirmed else "pending"
            if found is None:
                self._run(
                    "INSERT INTO subscribers (email, status, user_id, created_at, confirmed_at) "
                    "VALUES (%s, %s, %s, %s, %s)",
                    (email, status, user_id, now, now if confirmed else None),
                )
            elif found.status == "unsubscribed" or (found.status == "pending" and confirmed):
                self._run(
                    "UPDATE subscribers SET status = %s, confirmed_at = %s, unsubscribed_at = NULL, "
                    "user_id = COALESCE(%s, user_id) WHERE id = %s",
                    (status, now if confirmed else None, user_id, found.id),
                )
            else:
                return found, False
            made = self.subscriber(email)
            assert made is not None  # written just now, in this transaction
            return made, True

    def subscriber(self, email: str) -> Subscriber | None:
        rows = self._rows(f"SELECT {_SUBSCRIBER} FROM subscribers WHERE lower(email) = lower(%s)", (email,))
        return _subscriber(rows[0]) if rows else None

    def confirm_subscriber(self, email: str, now: datetime) -> Subscriber | None:
        self._run(
            "UPDATE subscribers SET status = 'active', confirmed_at = %s WHERE lower(email) = lower(%s) "
            "AND status = 'pending'",
            (now, email),
        )
        found = self.subscriber(email)
        return found if found and found.status == "active" else None

    def unsubscribe(self, email: str, now: datetime) -> bool:
        touched = self._run(
            "UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = %s WHERE lower(email) = lower(%s) "
            "AND status <> 'unsubscribed'",
            (now, email),
        )
        return touched > 0

    def subscribers(self, status: str | None = None, after_id: int = 0, limit: int = 1000) -> list[Subscriber]:
        rows = self._rows(
            f"SELECT {_SUBSCRIBER} FROM subscribers WHERE id > %s AND (%s::text IS NULL OR status = %s) "
            "ORDER BY id LIMIT %s",
            (after_id, status, status, limit),
        )
        return [_subscriber(row) for row in rows]

    def note_confirmation(self, email: str, now: datetime, not_since: datetime) -> bool:
        touched = self._run(
            "UPDATE subscribers SET confirm_sent_at = %s WHERE lower(email) = lower(%s) AND status = 'pending' "
            "AND (confirm_sent_at IS NULL OR confirm_sent_at < %s)",
            (now, email, not_since),
        )
        return touched > 0

    def forget_confirmation(self, email: str) -> None:
        self._run("UPDATE subscribers SET confirm_sent_at = NULL WHERE lower(email) = lower(%s)", (email,))

    def due_subscribers(self, day: date, after_id: int, limit: int) -> list[Subscriber]:
        rows = self._rows(
            f"SELECT {_SUBSCRIBER} FROM subscribers s WHERE s.status = 'active' AND s.id > %s AND NOT EXISTS ("
            "  SELECT 1 FROM deliveries d WHERE d.subscriber_id = s.id AND d.day = %s "
            "  AND d.status IN ('sent', 'refused')"
            ") ORDER BY s.id LIMIT %s",
            (after_id, day, limit),
        )
        return [_subscriber(row) for row in rows]

    def claim_deliveries(self, subscriber_ids: Sequence[int], day: date, worker: str, now: datetime,
                         stale_before: datetime) -> list[int]:  # fmt: skip
        if not subscriber_ids:
            return []
        # One statement for the batch: the conflict clause makes it atomic per row, so two runs claiming
        # at once each get a disjoint share. An unsubscribe after the due list was read wins (status check).
        rows = self._rows(
            "INSERT INTO deliveries (subscriber_id, day, status, worker, claimed_at) "
            "SELECT id, %s, 'sending', %s, %s FROM subscribers WHERE id = ANY(%s) AND status = 'active' "
            "ON CONFLICT (subscriber_id, day) DO UPDATE SET status = 'sending', worker = excluded.worker, "
            "claimed_at = excluded.claimed_at, attempts = deliveries.attempts + 1, error = NULL "
            "WHERE deliveries.status = 'failed' OR (deliveries.status = 'sending' AND deliveries.claimed_at < %s) "
            "RETURNING subscriber_id",
            (day, worker, now, list(subscriber_ids), stale_before),
        )
        return sorted(int(row[0]) for row in rows)

    def renew_claim(self, subscriber_id: int, day: date, worker: str, now: datetime) -> bool:
        touched = self._run(
            "UPDATE deliveries SET claimed_at = %s WHERE subscriber_id = %s AND day = %s AND worker = %s "
            "AND status = 'sending'",
            (now, subscriber_id, day, worker),
        )
        return touched > 0

    def finish_delivery(self, subscriber_id: int, day: date, worker: str, status: str, now: datetime,
                        message_id: str | None = None, error: str | None = None) -> bool:  # fmt: skip
        touched = self._run(
            "UPDATE deliveries SET status = %s, finished_at = %s, message_id = %s, error = %s "
            "WHERE subscriber_id = %s AND day = %s AND worker = %s AND status = 'sending'",
            (status, now, message_id, error, subscriber_id, day, worker),
        )
        return touched > 0

    def release_claims(self, day: date, workers: Sequence[str], now: datetime, error: str) -> int:
        if not workers:
            return 0
        return self._run(
            "UPDATE deliveries SET status = 'failed', finished_at = %s, error = %s "
            "WHERE day = %s AND status = 'sending' AND worker = ANY(%s)",
            (now, error, day, list(workers)),
        )

    def claimants(self, day: date) -> list[str]:
        rows = self._rows(
            "SELECT DISTINCT worker FROM deliveries WHERE day = %s AND status = 'sending' ORDER BY worker", (day,)
        )
        return [row[0] for row in rows]

    def deliveries(self, day: date) -> list[Delivery]:
        rows = self._rows(f"SELECT {_DELIVERY} FROM deliveries WHERE day = %s ORDER BY subscriber_id", (day,))
        return [Delivery(int(r[0]), r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8]) for r in rows]
