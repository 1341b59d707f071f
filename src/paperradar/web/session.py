"""The signed-in user of a request: a signed session cookie (HttpOnly, SameSite=Lax, Secure under https)
whose payload carries the user's session version, so logout and password changes end it everywhere."""

from __future__ import annotations

from fastapi import HTTPException, Request, Response
from fastapi.responses import RedirectResponse

from paperradar.models.account import User
from paperradar.service.accounts import SESSION_DAYS

COOKIE = "pr_session"


def current_user(request: Request) -> User | None:
    """The user this request's session cookie names (read once per request), or None."""
    if not hasattr(request.state, "user"):
        request.state.user = request.app.state.library.accounts.user_for_session(request.cookies.get(COOKIE))
    return request.state.user


class Marks:
    """A signed-in user's saved and voted paper ids, read once per page for the buttons on its cards."""

    def __init__(self, request: Request, user: User) -> None:
        marks = request.app.state.library.shelf.marks(user)
        self.saved, self.tags, self.voted = marks.saved, marks.tags, marks.voted
        self.just_saved = request.query_params.get("saved")  # the paper a save form came back from


def user_marks(request: Request) -> Marks | None:
    user = current_user(request)
    if user is None:
        return None
    if not hasattr(request.state, "marks"):
        request.state.marks = Marks(request, user)
    return request.state.marks


def require_user(request: Request) -> User:
    """A dependency for routes that need a signed-in user: 401 otherwise (pages link to the login form)."""
    user = current_user(request)
    if user is None:
        raise HTTPException(401, "sign in first (/login)")
    return user


def start_session(request: Request, response: Response, user: User) -> None:
    token = request.app.state.library.accounts.session_token(user)
    response.set_cookie(COOKIE, token, max_age=SESSION_DAYS * 86400, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https", path="/")  # fmt: skip


def end_session(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/")


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def back_to(target: str | None, default: str = "/") -> str:
    """A same-site path to return to after a form: never another site (`//evil`, `https://…`)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")) and len(target) < 2000:
        return target
    return default


def see_other(target: str) -> RedirectResponse:
    return RedirectResponse(target, status_code=303)
