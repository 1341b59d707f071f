"""Build the FastAPI application: one Library, the page and API routers, and the error handlers."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from paperradar import __version__
from paperradar.errors import Busy, InputError, PaperNotFound, PaperradarError
from paperradar.service import Library
from paperradar.service.accounts import LoginFailed, RateLimited
from paperradar.settings import Settings, load_settings
from paperradar.web import api, api_docs, auth, csrf, daily, graph_api, me, me_api, pages, subscriptions
from paperradar.web.blank_fields import BlankFieldsMiddleware
from paperradar.web.body_limit import BodyLimit
from paperradar.web.errors import error_response
from paperradar.web.time_budget import TimeBudget

log = logging.getLogger("paperradar.web")
STATIC = Path(__file__).parent / "static"
_STATUS = {PaperNotFound: 404, RateLimited: 429, LoginFailed: 401, InputError: 422, Busy: 503}  # most specific first


def create_app(settings: Settings, library: Library | None = None) -> FastAPI:
    """The app for these settings; pass a Library to share one (tests), else one is opened here."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if app.state.library.has_embeddings():
            # Load the embedding model while the first visitor reads the home page, not during their search.
            threading.Thread(target=lambda: app.state.library.embedder, daemon=True).start()
        stop_following = threading.Event()  # the keyword index catches up off the request path
        follower = threading.Thread(target=app.state.library.follow_indexes, args=(stop_following,), daemon=True)
        follower.start()
        yield
        stop_following.set()
        follower.join(timeout=30)
        if owned:
            app.state.library.close()

    owned = library is None
    app = FastAPI(
        title="paperradar",
        version=__version__,
        description="Search, rank and follow AI research papers. Every page's data is here as JSON.",
        lifespan=lifespan,
        docs_url=None,  # web/api_docs.py serves the API browser from the package, not a CDN
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    app.state.library = library or Library.open(settings)
    app.state.settings = settings
    app.include_router(graph_api.router)  # before api's /papers/{paper_id:path}
    app.include_router(api.router)
    app.include_router(api_docs.router)
    api_docs.mount_assets(app)
    app.include_router(daily.api)
    app.include_router(pages.router)
    app.include_router(daily.pages)
    app.include_router(subscriptions.router)
    app.include_router(auth.router)
    app.include_router(me.pages)
    app.include_router(me_api.api)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(BlankFieldsMiddleware)
    if settings.allowed_host_list:  # a Host header naming another site gets a 400 before any route
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.allowed_host_list)
    if settings.cors_origin_list:  # off by default: no other site's script may read the API unless allowed
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origin_list, allow_methods=["GET"])

    app.add_middleware(BodyLimit, max_bytes=settings.max_request_body)  # before any body is read or parsed
    app.add_middleware(TimeBudget, seconds=settings.request_budget, lock_wait=settings.request_lock_wait)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response: Response = await call_next(request)
        csrf.set_cookie(request, response)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if response.headers.get("content-type", "").startswith("text/html"):
            response.headers.setdefault(
                "Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"
            )
        if request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "public, max-age=86400")
        return response

    @app.exception_handler(PaperradarError)
    async def known_error(request: Request, exc: PaperradarError) -> Response:
        status = next((code for kind, code in _STATUS.items() if isinstance(exc, kind)), 400)
        return error_response(request, status, str(exc))

    @app.exception_handler(RequestValidationError)
    async def bad_parameter(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            f"{'.'.join(str(p) for p in error['loc'][1:]) or error['loc'][0]}: {error['msg']}" for error in exc.errors()
        ]
        return error_response(request, 422, "; ".join(problems), detail=jsonable(exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error_response(request, exc.status_code, str(exc.detail), headers=exc.headers)  # a 405's Allow

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return error_response(request, 500, "something went wrong on our side")

    return app


def app_from_environment() -> FastAPI:
    """The app of a `paperradar serve --workers N` worker process: settings from the environment."""
    return create_app(load_settings())


def jsonable(errors: object) -> object:
    """Validation errors with their inputs dropped: echoing 10 kB of a hostile query helps nobody."""
    if isinstance(errors, list):
        return [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in errors]
    return errors
