"""Page numbers of the HTML pages, bounded so no page reaches past the service's window of results."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request

from paperradar.errors import InputError
from paperradar.service import MAX_WINDOW

PageNumber = Annotated[int, Query(ge=1, le=MAX_WINDOW)]


def page_window(request: Request, page: int) -> tuple[int, int]:
    """(limit, offset) of page `page`; a page past the first MAX_WINDOW results is refused naming `page`."""
    size = request.app.state.settings.page_size
    last = MAX_WINDOW // size
    if page > last:
        raise InputError(f"page: at most {last} ({MAX_WINDOW} results, {size} a page), got {page}")
    return size, (page - 1) * size
