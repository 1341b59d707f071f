"""Shared fixtures: real SQLite files, the bundled seed corpus, and the reference data in ../shared."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Both backends for the store contract suite and the end-to-end tests (PostgreSQL cases skip without a server).
from backends import (  # noqa: F401
    empty_store,
    new_postgres_database,
    postgres_prefix,
    postgres_url,
    seeded_library,
    seeded_template,
    store_url,
)
from paperradar.service import Library
from paperradar.settings import load_settings
from smtp_sink import smtp_sink  # noqa: F401 - a real SMTP server for mail tests

# PAPERRADAR_REQUIRE_ALL=1 turns every skip into a failure (.ci/run sets it); each run prints its skip count.
pytest_plugins = ["require_all"]

# The suite embeds with the deterministic hashing stand-in; tests of the real model ask for it by name.
os.environ.setdefault("PAPERRADAR_EMBEDDER", "hashing")


@pytest.fixture
def library(store_url: str) -> Iterator[Library]:  # noqa: F811 - the fixture imported above
    """An empty library on each backend: a fresh SQLite file, an emptied PostgreSQL database."""
    lib = Library.open(load_settings(database_url=store_url))
    yield lib
    lib.close()


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding the bundled demo corpus, built once per session."""
    path = tmp_path_factory.mktemp("seeded") / "seed.db"
    lib = Library.open(load_settings(database_url=f"sqlite:///{path}"))
    lib.load_demo_if_empty()
    lib.embed_pending()  # with the hashing stand-in: semantic and hybrid search work on it
    lib.store._conn().execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[attr-defined]
    lib.close()
    return path


@pytest.fixture
def seeded(seeded_db: Path, tmp_path: Path) -> Iterator[Library]:
    """A private copy of the seeded database, so a test may write to it."""
    path = tmp_path / "seed.db"
    shutil.copy(seeded_db, path)
    lib = Library.open(load_settings(database_url=f"sqlite:///{path}"))
    yield lib
    lib.close()
