"""The digest's pages: the subscribe form's target, the confirmation link, and one-click unsubscribe."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from paperradar.service import Library
from paperradar.web import ratelimit
from paperradar.web.csrf import require_csrf
from paperradar.web.templating import templates

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
Token = Annotated[str, Query(min_length=1, max_length=4096, description="The signed token from the email.")]


def _library(request: Request) -> Library:
    return request.app.state.library


def _page(request: Request, heading: str, message: str, status: int = 200, **extra: object) -> Response:
    context = {"heading": heading, "message": message, **extra}
    return templates.TemplateResponse(request, "subscription.html", context, status_code=status)


@router.post("/subscribe", dependencies=[Depends(require_csrf)])
def subscribe(request: Request, email: Annotated[str, Form(max_length=320)]) -> Response:
    if not request.app.state.settings.smtp_url:  # the pages offer no form then; an old tab or a script may still post
        return _page(request, "No email here", "This instance sends no email, so it has no daily digest. "
                     "Follow the daily page in a feed reader (RSS or Atom) instead.", status=503)  # fmt: skip
    ratelimit.check(request, "subscribe", request.app.state.settings.subscribe_rate_limit)
    _library(request).digests.subscribe_later(email)
    # The same answer, at once, for a new, a pending and an active address: the form tells no one who
    # subscribed (the mail goes from a background thread, so the answer's timing tells nothing either).
    return _page(request, "Check your inbox",
                 "If this address is not subscribed yet, a link to confirm it is on its way. "
                 "The digest starts once you open it.")  # fmt: skip


@router.get("/subscribe/confirm")
def confirm_page(request: Request, token: Token) -> Response:
    """The mailed link only asks (mail scanners fetch every link); the button's POST confirms."""
    email = _library(request).digests.confirm_address(token)
    return templates.TemplateResponse(request, "confirm_link.html", {
        "heading": "Confirm your subscription", "message": f"Send the daily digest to {email}?",
        "action": "/subscribe/confirm", "token": token, "button": "Confirm"})  # fmt: skip


@router.post("/subscribe/confirm", dependencies=[Depends(require_csrf)])
def confirm(request: Request, token: Annotated[str, Form(min_length=1, max_length=4096)]) -> Response:
    subscriber = _library(request).digests.confirm(token)
    return _page(request, "You are subscribed", f"The daily digest will come to {subscriber.email}.")


@router.get("/unsubscribe")
def unsubscribe_page(request: Request, token: Token) -> Response:
    """A link opened in a browser only asks: link scanners fetch every URL in a mail, and must not unsubscribe."""
    email = _library(request).digests.unsubscribe_address(token)
    return _page(request, "Unsubscribe", f"Stop the daily digest to {email}?", token=token)


# No CSRF token here, on purpose: mail clients POST this URL themselves (RFC 8058 one-click, with the
# body List-Unsubscribe=One-Click) and cannot have one. The signed token in the URL authenticates the
# request instead, and a forged POST could at most unsubscribe the address the token was made for.
@router.post("/unsubscribe")
def unsubscribe(request: Request, token: Token) -> Response:
    _library(request).digests.unsubscribe(token)
    return _page(request, "Unsubscribed", "You will get no more digests. Subscribe again from the daily page.")
