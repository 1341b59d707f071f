"""Request bodies bounded by the real server before it reads them: an over-size upload and a form without
our CSRF cookie are answered at once, over a raw socket that never sends the body it announced."""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest

from servers import running_server

MB = 1_000_000


@pytest.fixture(scope="module")
def address(tmp_path_factory) -> Iterator[tuple[str, int]]:
    home = tmp_path_factory.mktemp("limits")
    env = {**os.environ, "PAPERRADAR_DATABASE_URL": f"sqlite:///{home / 'limits.db'}", "PAPERRADAR_HOME": str(home)}
    with running_server(env, home / "server.log") as url:
        parsed = urlparse(url)
        yield parsed.hostname or "", parsed.port or 0


def _answer(address, head: str, body: bytes = b"") -> str:
    """Send a request's head (and some of its body), then read the status line: the server must answer
    without waiting for the rest of what Content-Length announced."""
    with socket.create_connection(address, timeout=20) as sock:
        with contextlib.suppress(OSError):  # the server may close once it has answered: the answer is still there
            sock.sendall(head.encode() + b"\r\n" + body)
        answer = b""
        while not answer.endswith(b"}") and (data := sock.recv(4096)):
            answer += data
        return answer.decode(errors="replace")


def test_a_200_mb_anonymous_multipart_post_is_refused_unread(address):
    head = ("POST /subscribe HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
            f"Content-Length: {200 * MB}\r\n")  # fmt: skip
    answer = _answer(address, head, b"--b\r\n" + b"x" * 65_536)
    assert answer.startswith("HTTP/1.1 413") and "larger than 6000000 bytes" in answer


def test_a_form_without_the_csrf_cookie_is_refused_before_its_body_is_read(address):
    head = "POST /subscribe HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
    answer = _answer(address, head + "Content-Length: 100000\r\n", b"email=a%40example.org")
    assert answer.startswith("HTTP/1.1 403") and "did not come from this site" in answer


def test_a_chunked_body_past_the_limit_is_refused(address):
    head = ("POST /api/me/import HTTP/1.1\r\nHost: x\r\nCookie: pr_csrf=" + "c" * 40 + "\r\n"
            "Content-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n")  # fmt: skip
    part = b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.bib"\r\n\r\n'
    chunks = [part] + [b"x" * MB] * 7  # a well-formed upload, just too big
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for chunk in chunks)
    answer = _answer(address, head, body)
    assert answer.startswith("HTTP/1.1 413"), answer[:200]
