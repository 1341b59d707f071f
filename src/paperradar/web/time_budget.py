"""An ASGI middleware giving every request a time budget (the `request_budget` setting).

The budget opens here (paperradar/budget.py): the store stops a query that runs past it and waits for
another process's write lock only `request_lock_wait`, both answered with 503 by the app's error
handler; an error of any other kind raised once the budget is spent is answered so too. As in
Datasette, the bound is on the database work: a route that finishes after its budget without asking
the database anything more keeps its answer (throwing away finished work helps nobody). Every 503
says when to retry.
"""

from __future__ import annotations

import math

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from paperradar import budget
from paperradar.web.errors import error_response


class TimeBudget:
    def __init__(self, app: ASGIApp, seconds: float, lock_wait: float) -> None:
        self.app = app
        self.seconds = seconds
        self.lock_wait = lock_wait

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = False

        async def watched(message: Message) -> None:
            nonlocal began
            began = began or message["type"] == "http.response.start"
            await send(message)

        with budget.request_budget(self.seconds or math.inf, self.lock_wait) as allowance:
            try:
                await self.app(scope, receive, watched)
            except Exception:
                # Whatever broke once the budget was spent (a query stopped mid-read) broke for that.
                if began or not allowance.spent():
                    raise
                await error_response(Request(scope), 503, str(budget.over_budget()))(scope, receive, send)
