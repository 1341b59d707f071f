"""Fixtures for the live-source tests: a replay server and clients that never really sleep."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from paperradar.sources.live.http import PoliteClient
from sources.replay import ReplayServer

CONTACT = "operator@example.org"


class FakeTime:
    """A monotonic clock that only moves when the code under test sleeps, and remembers every sleep."""

    def __init__(self) -> None:
        self.now = 1_000.0
        self.sleeps: list[float] = []
        self.wall = datetime(2026, 3, 6, 12, 0, 0, tzinfo=UTC)

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def replay() -> Iterator[ReplayServer]:
    with ReplayServer() as server:
        yield server


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def make_client(fake_time: FakeTime) -> Iterator[Callable[..., PoliteClient]]:
    """Clients with no pacing, fast timeouts and fake time unless a test says otherwise."""
    made: list[PoliteClient] = []

    def build(**overrides: Any) -> PoliteClient:
        options: dict[str, Any] = {
            "contact_email": CONTACT,
            "min_intervals": {},
            "default_interval": 0.0,
            "timeout": 5.0,
            "max_retries": 3,
            "backoff": 1.0,
            "sleep": fake_time.sleep,
            "clock": fake_time.clock,
            "now": lambda: fake_time.wall,
            "jitter": lambda: 0.0,
        }
        options.update(overrides)
        client = PoliteClient(**options)
        made.append(client)
        return client

    yield build
    for client in made:
        client.close()


@pytest.fixture
def client(make_client: Callable[..., PoliteClient]) -> PoliteClient:
    return make_client()
