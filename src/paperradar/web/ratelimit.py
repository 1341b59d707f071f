"""Rate limits for public forms (the digest's subscribe form), per client IP address, counted in moving
windows that every web worker shares (Redis, the database or, for one SQLite process, memory:
service/ratelimits.py)."""

from __future__ import annotations

from fastapi import HTTPException, Request

from paperradar.web.session import client_ip


def check(request: Request, name: str, rate: str) -> None:
    """Count this request against `rate` (e.g. "5/hour") for its IP; 429 when over."""
    if not request.app.state.library.accounts.limiter.hit(rate, name, client_ip(request) or "unknown"):
        raise HTTPException(429, "too many requests from your address: try again later")
