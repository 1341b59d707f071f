"""Rate limits counted once for every web worker: moving windows, kept where all workers see them.

With `PAPERRADAR_REDIS_URL` set, the `limits` library's moving window on Redis (every worker and
machine shares it). Otherwise on PostgreSQL, or SQLite served by several workers, a row per hit in the
store's `rate_hits` table, counted over the window. A single SQLite process counts in memory.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import MovingWindowRateLimiter
from redis.exceptions import RedisError

from paperradar.errors import Busy
from paperradar.settings import Settings
from paperradar.store import Store


class Limiter:
    """`hit(rate, *who)`: count one request of `who` against a rate such as "5/hour" or "10 per 15
    minutes"; False when `who` has used it up in the moving window before now."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self._now: Callable[[], float] = lambda: settings.clock.now().timestamp()
        self._store: Store | None = None
        self._limits: MovingWindowRateLimiter | None = None
        if settings.redis_url:
            self._limits = MovingWindowRateLimiter(_redis(settings.redis_url, settings.database))
        elif settings.database.startswith("postgresql") or settings.web_workers > 1:
            self._store = store
        else:
            self._limits = MovingWindowRateLimiter(MemoryStorage())

    def hit(self, rate: str | RateLimitItem, *who: str) -> bool:
        item = parse(rate) if isinstance(rate, str) else rate
        if self._limits is not None:
            try:
                return self._limits.hit(item, *who)
            except RedisError as exc:  # fail closed, as a busy server does: a 503 the client retries, not a 500
                raise Busy(f"the rate-limit store (PAPERRADAR_REDIS_URL) is unreachable: {exc}") from exc
        key = "/".join((item.key_for(), *who))[:600]
        return self._store.take_hit(key, item.amount, item.get_expiry(), self._now())  # type: ignore[union-attr]


def _redis(url: str, database: str) -> Storage:
    # Counts are per site: two instances (or test runs) sharing one Redis must not share them, so the
    # keys carry a digest of the database the site serves.
    site = hashlib.sha256(database.encode()).hexdigest()[:16]
    return RedisStorage(url, key_prefix=f"paperradar:{site}", socket_timeout=2, socket_connect_timeout=2)
