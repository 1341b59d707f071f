"""The full bundled demo (seed papers, the arXiv slice and its MiniLM vectors), built once per session.

Only the tests in this folder use it; the rest of the suite keeps the 450 seed papers.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from backends import _create
from paperradar.service import Library
from paperradar.settings import load_settings
from servers import running_server

# The bundled vectors are MiniLM's: with this embedder the demo stores them and embeds nothing.
DEMO_ENV = {"PAPERRADAR_EMBEDDER": "minilm", "HF_HUB_OFFLINE": "1"}


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database holding the full demo, as `paperradar demo` loads it."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    lib = Library.open(load_settings(database_url=f"sqlite:///{path}", embedder="minilm"))
    assert lib.load_full_demo() is not None
    lib.store._conn().execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[attr-defined]
    lib.close()
    return path


@pytest.fixture(scope="session")
def demo_postgres(postgres_prefix: str) -> str:
    """A PostgreSQL database holding the full demo (its URL)."""
    url = _create(f"{postgres_prefix}_demo")
    lib = Library.open(load_settings(database_url=url, embedder="minilm"))
    assert lib.load_full_demo() is not None
    lib.close()
    return url


@pytest.fixture(scope="module")
def demo_url(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`paperradar serve` on a copy of the demo database."""
    path = tmp_path_factory.mktemp("demo-web") / "demo.db"
    shutil.copy(demo_db, path)
    env = {**os.environ, **DEMO_ENV, "PAPERRADAR_DATABASE_URL": f"sqlite:///{path}"}
    with running_server(env, path.parent / "server.log") as url:
        yield url


@pytest.fixture(scope="module")
def demo_client(demo_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=demo_url, timeout=60) as client:
        yield client
