"""The settings a sync needs, handed over by the service (sync code never reads settings itself)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from paperradar.clock import SYSTEM
from paperradar.errors import ConfigError
from paperradar.sources.live.cache import MemoryCache
from paperradar.sources.live.http import PoliteClient


@dataclass(frozen=True, slots=True)
class LiveConfig:
    """Where the services are, who we are, and how politely to ask."""

    contact_email: str | None
    arxiv_oai_url: str
    arxiv_api_url: str
    hf_url: str
    openalex_url: str
    s2_url: str
    openalex_api_key: str | None = None
    s2_api_key: str | None = None
    arxiv_set: str = "cs"
    citations_source: str = "openalex"
    citations_stale_after: int = 7
    max_retries: int = 4
    min_interval: float | None = None  # None: each service's own ask (see http.DEFAULT_INTERVALS)
    timeout: float = 30.0  # seconds a request may take before it counts as failed (and is retried)
    today: Callable[[], date] = field(default=SYSTEM.today)  # the service hands over settings.clock.today
    sleep: Callable[[float], None] = field(default=time.sleep)  # injectable so tests never wait

    def client(self) -> PoliteClient:
        """A fresh polite client; the caller closes it."""
        if not self.contact_email:
            raise ConfigError(
                "PAPERRADAR_CONTACT_EMAIL is not set",
                hint="live sources ask who is calling: set it to an address where you can be reached",
            )
        pacing: dict[str, float] | None = {} if self.min_interval is not None else None
        return PoliteClient(
            contact_email=self.contact_email,
            max_retries=self.max_retries,
            timeout=self.timeout,
            min_intervals=pacing,
            default_interval=self.min_interval if self.min_interval is not None else 1.0,
            cache=MemoryCache(),
            sleep=self.sleep,
        )
