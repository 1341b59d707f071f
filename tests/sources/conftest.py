"""Fixtures for the live-source tests: a replay server and clients that never really sleep."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from paperradar.sources.live.http import PoliteClient
from paperradar.store.sqlite import SQLiteStore
from paperradar.sync import LiveConfig
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


TODAY = date(2026, 3, 6)


@pytest.fixture
def config(replay: ReplayServer, fake_time: FakeTime) -> LiveConfig:
    """Settings for a sync against the replay server: no pacing, one retry, fake time, a fixed today."""
    return LiveConfig(
        contact_email=CONTACT,
        arxiv_oai_url=replay.url("/oai"),
        arxiv_api_url=replay.url("/api/query"),
        hf_url=replay.base,
        openalex_url=replay.base,
        s2_url=replay.base,
        openalex_api_key="oa-secret",
        s2_api_key="s2-secret",
        max_retries=1,
        min_interval=0.0,
        today=lambda: TODAY,
        sleep=fake_time.sleep,
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    db = SQLiteStore(str(tmp_path / "live.db"))
    yield db
    db.close()
