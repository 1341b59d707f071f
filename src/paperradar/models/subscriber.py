"""Digest subscribers and the record of each day's delivery to them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

SubscriberStatus = Literal["pending", "active", "unsubscribed"]
# sending: claimed by a run, handed to SMTP next; sent and refused are final; failed may be claimed again.
DeliveryStatus = Literal["sending", "sent", "refused", "failed"]


@dataclass(frozen=True, slots=True)
class Subscriber:
    """One address that asked for the digest. Mail goes only to `active` ones (confirmed by a link)."""

    id: int
    email: str
    status: SubscriberStatus
    user_id: int | None  # the account it belongs to, if any (personal sections)
    created_at: datetime
    confirmed_at: datetime | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "email": self.email,
            "status": self.status,
            "user_id": self.user_id,
            "created_at": self.created_at.isoformat(),
            "confirmed_at": self.confirmed_at.isoformat() if self.confirmed_at else None,
        }


@dataclass(frozen=True, slots=True)
class Delivery:
    """The digest of one day for one subscriber: who claimed it, when, and how it ended."""

    subscriber_id: int
    day: date
    status: DeliveryStatus
    worker: str
    claimed_at: datetime
    attempts: int = 1
    finished_at: datetime | None = None
    message_id: str | None = None
    error: str | None = None
