"""The OpenAPI schema says what the JSON API answers. Schemathesis reads /openapi.json from a real server and
sends every documented operation requests generated from it (its examples, boundary values, random valid
and invalid ones), checking each answer's status code, content type and body against the schema, and that
none is a server error. Signed in (session cookie, CSRF token), signed out, and signed in without the token.

The schemathesis CLI against `paperradar serve` (not its pytest plugin, whose lazy loader does not run
under pytest 9): a bounded number of examples per operation, derandomized, so a run is reproducible."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from paperradar.ingest.importer import upsert
from paperradar.models import CitationCount, Paper
from paperradar.service import Library
from paperradar.settings import load_settings
from servers import running_server

# unsupported_method: a method a path does not take answers 405 with an Allow header naming those it does.
CHECKS = ",".join(["not_a_server_error", "status_code_conformance", "content_type_conformance",
                   "response_schema_conformance", "unsupported_method"])  # fmt: skip
PASSWORD = "correct horse battery"
EXAMPLE_ID = "2106.09685"  # the paper the schema's examples name


@pytest.fixture(scope="module")
def server(seeded_db: Path, tmp_path_factory) -> Iterator[str]:
    """`paperradar serve` on a copy of the seed database, with the paper of the schema's examples (listed
    on the day the examples name) and a user, so examples reach a paper, a feed day and a library."""
    folder = tmp_path_factory.mktemp("conformance")
    shutil.copy(seeded_db, folder / "api.db")
    url = f"sqlite:///{folder / 'api.db'}"
    library = Library.open(load_settings(database_url=url, home=folder))
    with library.store.transaction():
        upsert(library.store, Paper(title="LoRA: Low-Rank Adaptation of Large Language Models", arxiv_id=EXAMPLE_ID,
                                    year=2021, published=date(2021, 6, 17), listing_date=date(2024, 5, 3),
                                    categories=["cs.CL"], citations=CitationCount(14774, "openalex")))  # fmt: skip
    library.sync_indexes()
    library.accounts.add("reader@example.org", PASSWORD, admin=False)
    library.close()
    env = {**os.environ, "PAPERRADAR_DATABASE_URL": url, "PAPERRADAR_HOME": str(folder)}
    with running_server(env, folder / "server.log") as base:
        yield base


@pytest.fixture(scope="module")
def signed_in(server: str) -> dict[str, str]:
    """The headers of a signed-in reader's client, who has saved the example paper and a search."""
    with httpx.Client(base_url=server) as client:
        login = {"email": "reader@example.org", "password": PASSWORD, "csrf_token": _token(client, "/login")}
        assert client.post("/login", data=login).status_code == 303
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items()),
                   "X-CSRF-Token": _token(client, "/library")}  # fmt: skip
        client.headers.update({"X-CSRF-Token": headers["X-CSRF-Token"]})
        assert client.put(f"/api/me/library/{EXAMPLE_ID}", json={"tags": ["peft"]}).status_code == 200
        assert client.post("/api/me/searches", params={"q": "low-rank adaptation"}).status_code == 200
    return headers


def _token(client: httpx.Client, path: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text).group(1)


def _schemathesis(server: str, tmp_path: Path, headers: dict[str, str], *options: str,
                  phases: str = "examples,coverage,fuzzing", examples: int = 10) -> None:  # fmt: skip
    """Run schemathesis on the server's schema; fails with its report unless every check passed."""
    header_options = [arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")]
    command = [sys.executable, "-m", "schemathesis.cli", "run", f"{server}/openapi.json", "--checks", CHECKS,
               "--phases", phases, "--max-examples", str(examples), "--generation-deterministic",
               "--workers", "1", "--no-color", *header_options, *options]  # fmt: skip
    run = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-20_000:] + run.stderr[-5_000:]


def test_every_operation_answers_as_the_schema_says(server, signed_in, tmp_path):
    _schemathesis(server, tmp_path, signed_in)


def test_signed_out_your_data_answers_as_the_schema_says(server, tmp_path):
    _schemathesis(server, tmp_path, {}, "--include-path-regex", "^/api/me", phases="examples")


def test_changes_without_the_csrf_token_answer_as_the_schema_says(server, signed_in, tmp_path):
    cookies_only = {"Cookie": signed_in["Cookie"]}
    _schemathesis(server, tmp_path, cookies_only, "--include-path-regex", "^/api/me",
                  "--exclude-method", "GET", phases="examples")  # fmt: skip
