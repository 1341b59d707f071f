"""The JSON API's refusals as the OpenAPI schema declares them: one body shape for every status, and the
statuses each route can answer, so a client generated from the schema knows what to expect."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Problem(BaseModel):
    """One invalid parameter, as request validation found it."""

    loc: list[str | int] = Field(description='Where: the location and the name, e.g. ["query", "limit"].')
    msg: str = Field(description="What is wrong with it.")
    type: str = Field(description="The kind of problem, e.g. less_than_equal.")


class Error(BaseModel):
    """What every refused request answers, whatever its status (app.py's handlers and body_limit.py)."""

    error: str = Field(description="One line saying what was wrong, naming the parameter where one was.",
                       examples=["limit: Input should be less than or equal to 1000"])  # fmt: skip
    detail: list[Problem] | None = Field(
        description="For a request that failed validation (422), one entry per invalid parameter; "
        "null when the app refused it for another reason (`error` says which)."
    )


WHY = {
    400: "A body that cannot be parsed as the type it claims (JSON that is not UTF-8, a malformed multipart upload).",
    401: "Not signed in: no valid session cookie (sign in at /login).",
    403: "No valid CSRF token: send the `pr_csrf` cookie and its token (the `csrf_token` the pages' forms carry) "
    "in the X-CSRF-Token header.",
    404: "No paper has this id (or, changing a saved paper, it is not in your library).",
    413: "The request body is larger than the server's limit (PAPERRADAR_MAX_REQUEST_BODY).",
    422: "A parameter or the body is invalid: `error` names it.",
    503: "The request ran past the server's time budget (PAPERRADAR_REQUEST_BUDGET) or waited too long behind "
    "another process's write: try again after the seconds the Retry-After header gives.",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` entries of a JSON route that can answer these statuses, and 503, which every
    route can (web/time_budget.py)."""
    return {status: {"model": Error, "description": WHY[status]} for status in (*statuses, 503)}
