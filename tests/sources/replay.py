"""A local HTTP server that replays scripted responses per path and records every request it gets.

    server.script("/oai", Reply(body=page1), Reply(status=503, headers={"Retry-After": "5"}), ...)
    server.script("/api", Reply(body=b"..."), match={"start": "10"})   # only when the query says start=10
    server.url("/oai")        # http://127.0.0.1:<port>/oai
    server.requests           # [Seen(method, path, query, headers, body)], in arrival order

A path's replies are served in order; the last one repeats when `repeat=True`. A request no script
answers gets HTTP 599, so a test fails loudly rather than hanging. Faults: `delay` (seconds before the
headers, to trip a client timeout), `drop_after` (bytes of body sent before the connection is cut),
`chunked` (no Content-Length, for streamed size limits).
"""

from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop_after: int | None = None
    chunked: bool = False

    @classmethod
    def json(cls, data: Any, status: int = 200, **kwargs: Any) -> Reply:
        headers = {"Content-Type": "application/json", **kwargs.pop("headers", {})}
        return cls(status, json.dumps(data).encode(), headers, **kwargs)

    @property
    def payload(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class _Route:
    path: str
    replies: list[Reply]
    match: dict[str, str]
    repeat: bool
    served: int = 0

    def answers(self, path: str, query: dict[str, str]) -> bool:
        if path != self.path or any(query.get(k) != v for k, v in self.match.items()):
            return False
        return self.served < len(self.replies) or self.repeat

    def next(self) -> Reply:
        reply = self.replies[min(self.served, len(self.replies) - 1)]
        self.served += 1
        return reply


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that time out or drop connections are what the fault tests do on purpose


class ReplayServer:
    def __init__(self) -> None:
        self.requests: list[Seen] = []
        self._routes: list[_Route] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = _QuietServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.01,), daemon=True)

    def __enter__(self) -> ReplayServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stopping.set()  # wakes handlers waiting out a scripted delay
        self._httpd.shutdown()
        self._httpd.server_close()

    @property
    def base(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def script(self, path: str, *replies: Reply, match: dict[str, str] | None = None, repeat: bool = False) -> None:
        with self._lock:
            self._routes.append(_Route(path, list(replies), dict(match or {}), repeat))

    def seen(self, path: str) -> list[Seen]:
        return [r for r in self.requests if r.path == path]

    def _pick(self, path: str, query: dict[str, str]) -> Reply | None:
        with self._lock:
            for route in self._routes:
                if route.answers(path, query):
                    return route.next()
        return None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # keep pytest output clean
                pass

            def do_GET(self) -> None:
                self._answer()

            def do_POST(self) -> None:
                self._answer()

            def _answer(self) -> None:
                parts = urlsplit(self.path)
                query = dict(parse_qsl(parts.query, keep_blank_values=True))
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                with server._lock:
                    server.requests.append(Seen(self.command, parts.path, query, headers, body))
                reply = server._pick(parts.path, query) or Reply(599, f"no scripted reply for {self.path}")
                if reply.delay and server._stopping.wait(reply.delay):
                    return
                self._send(reply)

            def _send(self, reply: Reply) -> None:
                payload = reply.payload
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if reply.chunked:
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for start in range(0, len(payload), 4096):
                        piece = payload[start : start + 4096]
                        self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                    self.wfile.write(b"0\r\n\r\n")
                    return
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if reply.drop_after is None:
                    self.wfile.write(payload)
                    return
                self.wfile.write(payload[: reply.drop_after])
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)

        return Handler
