"""`paperradar serve` as the tests run it: a real server process on a free port, up before the test
starts and stopped after, its output kept in a log that a failure to start prints."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(env: dict[str, str], log_path: Path, port: int | None = None,
                   args: Sequence[str] = ()) -> Iterator[str]:  # fmt: skip
    """Start `paperradar [args] serve --port PORT` with this environment; yields its base URL once it answers."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    with log_path.open("w") as log:
        process = subprocess.Popen([sys.executable, "-m", "paperradar", *args, "serve", "--port", str(port)],
                                   env=env, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
        try:
            for _ in range(300):
                if process.poll() is not None:
                    break
                try:
                    httpx.get(url + "/api/stats", timeout=10)
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            else:
                process.kill()
            if process.poll() is not None:
                pytest.fail(f"server did not start: {log_path.read_text()}")
            yield url
        finally:
            process.terminate()
            process.wait(timeout=20)
