"""The `after` cursor of lists paged by key (/latest): the last shown paper's day and id, opaque and URL-safe.

A cursor names a place in the order, not a count of rows, so papers added while a reader pages on
neither repeat nor go missing, and the next page is an index seek however deep it lies.
"""

from __future__ import annotations

import base64
import binascii
from datetime import date

from paperradar.errors import InputError
from paperradar.store.base import LatestKey

MAX_CURSOR_CHARS = 500  # a day, a separator and a paper id (ids are at most 300 characters)


def encode(key: LatestKey) -> str:
    day, paper_id = key
    text = f"{day.isoformat() if day else ''}/{paper_id}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode(cursor: str, name: str = "after") -> LatestKey:
    """The key a cursor from `encode` names; anything else is refused naming the parameter."""
    problem = InputError(f"{name}: not a cursor this site gave (use the link of the previous page)")
    if not cursor or len(cursor) > MAX_CURSOR_CHARS:
        raise problem
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        day, slash, paper_id = text.partition("/")  # ids may hold "/" (hep-th/9901001); a day never does
        key = (date.fromisoformat(day) if day else None, paper_id)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise problem from None
    if not slash or not paper_id:
        raise problem
    return key
