"""Rate limits for public forms (the digest's subscribe form), per client IP address, in this process.

A moving window from `limits`, kept in memory: each web process counts on its own, so N processes
allow N times the rate; that bounds abuse of the form, which is all it is for.
"""

from __future__ import annotations

from fastapi import HTTPException, Request
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter


def check(request: Request, name: str, rate: str) -> None:
    """Count this request against `rate` (e.g. "5/hour") for its IP; 429 when over."""
    state = request.app.state
    if not hasattr(state, "rate_limiter"):  # one per app, so two apps in one process count apart
        state.rate_limiter = MovingWindowRateLimiter(MemoryStorage())
    client = request.client.host if request.client else "unknown"
    if not state.rate_limiter.hit(parse(rate), name, client):
        raise HTTPException(429, "too many requests from your address: try again later")
