"""/api/docs: the API browser (Swagger UI), served from the package so it works offline and under the
site's strict Content-Security-Policy (no CDN, no inline script).

Swagger UI's files come from the pinned PyPI package fastapi-offline (swagger-ui-dist 5, Apache-2.0);
the page and the script that starts it are ours.
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from paperradar.web.templating import templates

SWAGGER_FILES = Path(fastapi_offline.__file__).parent / "static"
ASSETS = "/api/docs/assets"

router = APIRouter(include_in_schema=False)


def mount_assets(app) -> None:
    app.mount(ASSETS, StaticFiles(directory=SWAGGER_FILES), name="api-docs-assets")


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(request, "api_docs.html", {"assets": ASSETS})
