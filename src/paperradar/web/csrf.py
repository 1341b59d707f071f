"""CSRF protection for every form: a random per-visitor cookie, and in each form a keyed digest of it.

A cross-site page can make a browser send our cookies, but cannot read them, so it cannot put the
matching digest in the form it submits. The digest is keyed with the secret (not a copy of the cookie),
and it covers the signed-in session too (the user and their session version): a cookie planted from a
sibling domain, with the token the server issued for it to the planter, does not match a form posted in
another user's session. Over https the cookie is `__Host-pr_csrf` (Secure, path /, no domain), which a
sibling domain cannot set at all. JSON clients send the digest in the
`X-CSRF-Token` header instead. Routes that change anything depend on `require_csrf`; a route that a
token in its URL already authenticates (the one-click unsubscribe a mail client posts) says so where
it is declared instead.
"""

from __future__ import annotations

import secrets

from fastapi import HTTPException, Request, Response
from jinja2 import pass_context
from markupsafe import Markup

from paperradar.web.session import current_user

COOKIE = "pr_csrf"
HTTPS_COOKIE = "__Host-" + COOKIE  # browsers take it only from https, for this host and path /, never a domain
FIELD = "csrf_token"
HEADER = "x-csrf-token"
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def cookie_name(request: Request) -> str:
    return HTTPS_COOKIE if request.url.scheme == "https" else COOKIE


def visitor_secret(request: Request) -> str:
    """This visitor's CSRF cookie value; a fresh one (set on the response by `set_cookie`) if they have none."""
    known = getattr(request.state, "csrf_cookie", None)
    if known:
        return str(known)
    value = request.cookies.get(cookie_name(request), "")
    if not (20 <= len(value) <= 100 and value.replace("-", "").replace("_", "").isalnum()):
        value = secrets.token_urlsafe(32)
        request.state.csrf_new = True
    request.state.csrf_cookie = value
    return value


def token(request: Request) -> str:
    """The token a form of this visitor's must carry, in this session (anonymous, or which user and version)."""
    user = current_user(request)
    session = f"{user.id}.{user.session_version}" if user else "-"
    return str(request.app.state.library.signer.mac("csrf", f"{visitor_secret(request)}:{session}"))


def set_cookie(request: Request, response: Response) -> None:
    """Give a visitor who had no (valid) CSRF cookie the one their page's forms were made with."""
    if getattr(request.state, "csrf_new", False):
        secure = request.url.scheme == "https"
        response.set_cookie(cookie_name(request), request.state.csrf_cookie, httponly=True, samesite="lax",
                            secure=secure, max_age=365 * 86400, path="/")  # fmt: skip


async def require_csrf(request: Request) -> None:
    """A dependency for every route that changes something: refuses a request without this visitor's token."""
    if request.method in _SAFE_METHODS:
        return
    sent = request.headers.get(HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()  # Starlette keeps the parsed form, so the route reads it again for free
        field = form.get(FIELD)
        sent = field if isinstance(field, str) else None
    cookie = request.cookies.get(cookie_name(request))
    if not sent or not cookie or not request.app.state.library.signer.same(sent, token(request)):
        raise HTTPException(403, "this form has expired or did not come from this site: reload the page and try again")


@pass_context
def csrf_field(context: dict) -> Markup:
    """`{{ csrf_field() }}` in a form: the hidden input `require_csrf` checks."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(FIELD, token(context["request"]))
