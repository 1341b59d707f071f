"""How a paper's fields read on a card, the same on the site's pages and in the digest's mails."""

from __future__ import annotations

from urllib.parse import urlencode


def author_line(names: list[str], most: int = 6) -> str:
    shown = ", ".join(names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def author_search(name: str) -> str:
    """The site path of a search for a name as an author (`au:"…"`, docs/search.md)."""
    return "/search?" + urlencode({"q": f'au:"{name}"'})


def web_link(url: str | None) -> str | None:
    """Only http(s) links reach an href: a `javascript:` URL from a source must never be clickable."""
    return url if url and url.lower().startswith(("https://", "http://")) else None


def one_line(text: str, most: int = 300) -> str:
    """Text for a header or a plain-text line: control characters and line breaks become spaces, so a
    hostile title cannot start a header of its own ("\\r\\nBcc: ...") or fake lines of the mail."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in text)
    flat = " ".join(cleaned.split())
    return flat if len(flat) <= most else flat[: most - 1].rstrip() + "…"
