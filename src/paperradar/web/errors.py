"""How the web app answers an error: JSON for the API and for clients that do not ask for HTML, a page
for browsers. A 503 says when to come back (Retry-After)."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from paperradar import budget
from paperradar.web.templating import templates

RETRY_AFTER = 5  # seconds a client is asked to wait after a 503: the length of an import's batch or two


def error_response(request: Request, status: int, message: str, detail: object = None,
                   headers: Mapping[str, str] | None = None) -> Response:  # fmt: skip
    """The error answer: JSON (web/api_errors.py's Error) for the API and for clients not asking for HTML."""
    response: Response
    if request.url.path.startswith("/api/") or "text/html" not in request.headers.get("accept", "text/html"):
        response = JSONResponse({"error": message, "detail": detail}, status_code=status, headers=headers)
    else:
        context = {"status": status, "message": message}
        with budget.lifted():  # rendered in full even for a request that has spent its time
            response = templates.TemplateResponse(request, "error.html", context, status_code=status, headers=headers)
    if status == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER)
    return response
