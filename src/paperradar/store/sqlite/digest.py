"""The SQLite side of the digest: subscribers and the per-day delivery rows that make sends exactly-once.

A mixin of SQLiteStore. Times are stored as UTC ISO text with microseconds, so they sort as text.
Single statements outside `transaction()` commit on their own (the connection is in autocommit mode),
which is what a claim and a finish need: each is durable before the next step of a send.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime

from paperradar.models import Delivery, Subscriber

_SUBSCRIBER = "id, email, status, user_id, created_at, confirmed_at"
_DELIVERY = "subscriber_id, day, status, worker, claimed_at, attempts, finished_at, message_id, error"


def _time(value: datetime | None) -> str | None:
    return value.isoformat(timespec="microseconds") if value else None


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _subscriber(row: tuple) -> Subscriber:
    return Subscriber(row[0], row[1], row[2], row[3], datetime.fromisoformat(row[4]), _parse(row[5]))


class DigestMixin:
    """Subscribers and deliveries; needs the host class's `_conn()` and `transaction()`."""

    _conn: Callable[[], sqlite3.Connection]
    transaction: Callable[..., AbstractContextManager[None]]

    def add_subscriber(self, email: str, now: datetime, user_id: int | None = None,
                       confirmed: bool = False) -> tuple[Subscriber, bool]:  # fmt: skip
        with self.transaction(lock="people"):
            found = self.subscriber(email)
            status = "active" if confirmed else "pending"
            conn = self._conn()
            if found is None:
                conn.execute(
                    "INSERT INTO subscribers (email, status, user_id, created_at, confirmed_at) VALUES (?, ?, ?, ?, ?)",
                    (email, status, user_id, _time(now), _time(now) if confirmed else None),
                )
            elif found.status == "unsubscribed" or (found.status == "pending" and confirmed):
                conn.execute(
                    "UPDATE subscribers SET status = ?, confirmed_at = ?, unsubscribed_at = NULL, "
                    "user_id = COALESCE(?, user_id) WHERE id = ?",
                    (status, _time(now) if confirmed else None, user_id, found.id),
                )
            else:
                return found, False
            made = self.subscriber(email)
            assert made is not None  # written just now, in this transaction
            return made, True

    def subscriber(self, email: str) -> Subscriber | None:
        row = (
            self._conn()
            .execute(f"SELECT {_SUBSCRIBER} FROM subscribers WHERE lower(email) = lower(?)", (email,))
            .fetchone()
        )
        return _subscriber(row) if row else None

    def confirm_subscriber(self, email: str, now: datetime) -> Subscriber | None:
        self._conn().execute(
            "UPDATE subscribers SET status = 'active', confirmed_at = ? WHERE lower(email) = lower(?) "
            "AND status = 'pending'",
            (_time(now), email),
        )
        found = self.subscriber(email)
        return found if found and found.status == "active" else None

    def unsubscribe(self, email: str, now: datetime) -> bool:
        cursor = self._conn().execute(
            "UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = ? WHERE lower(email) = lower(?) "
            "AND status != 'unsubscribed'",
            (_time(now), email),
        )
        return cursor.rowcount > 0

    def subscribers(self, status: str | None = None, after_id: int = 0, limit: int = 1000) -> list[Subscriber]:
        rows = self._conn().execute(
            f"SELECT {_SUBSCRIBER} FROM subscribers WHERE id > ? AND (? IS NULL OR status = ?) ORDER BY id LIMIT ?",
            (after_id, status, status, limit),
        )
        return [_subscriber(row) for row in rows]

    def note_confirmation(self, email: str, now: datetime, not_since: datetime) -> bool:
        cursor = self._conn().execute(
            "UPDATE subscribers SET confirm_sent_at = ? WHERE lower(email) = lower(?) AND status = 'pending' "
            "AND (confirm_sent_at IS NULL OR confirm_sent_at < ?)",
            (_time(now), email, _time(not_since)),
        )
        return cursor.rowcount > 0

    def forget_confirmation(self, email: str) -> None:
        self._conn().execute("UPDATE subscribers SET confirm_sent_at = NULL WHERE lower(email) = lower(?)", (email,))

    def due_subscribers(self, day: date, after_id: int, limit: int) -> list[Subscriber]:
        rows = self._conn().execute(
            f"SELECT {_SUBSCRIBER} FROM subscribers s WHERE s.status = 'active' AND s.id > ? AND NOT EXISTS ("
            "  SELECT 1 FROM deliveries d WHERE d.subscriber_id = s.id AND d.day = ? "
            "  AND d.status IN ('sent', 'refused')"
            ") ORDER BY s.id LIMIT ?",
            (after_id, day.isoformat(), limit),
        )
        return [_subscriber(row) for row in rows]

    def claim_deliveries(self, subscriber_ids: Sequence[int], day: date, worker: str, now: datetime,
                         stale_before: datetime) -> list[int]:  # fmt: skip
        claimed = []
        with self.transaction(lock="people"):
            conn = self._conn()
            for subscriber_id in subscriber_ids:
                # An unsubscribe that landed after the due list was read wins: only active rows are claimed.
                row = conn.execute(
                    "INSERT INTO deliveries (subscriber_id, day, status, worker, claimed_at) "
                    "SELECT id, ?, 'sending', ?, ? FROM subscribers WHERE id = ? AND status = 'active' "
                    "ON CONFLICT (subscriber_id, day) DO UPDATE SET status = 'sending', worker = excluded.worker, "
                    "claimed_at = excluded.claimed_at, attempts = deliveries.attempts + 1, error = NULL "
                    "WHERE deliveries.status = 'failed' "
                    "OR (deliveries.status = 'sending' AND deliveries.claimed_at < ?) "
                    "RETURNING subscriber_id",
                    (day.isoformat(), worker, _time(now), subscriber_id, _time(stale_before)),
                ).fetchone()
                if row:
                    claimed.append(row[0])
        return claimed

    def renew_claim(self, subscriber_id: int, day: date, worker: str, now: datetime) -> bool:
        cursor = self._conn().execute(
            "UPDATE deliveries SET claimed_at = ? WHERE subscriber_id = ? AND day = ? AND worker = ? "
            "AND status = 'sending'",
            (_time(now), subscriber_id, day.isoformat(), worker),
        )
        return cursor.rowcount > 0

    def finish_delivery(self, subscriber_id: int, day: date, worker: str, status: str, now: datetime,
                        message_id: str | None = None, error: str | None = None) -> bool:  # fmt: skip
        cursor = self._conn().execute(
            "UPDATE deliveries SET status = ?, finished_at = ?, message_id = ?, error = ? "
            "WHERE subscriber_id = ? AND day = ? AND worker = ? AND status = 'sending'",
            (status, _time(now), message_id, error, subscriber_id, day.isoformat(), worker),
        )
        return cursor.rowcount > 0

    def release_claims(self, day: date, workers: Sequence[str], now: datetime, error: str) -> int:
        if not workers:
            return 0
        marks = ",".join("?" * len(workers))
        cursor = self._conn().execute(
            "UPDATE deliveries SET status = 'failed', finished_at = ?, error = ? "
            f"WHERE day = ? AND status = 'sending' AND worker IN ({marks})",
            (_time(now), error, day.isoformat(), *workers),
        )
        return cursor.rowcount

    def claimants(self, day: date) -> list[str]:
        rows = self._conn().execute(
            "SELECT DISTINCT worker FROM deliveries WHERE day = ? AND status = 'sending' ORDER BY worker",
            (day.isoformat(),),
        )
        return [row[0] for row in rows]

    def deliveries(self, day: date) -> list[Delivery]:
        rows = self._conn().execute(
            f"SELECT {_DELIVERY} FROM deliveries WHERE day = ? ORDER BY subscriber_id", (day.isoformat(),)
        )
        return list(_deliveries(rows))


def _deliveries(rows: Iterator[tuple]) -> Iterator[Delivery]:
    for sid, day, status, worker, claimed, attempts, finished, message_id, error in rows:
        yield Delivery(sid, date.fromisoformat(day), status, worker, datetime.fromisoformat(claimed), attempts,
                       _parse(finished), message_id, error)  # fmt: skip
