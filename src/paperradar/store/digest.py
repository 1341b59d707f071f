"""The digest's rows for both backends: subscribers, and the per-day delivery rows that make sends exactly-once.

A mixin of SQLiteStore and PostgresStore, written once in the host's `dialect` (SQLite keeps times as
UTC ISO text to the microsecond, so they sort as text). Single statements outside `transaction()` run
in autocommit mode on both, which is what a claim and a finish need: each is durable before the next
step of a send.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime

from paperradar.models import Delivery, Subscriber
from paperradar.store.dialect import Dialect, required

_SUBSCRIBER = "id, email, status, user_id, created_at, confirmed_at"
_DELIVERY = "subscriber_id, day, status, worker, claimed_at, attempts, finished_at, message_id, error"


class DigestMixin:
    """Subscribers and deliveries; needs the host's `_sql`, `_sql_run`, `dialect` and `transaction()`."""

    dialect: Dialect
    _sql: Callable[[str, Sequence[object]], list[tuple]]
    _sql_run: Callable[[str, Sequence[object]], int]
    transaction: Callable[..., AbstractContextManager[None]]

    def add_subscriber(self, email: str, now: datetime, user_id: int | None = None,
                       confirmed: bool = False) -> tuple[Subscriber, bool]:  # fmt: skip
        d, m = self.dialect, self.dialect.mark
        with self.transaction(lock="people"):  # two sign-ups of one address run in turn
            found = self.subscriber(email)
            status = "active" if confirmed else "pending"
            if found is None:
                self._sql_run(
                    f"INSERT INTO subscribers (email, status, user_id, created_at, confirmed_at) VALUES ({d.marks(5)})",
                    (email, status, user_id, d.time(now), d.time(now) if confirmed else None),
                )
            elif found.status == "unsubscribed" or (found.status == "pending" and confirmed):
                self._sql_run(
                    f"UPDATE subscribers SET status = {m}, confirmed_at = {m}, unsubscribed_at = NULL, "
                    f"user_id = COALESCE({m}, user_id) WHERE id = {m}",
                    (status, d.time(now) if confirmed else None, user_id, found.id),
                )
            else:
                return found, False
            made = self.subscriber(email)
            assert made is not None  # written just now, in this transaction
            return made, True

    def subscriber(self, email: str) -> Subscriber | None:
        m = self.dialect.mark
        rows = self._sql(f"SELECT {_SUBSCRIBER} FROM subscribers WHERE lower(email) = lower({m})", (email,))
        return self._subscriber(rows[0]) if rows else None

    def confirm_subscriber(self, email: str, now: datetime) -> Subscriber | None:
        m = self.dialect.mark
        self._sql_run(
            f"UPDATE subscribers SET status = 'active', confirmed_at = {m} WHERE lower(email) = lower({m}) "
            "AND status = 'pending'",
            (self.dialect.time(now), email),
        )
        found = self.subscriber(email)
        return found if found and found.status == "active" else None

    def unsubscribe(self, email: str, now: datetime) -> bool:
        m = self.dialect.mark
        return self._sql_run(
            f"UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = {m} WHERE lower(email) = lower({m}) "
            "AND status <> 'unsubscribed'",
            (self.dialect.time(now), email),
        ) > 0  # fmt: skip

    def subscribers(self, status: str | None = None, after_id: int = 0, limit: int = 1000) -> list[Subscriber]:
        m = self.dialect.mark
        of_status, params = (f" AND status = {m}", [status]) if status is not None else ("", [])
        rows = self._sql(
            f"SELECT {_SUBSCRIBER} FROM subscribers WHERE id > {m}{of_status} ORDER BY id LIMIT {m}",
            (after_id, *params, limit),
        )
        return [self._subscriber(row) for row in rows]

    def note_confirmation(self, email: str, now: datetime, not_since: datetime) -> bool:
        d, m = self.dialect, self.dialect.mark
        return self._sql_run(
            f"UPDATE subscribers SET confirm_sent_at = {m} WHERE lower(email) = lower({m}) AND status = 'pending' "
            f"AND (confirm_sent_at IS NULL OR confirm_sent_at < {m})",
            (d.time(now), email, d.time(not_since)),
        ) > 0  # fmt: skip

    def forget_confirmation(self, email: str) -> None:
        m = self.dialect.mark
        self._sql_run(f"UPDATE subscribers SET confirm_sent_at = NULL WHERE lower(email) = lower({m})", (email,))

    def due_subscribers(self, day: date, after_id: int, limit: int) -> list[Subscriber]:
        m = self.dialect.mark
        rows = self._sql(
            f"SELECT {_SUBSCRIBER} FROM subscribers s WHERE s.status = 'active' AND s.id > {m} AND NOT EXISTS ("
            f"  SELECT 1 FROM deliveries d WHERE d.subscriber_id = s.id AND d.day = {m} "
            "  AND d.status IN ('sent', 'refused')"
            f") ORDER BY s.id LIMIT {m}",
            (after_id, self.dialect.day(day), limit),
        )
        return [self._subscriber(row) for row in rows]

    def claim_deliveries(self, subscriber_ids: Sequence[int], day: date, worker: str, now: datetime,
                         stale_before: datetime) -> list[int]:  # fmt: skip
        d, m = self.dialect, self.dialect.mark
        claimed: list[int] = []
        # One statement per batch: the conflict clause makes it atomic per row, so two runs claiming at
        # once each get a disjoint share. An unsubscribe after the due list was read wins (status check).
        for chunk in d.chunks(list(subscriber_ids)):
            among, values = d.one_of("id", chunk)
            rows = self._sql(
                "INSERT INTO deliveries (subscriber_id, day, status, worker, claimed_at) "
                f"SELECT id, {m}, 'sending', {m}, {m} FROM subscribers WHERE {among} AND status = 'active' "
                "ON CONFLICT (subscriber_id, day) DO UPDATE SET status = 'sending', worker = excluded.worker, "
                "claimed_at = excluded.claimed_at, attempts = deliveries.attempts + 1, error = NULL "
                "WHERE deliveries.status = 'failed' "
                f"OR (deliveries.status = 'sending' AND deliveries.claimed_at < {m}) "
                "RETURNING subscriber_id",
                (d.day(day), worker, d.time(now), *values, d.time(stale_before)),
            )
            claimed += [int(row[0]) for row in rows]
        return sorted(claimed)

    def renew_claim(self, subscriber_id: int, day: date, worker: str, now: datetime) -> bool:
        d, m = self.dialect, self.dialect.mark
        return self._sql_run(
            f"UPDATE deliveries SET claimed_at = {m} WHERE subscriber_id = {m} AND day = {m} AND worker = {m} "
            "AND status = 'sending'",
            (d.time(now), subscriber_id, d.day(day), worker),
        ) > 0  # fmt: skip

    def finish_delivery(self, subscriber_id: int, day: date, worker: str, status: str, now: datetime,
                        message_id: str | None = None, error: str | None = None) -> bool:  # fmt: skip
        d, m = self.dialect, self.dialect.mark
        return self._sql_run(
            f"UPDATE deliveries SET status = {m}, finished_at = {m}, message_id = {m}, error = {m} "
            f"WHERE subscriber_id = {m} AND day = {m} AND worker = {m} AND status = 'sending'",
            (status, d.time(now), message_id, error, subscriber_id, d.day(day), worker),
        ) > 0  # fmt: skip

    def release_claims(self, day: date, workers: Sequence[str], now: datetime, error: str) -> int:
        if not workers:
            return 0
        d, m = self.dialect, self.dialect.mark
        among, values = d.one_of("worker", list(workers))
        return self._sql_run(
            f"UPDATE deliveries SET status = 'failed', finished_at = {m}, error = {m} "
            f"WHERE day = {m} AND status = 'sending' AND {among}",
            (d.time(now), error, d.day(day), *values),
        )

    def claimants(self, day: date) -> list[str]:
        m = self.dialect.mark
        rows = self._sql(
            f"SELECT DISTINCT worker FROM deliveries WHERE day = {m} AND status = 'sending' ORDER BY worker",
            (self.dialect.day(day),),
        )
        return [row[0] for row in rows]

    def deliveries(self, day: date) -> list[Delivery]:
        m = self.dialect.mark
        rows = self._sql(
            f"SELECT {_DELIVERY} FROM deliveries WHERE day = {m} ORDER BY subscriber_id", (self.dialect.day(day),)
        )
        return [self._delivery(row) for row in rows]

    def _delivery(self, row: tuple) -> Delivery:
        d = self.dialect
        sid, day, status, worker, claimed, attempts, finished, message_id, error = row
        return Delivery(
            int(sid),
            required(d.read_day(day)),
            status,
            worker,
            required(d.read_time(claimed)),
            attempts,
            d.read_time(finished),
            message_id,
            error,
        )

    def _subscriber(self, row: tuple) -> Subscriber:
        d = self.dialect
        return Subscriber(int(row[0]), row[1], row[2], row[3], required(d.read_time(row[4])), d.read_time(row[5]))
