"""Two `paperradar serve` processes over one PostgreSQL database: a write in another process is read
through both at once (the many-workers deployment of docs/deploying.md)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def servers(new_postgres_database, tmp_path: Path) -> Iterator[tuple[list[httpx.Client], dict]]:
    url = new_postgres_database("web")
    env = {**os.environ, "PAPERRADAR_DATABASE_URL": url, "PAPERRADAR_HOME": str(tmp_path / "home")}
    subprocess.run([sys.executable, "-m", "paperradar", "demo", "--json"], env=env, check=True, capture_output=True)
    processes, clients = [], []
    log = (tmp_path / "servers.log").open("w")
    for _ in range(2):
        port = _free_port()
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "paperradar", "serve", "--port", str(port)], env=env, stdout=log,
            stderr=subprocess.STDOUT,
        ))  # fmt: skip
        clients.append(httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10))
    try:
        for client in clients:
            for _ in range(150):
                try:
                    client.get("/api/stats")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            else:
                pytest.fail(f"server did not start: {(tmp_path / 'servers.log').read_text()}")
        yield clients, env
    finally:
        for client in clients:
            client.close()
        for process in processes:
            process.terminate()
            process.wait(timeout=10)
        log.close()


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
