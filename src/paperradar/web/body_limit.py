"""An ASGI middleware bounding what a request may make the app read: no body over `max_request_body`,
and no form from a browser without our CSRF cookie, both refused before a byte of the body is parsed."""

from __future__ import annotations

import json

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from paperradar.web import csrf

_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
# Posted by mail clients themselves (RFC 8058 one-click), which have no cookie: the signed URL authenticates it.
_NO_COOKIE_NEEDED = {"/unsubscribe"}


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in _SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        length = headers.get("content-length", "0")
        if not length.isdigit() or int(length) > self.max_bytes:
            await _refuse(send, 413, f"request body: larger than {self.max_bytes} bytes")
            return
        cookie = csrf.HTTPS_COOKIE if scope.get("scheme") == "https" else csrf.COOKIE
        form = headers.get("content-type", "").startswith(_FORMS)
        if form and scope["path"] not in _NO_COOKIE_NEEDED and f"{cookie}=" not in headers.get("cookie", ""):
            await _refuse(send, 403, "this form has expired or did not come from this site: reload the page")
            return
        received = 0

        async def bounded() -> Message:  # a chunked body names no length: count it as it comes
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise HTTPException(413, f"request body: larger than {self.max_bytes} bytes")
            return message

        await self.app(scope, bounded, send)


async def _refuse(send: Send, status: int, message: str) -> None:
    body = json.dumps({"error": message, "detail": None}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
               (b"connection", b"close")]  # fmt: skip
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
