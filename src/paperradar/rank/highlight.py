"""Mark a query's words in a title or snippet: split the raw text, escape every piece, wrap the matches in <mark>."""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup, escape

MAX_WORDS = 32


def _pattern(words: tuple[str, ...] | list[str] | None) -> re.Pattern[str] | None:
    return _compiled(tuple(sorted({w for w in (words or ())[:MAX_WORDS] if w.strip()}, key=len, reverse=True)))


@lru_cache(maxsize=256)  # one pattern per query serves its 25 titles and 50 snippets
def _compiled(wanted: tuple[str, ...]) -> re.Pattern[str] | None:
    if not wanted:
        return None
    return re.compile(r"(\b(?:" + "|".join(re.escape(w) for w in wanted) + r")\w*)", re.IGNORECASE)


def snippet(text: str | None, words: tuple[str, ...] | list[str] | None, size: int = 220) -> str:
    """About `size` characters of text, from a little before the first matched word (so the match shows)."""
    text = text or ""
    pattern = _pattern(words)
    found = pattern.search(text) if pattern else None
    start = 0
    if found and found.end() > size - 20:
        start = text.rfind(" ", 0, max(found.start() - 60, 0)) + 1
    end = start + size
    if end >= len(text):
        return ("…" if start else "") + text[start:]
    cut = text.rfind(" ", start, end)
    return ("…" if start else "") + text[start : cut if cut > start + size // 2 else end] + "…"


def highlight(text: str | None, words: tuple[str, ...] | list[str] | None) -> Markup:
    """The text escaped, with each word (and words it begins, as stemming matches them) in <mark>.

    Matching runs on the raw text and escaping on each piece after, so a mark never lands inside
    an entity or a tag, and nothing in `text` or `words` reaches the page unescaped.
    """
    text = text or ""
    pattern = _pattern(words)
    if pattern is None:
        return escape(text)
    # split() with one capturing group alternates text between matches (even places) and matches (odd).
    pieces = pattern.split(text)
    return Markup("".join(escape(p) if i % 2 == 0 else f"<mark>{escape(p)}</mark>" for i, p in enumerate(pieces)))
