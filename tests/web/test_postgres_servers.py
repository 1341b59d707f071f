"""Two `paperradar serve` processes, and one `serve --workers 2`, over one PostgreSQL database: a
write in another process is read through every server and worker at once (the many-workers
deployment of docs/deploying.md)."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import psutil
import pytest

from servers import free_port, running_server


@pytest.fixture
def servers(new_postgres_database, tmp_path: Path) -> Iterator[tuple[list[httpx.Client], dict]]:
    url = new_postgres_database("web")
    env = {**os.environ, "PAPERRADAR_DATABASE_URL": url, "PAPERRADAR_HOME": str(tmp_path / "home")}
    demo = [sys.executable, "-m", "paperradar", "demo", "--seeds-only", "--json"]
    subprocess.run(demo, env=env, check=True, capture_output=True)
    with ExitStack() as stack:
        urls = [stack.enter_context(running_server(env, tmp_path / f"server-{n}.log")) for n in range(2)]
        yield [stack.enter_context(httpx.Client(base_url=url, timeout=10)) for url in urls], env


def test_a_write_from_another_process_is_read_through_both_servers(servers, tmp_path):
    clients, env = servers
    assert [c.get("/api/stats").json()["papers"] for c in clients] == [450, 450]
    record = {"title": "Zebra-striped attention for quokka detection", "abstract": "Quokkas.", "year": 2026}
    (tmp_path / "new.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "paperradar", "import", str(tmp_path / "new.jsonl"), "--json"],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    for client in clients:
        assert client.get("/api/stats").json()["papers"] == 451
        for mode in ("lexical", "semantic", "hybrid"):
            found = client.get("/api/search", params={"q": "quokka zebra attention", "mode": mode}).json()
            assert found["results"][0]["title"] == record["title"]


def _worker_of(server: psutil.Process, port: int, connection: http.client.HTTPConnection) -> int | None:
    """The pid of the worker process holding the server end of this client connection."""
    client_port = connection.sock.getsockname()[1]
    for child in server.children():
        for conn in child.net_connections("tcp"):
            if conn.laddr and conn.laddr.port == port and conn.raddr and conn.raddr.port == client_port:
                return child.pid
    return None


def _stats(connection: http.client.HTTPConnection) -> dict:
    connection.request("GET", "/api/stats")
    response = connection.getresponse()
    assert response.status == 200
    return json.loads(response.read())


@pytest.fixture
def workers(new_postgres_database, tmp_path: Path) -> Iterator[tuple[dict[int, http.client.HTTPConnection], dict]]:
    """One `paperradar serve --workers 2`, and a kept-alive connection to each of its two workers."""
    url = new_postgres_database("workers")
    env = {**os.environ, "PAPERRADAR_HOME": str(tmp_path / "home")}
    demo = [sys.executable, "-m", "paperradar", "--database", url, "demo", "--seeds-only", "--json"]
    subprocess.run(demo, env=env, check=True, capture_output=True)
    port = free_port()
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(
        # --database, not the environment: the command must hand it on to its worker processes
        [sys.executable, "-m", "paperradar", "--database", url, "serve", "--workers", "2", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    server, held = psutil.Process(process.pid), {}
    try:
        # The kernel hands each new connection to whichever worker accepts first: connect until
        # both have one, keeping one connection per worker.
        for _ in range(400):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            try:
                _stats(connection)
            except (OSError, http.client.HTTPException):  # not listening yet
                connection.close()
                time.sleep(0.1)
                continue
            pid = _worker_of(server, port, connection)
            if pid is None or pid in held:
                connection.close()
                continue
            held[pid] = connection
            if len(held) == 2:
                break
        else:
            pytest.fail(f"did not reach two workers ({len(held)}): {(tmp_path / 'server.log').read_text()}")
        yield held, {**env, "PAPERRADAR_DATABASE_URL": url}
    finally:
        for connection in held.values():
            connection.close()
        process.terminate()
        process.wait(timeout=20)
        log.close()


def test_a_write_is_read_through_both_workers_of_one_server(workers, tmp_path):
    held, env = workers
    assert [_stats(c)["papers"] for c in held.values()] == [450, 450]
    record = {"title": "Okapi-patterned transformers for tapir tracking", "abstract": "Tapirs.", "year": 2026}
    (tmp_path / "new.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "paperradar", "import", str(tmp_path / "new.jsonl"), "--json"],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    for connection in held.values():
        assert _stats(connection)["papers"] == 451
        connection.request("GET", "/api/search?q=tapir+okapi+transformers&mode=hybrid")
        found = json.loads(connection.getresponse().read())
        assert found["results"][0]["title"] == record["title"]
