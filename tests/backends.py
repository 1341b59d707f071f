"""Stores of both backends for the contract and end-to-end tests (conftest.py imports these fixtures):
a fresh SQLite file, or a fresh PostgreSQL database.

PostgreSQL runs against the real local server: one database per test session (created through the
`postgres` maintenance database, dropped at the end), emptied before each test; the seeded corpus is
a template database that each test gets a private copy of. Without a server or pgvector the
PostgreSQL cases skip, saying why (scripts/install-pgvector.sh provides both).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql

from paperradar.service import Library
from paperradar.settings import load_settings
from paperradar.store import Store, open_store

SERVER = os.environ.get("PAPERRADAR_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
BACKENDS = ["sqlite", "postgres"]


def _admin() -> psycopg.Connection:
    return psycopg.connect(f"{SERVER}/postgres", autocommit=True, connect_timeout=5)


def _create(name: str, template: str | None = None) -> str:
    with _admin() as conn:
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        conn.execute(statement)
    return f"{SERVER}/{name}"


def _drop(name: str) -> None:
    with _admin() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(scope="session")
def postgres_prefix() -> Iterator[str]:
    """A random name prefix for this session's databases; skips when no usable server is there."""
    try:
        with _admin() as conn:
            available = conn.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'").fetchone()
    except psycopg.OperationalError as exc:
        pytest.skip(f"no PostgreSQL server at {SERVER} ({exc}); start it or set PAPERRADAR_TEST_POSTGRES")
    if not available:
        pytest.skip("PostgreSQL has no pgvector extension; run scripts/install-pgvector.sh")
    prefix = f"paperradar_test_{secrets.token_hex(4)}"
    created: list[str] = []
    yield prefix
    with _admin() as conn:
        created = [r[0] for r in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", (prefix + "%",))]
    for name in created:
        _drop(name)


@pytest.fixture(scope="session")
def postgres_url(postgres_prefix: str) -> str:
    """The session's PostgreSQL database, schema applied."""
    url = _create(postgres_prefix)
    open_store(url).close()
    return url


def _empty_postgres(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("TRUNCATE papers, sync_state, users, rate_limits, rate_hits RESTART IDENTITY CASCADE")
        conn.execute("TRUNCATE subscribers RESTART IDENTITY CASCADE")  # and its deliveries


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """The URL of an empty database of each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'contract.db'}"
    url = request.getfixturevalue("postgres_url")
    _empty_postgres(url)
    return url


@pytest.fixture
def empty_store(store_url: str) -> Iterator[Store]:
    store = open_store(store_url)
    yield store
    store.close()


@pytest.fixture(scope="session")
def seeded_template(postgres_prefix: str) -> str:
    """A PostgreSQL database holding the demo corpus (hashing vectors), built once per session."""
    name = f"{postgres_prefix}_seed"
    lib = Library.open(load_settings(database_url=_create(name)))
    lib.load_demo_if_empty()
    lib.embed_pending()
    lib.close()
    return name


@pytest.fixture(params=BACKENDS)
def seeded_library(request: pytest.FixtureRequest) -> Iterator[Library]:
    """A private copy of the seeded corpus on each backend, so a test may write to it."""
    if request.param == "sqlite":
        yield request.getfixturevalue("seeded")
        return
    template = request.getfixturevalue("seeded_template")
    name = f"{template}_{secrets.token_hex(3)}"
    lib = Library.open(load_settings(database_url=_create(name, template)))
    yield lib
    lib.close()
    _drop(name)


@pytest.fixture
def new_postgres_database(postgres_prefix: str):
    """Make an empty database (no schema) named after this session; dropped with the session's others."""

    def make(suffix: str) -> str:
        return _create(f"{postgres_prefix}_{suffix}_{secrets.token_hex(3)}")

    return make
