"""Fixtures for the digest tests: a database with trending papers, and the misbehaving SMTP sinks."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from digest_support import HoldingSink, KillingSink, SlowSink
from feed_corpus import load
from paperradar.store import open_store
from servers import free_port as _free_port
from smtp_sink import SmtpSink


@pytest.fixture(scope="session")
def feed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("digest") / "feed.db"
    store = open_store(f"sqlite:///{path}")
    load(store)
    store.close()
    return path


@pytest.fixture
def database(feed_db: Path, tmp_path: Path) -> str:
    """A private copy of the feed corpus, as a database URL."""
    path = tmp_path / "digest.db"
    shutil.copy(feed_db, path)
    return f"sqlite:///{path}"


def _serve(sink: SmtpSink) -> Iterator[SmtpSink]:
    sink.port = _free_port()
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


@pytest.fixture
def killing_sink() -> Iterator[KillingSink]:
    yield from _serve(KillingSink())


@pytest.fixture
def holding_sink() -> Iterator[HoldingSink]:
    yield from _serve(HoldingSink())


@pytest.fixture
def slow_sink() -> Iterator[SlowSink]:
    yield from _serve(SlowSink())
