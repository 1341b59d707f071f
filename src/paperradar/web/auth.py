"""Sign-up, login, logout, email verification, password reset and the account page (server-rendered forms;
each route makes one accounts call)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from paperradar.errors import InputError
from paperradar.models.account import User
from paperradar.service.accounts import Accounts, LoginFailed, RateLimited
from paperradar.web.csrf import require_csrf
from paperradar.web.session import (
    back_to,
    client_ip,
    current_user,
    end_session,
    require_user,
    see_other,
    start_session,
)
from paperradar.web.templating import templates

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
Email = Annotated[str, Form(max_length=300)]
Password = Annotated[str, Form(max_length=1000)]
Token = Annotated[str, Query(max_length=4096)]
Signed = Annotated[User, Depends(require_user)]
CSRF = [Depends(require_csrf)]


def _accounts(request: Request) -> Accounts:
    return request.app.state.library.accounts


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _status(error: InputError) -> int:
    return 429 if isinstance(error, RateLimited) else 401 if isinstance(error, LoginFailed) else 422


def _form(request: Request, name: str, status: int = 200, **context: Any) -> Response:
    return templates.TemplateResponse(request, name, context, status_code=status)


@router.get("/signup")
def signup_form(request: Request) -> Response:
    return _form(request, "signup.html", can_mail=_accounts(request).can_mail)


@router.post("/signup", dependencies=CSRF)
def signup(request: Request, email: Email, password: Password) -> Response:
    try:
        said = _accounts(request).sign_up(email, password, ip=client_ip(request))
    except InputError as error:
        return _form(request, "signup.html", _status(error), error=str(error), email=email[:254],
                     can_mail=_accounts(request).can_mail)  # fmt: skip
    response = _form(request, "message.html", title="Account", message=said.message)
    if said.user is not None:  # a new account starts signed in: no second form to fill in
        start_session(request, response, said.user)
    return response


@router.get("/login")
def login_form(request: Request, next: Annotated[str, Query(max_length=2000)] = "/library") -> Response:
    return _form(request, "login.html", next=back_to(next, "/library"))


@router.post("/login", dependencies=CSRF)
def login(request: Request, email: Email, password: Password,
          next: Annotated[str, Form(max_length=2000)] = "/library") -> Response:  # fmt: skip
    try:
        user = _accounts(request).login(email, password, ip=client_ip(request))
    except InputError as error:
        return _form(request, "login.html", _status(error), error=str(error), email=email[:254],
                     next=back_to(next, "/library"))  # fmt: skip
    response = see_other(back_to(next, "/library"))
    start_session(request, response, user)
    return response


@router.post("/logout", dependencies=CSRF)
def logout(request: Request) -> Response:
    user = current_user(request)
    if user is not None:
        _accounts(request).logout(user)
    response = see_other("/")
    end_session(response)
    return response


@router.get("/verify")
def verify_page(request: Request, token: Token) -> Response:
    """The mailed link only asks (mail scanners fetch every link); the button's POST verifies."""
    return _form(request, "confirm_link.html", heading="Verify your email", action="/verify", token=token,
                 message="Confirm that this address is yours.", button="Verify my email")  # fmt: skip


@router.post("/verify", dependencies=CSRF)
def verify(request: Request, token: Annotated[str, Form(max_length=4096)]) -> Response:
    user = _accounts(request).verify(token)
    return _form(request, "message.html", title="Email verified", message=f"Thank you: {user.email} is verified.")


@router.get("/forgot")
def forgot_form(request: Request) -> Response:
    return _form(request, "forgot.html")


@router.post("/forgot", dependencies=CSRF)
def forgot(request: Request, email: Email) -> Response:
    message = _accounts(request).request_reset(email, ip=client_ip(request))
    return _form(request, "message.html", title="Reset your password", message=message)


@router.get("/reset")
def reset_form(request: Request, token: Token) -> Response:
    return _form(request, "reset.html", token=token)


@router.post("/reset", dependencies=CSRF)
def reset(request: Request, token: Annotated[str, Form(max_length=4096)], password: Password) -> Response:
    try:
        _accounts(request).reset_password(token, password)
    except InputError as error:
        return _form(request, "reset.html", 422, token=token, error=str(error))
    response = _form(request, "message.html", title="Password changed", message="Your password is changed: log in.")
    end_session(response)
    return response


@router.get("/account")
def account(request: Request, user: Signed) -> Response:
    library = request.app.state.library
    feed = f"{_base(request)}/for-you/feed/{library.accounts.feed_token(user)}.rss"
    return _form(request, "account.html", user=user, feed_url=feed, can_mail=library.accounts.can_mail)


@router.post("/account/password", dependencies=CSRF)
def change_password(request: Request, user: Signed, current: Password, new: Password) -> Response:
    try:
        changed = _accounts(request).change_password(user, current, new)
    except InputError as error:
        return _form(request, "message.html", 422, title="Password not changed", message=str(error))
    response = _form(request, "message.html", title="Password changed",
                     message="Your password is changed; other browsers are signed out.")  # fmt: skip
    start_session(request, response, changed)
    return response


@router.post("/account/feed/revoke", dependencies=CSRF)
def revoke_feed(request: Request, user: Signed) -> Response:
    _accounts(request).revoke_feed(user)
    return see_other("/account")


@router.post("/account/verify", dependencies=CSRF)
def resend_verification(request: Request, user: Signed) -> Response:
    sent = _accounts(request).resend_verification(user)
    message = "We sent a new verification link." if sent else "No link was sent (verified already, or no mail)."
    return _form(request, "message.html", title="Verify your email", message=message)
