"""Blank form fields mean "no filter": a page's GET form sends every field, filled in or not
(`/search?q=lora&year=&category=`), and an empty Year must not answer 422 "not a valid integer".

Empty values are dropped from the query string of every page before routing. The JSON API under
/api/ keeps its strict typing: a program that sends `year=` is told which parameter is wrong.
"""

from __future__ import annotations

from urllib.parse import unquote_plus

from starlette.types import ASGIApp, Receive, Scope, Send


class BlankFieldsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("method") == "GET" and not scope["path"].startswith("/api/"):
            raw: bytes = scope.get("query_string", b"")
            kept = [part for part in raw.split(b"&") if part and not _blank(part)]
            if len(kept) != raw.count(b"&") + 1 and raw:
                scope = {**scope, "query_string": b"&".join(kept)}  # the other pairs byte for byte as sent
        await self.app(scope, receive, send)


def _blank(pair: bytes) -> bool:
    """`year=`, `year` or `year=+` (spaces only): a field left empty."""
    _name, _, value = pair.partition(b"=")
    return not unquote_plus(value.decode("latin-1")).strip()
