"""Rate limits are counted once for all workers of `paperradar serve --workers 2`: on Redis when
PAPERRADAR_REDIS_URL is set, in PostgreSQL otherwise; and X-Forwarded-For is believed only from the
configured proxies, so a client cannot name itself a new address for every request."""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from servers import free_port, running_server
from smtp_sink import SmtpSink
from web.test_postgres_servers import _stats, _worker_of

RATE = 4  # subscribe posts per hour from one address, in these servers
REDIS = "redis://127.0.0.1:6379/0"


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping())
    except Exception:
        return False


@pytest.fixture(params=["postgres", "redis"])
def two_workers(request, new_postgres_database, smtp_sink: SmtpSink, tmp_path: Path) -> Iterator[list]:
    """`serve --workers 2` on PostgreSQL (counting there, or on Redis), a kept-alive connection to each worker."""
    if request.param == "redis" and not _redis_up():
        pytest.skip(f"needs Redis at {REDIS}")
    url = new_postgres_database("limits")
    env = {**os.environ, "PAPERRADAR_HOME": str(tmp_path / "home"), "PAPERRADAR_SMTP_URL": smtp_sink.url,
           "PAPERRADAR_SUBSCRIBE_RATE_LIMIT": f"{RATE}/hour", "PAPERRADAR_SECRET_KEY": "k" * 32}  # fmt: skip
    if request.param == "redis":
        env["PAPERRADAR_REDIS_URL"] = REDIS
    subprocess.run([sys.executable, "-m", "paperradar", "--database", url, "demo", "--json"], env=env, check=True,
                   capture_output=True)  # fmt: skip
    port = free_port()
    with (tmp_path / "server.log").open("w") as log:
        process = subprocess.Popen([sys.executable, "-m", "paperradar", "--database", url, "serve", "--workers", "2",
                                    "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
        server, held = psutil.Process(process.pid), {}
        try:
            for _ in range(400):  # connect until each worker holds one of our connections
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                try:
                    _stats(connection)
                except (OSError, http.client.HTTPException):
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
                pytest.fail(f"did not reach two workers: {(tmp_path / 'server.log').read_text()}")
            yield list(held.values())
        finally:
            for connection in held.values():
                connection.close()
            process.terminate()
            process.wait(timeout=20)


def _form(connection: http.client.HTTPConnection) -> tuple[str, str]:
    """This connection's CSRF cookie and the subscribe form's token."""
    connection.request("GET", "/latest")  # a list page: it carries the subscribe form
    response = connection.getresponse()
    page = response.read().decode()
    cookie = next(c.split(";")[0] for c in response.headers.get_all("set-cookie") or [] if "csrf" in c)
    return cookie, re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _subscribe(connection: http.client.HTTPConnection, form: tuple[str, str], email: str) -> int:
    cookie, token = form
    body = urllib.parse.urlencode({"email": email, "csrf_token": token})
    connection.request("POST", "/subscribe", body, {"Content-Type": "application/x-www-form-urlencoded",
                                                   "Cookie": cookie})  # fmt: skip
    response = connection.getresponse()
    response.read()
    return response.status


def test_two_workers_share_one_count_of_subscribe_posts(two_workers):
    forms = [_form(connection) for connection in two_workers]
    statuses = [_subscribe(two_workers[n % 2], forms[n % 2], f"reader{n}@example.org") for n in range(2 * RATE)]
    # Alternating between the workers: each alone would allow RATE; together they allow RATE.
    assert statuses == [200] * RATE + [429] * RATE


def test_a_forwarded_for_header_from_an_unconfigured_proxy_is_not_believed(tmp_path, smtp_sink, seeded_db):
    import shutil

    shutil.copy(seeded_db, tmp_path / "site.db")
    env = {**os.environ, "PAPERRADAR_DATABASE_URL": f"sqlite:///{tmp_path / 'site.db'}",
           "PAPERRADAR_HOME": str(tmp_path), "PAPERRADAR_SMTP_URL": smtp_sink.url,
           "PAPERRADAR_SUBSCRIBE_RATE_LIMIT": f"{RATE}/hour"}  # fmt: skip
    with running_server(env, tmp_path / "server.log") as url:
        host, port = url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        form = _form(connection)
        statuses = []
        for n in range(RATE + 1):  # every post claims another address, from 127.0.0.1 (no proxy is configured)
            cookie, token = form
            body = urllib.parse.urlencode({"email": f"spoof{n}@example.org", "csrf_token": token})
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie,
                       "X-Forwarded-For": f"198.51.100.{n}"}  # fmt: skip
            connection.request("POST", "/subscribe", body, headers)
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
        connection.close()
    assert statuses == [200] * RATE + [429]
