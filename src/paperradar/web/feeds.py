"""RSS 2.0, Atom and JSON Feed 1.1 of any list of hits; XML built with ElementTree (which escapes every value)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from email.utils import format_datetime
from xml.etree import ElementTree as ET

from fastapi.responses import Response

from paperradar.models import Paper
from paperradar.service import Hit, Library

FORMATS = {"rss": "application/rss+xml", "atom": "application/atom+xml", "json": "application/feed+json"}
ATOM = "http://www.w3.org/2005/Atom"
# Characters XML 1.0 cannot carry at all, escaped or not: a title holding one would break the feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _when(paper: Paper, added: Mapping[str, date]) -> datetime:
    """The day an item is dated: listed, else published, else the day the paper entered this database
    (a reader's "1 January 1970" helps nobody; every paper of a page is in the database)."""
    day = paper.listing_date or paper.published or added.get(paper.id or "") or date(paper.year or 1970, 1, 1)
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _link(base: str, paper: Paper) -> str:
    return f"{base}/papers/{paper.id}"


def _summary(hit: Hit) -> str:
    why = "; ".join(hit.why)
    return (f"{why}\n\n" if why else "") + hit.paper.abstract


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = _NOT_XML.sub("", text)
    return element


def rss(title: str, page_url: str, base: str, hits: list[Hit], added: Mapping[str, date]) -> bytes:
    root = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(root, "channel")
    _text(channel, "title", f"{title} · paperradar")
    _text(channel, "link", page_url)
    _text(channel, "description", title)
    for hit in hits:
        item = ET.SubElement(channel, "item")
        _text(item, "title", hit.paper.title)
        _text(item, "link", _link(base, hit.paper))
        _text(item, "guid", _link(base, hit.paper), isPermaLink="true")
        _text(item, "description", _summary(hit))
        _text(item, "pubDate", format_datetime(_when(hit.paper, added)))
        for name in hit.paper.authors[:20]:
            _text(item, "category", name, domain="author")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def atom(title: str, page_url: str, base: str, hits: list[Hit], added: Mapping[str, date]) -> bytes:
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    _text(root, f"{{{ATOM}}}title", f"{title} · paperradar")
    _text(root, f"{{{ATOM}}}id", page_url)
    ET.SubElement(root, f"{{{ATOM}}}link", {"rel": "self", "href": page_url})
    newest = max((_when(h.paper, added) for h in hits), default=datetime(1970, 1, 1, tzinfo=UTC))
    _text(root, f"{{{ATOM}}}updated", newest.isoformat())
    for hit in hits:
        entry = ET.SubElement(root, f"{{{ATOM}}}entry")
        _text(entry, f"{{{ATOM}}}title", hit.paper.title)
        _text(entry, f"{{{ATOM}}}id", _link(base, hit.paper))
        ET.SubElement(entry, f"{{{ATOM}}}link", {"href": _link(base, hit.paper)})
        _text(entry, f"{{{ATOM}}}updated", _when(hit.paper, added).isoformat())
        for name in hit.paper.authors[:20] or ["unknown"]:
            _text(ET.SubElement(entry, f"{{{ATOM}}}author"), f"{{{ATOM}}}name", name)
        _text(entry, f"{{{ATOM}}}summary", _summary(hit))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def json_feed(title: str, page_url: str, base: str, hits: list[Hit], added: Mapping[str, date]) -> bytes:
    """JSON Feed 1.1 (jsonfeed.org/version/1.1): the feed for readers that take JSON."""
    feed_url = page_url + ("&" if "?" in page_url else "?") + "format=json"
    items = [
        {
            "id": _link(base, hit.paper),
            "url": _link(base, hit.paper),
            "title": hit.paper.title,
            "content_text": _summary(hit),
            "date_published": _when(hit.paper, added).isoformat(),
            "authors": [{"name": name} for name in hit.paper.authors[:20]],
            "tags": list(hit.paper.categories),
        }
        for hit in hits
    ]
    body = {"version": "https://jsonfeed.org/version/1.1", "title": f"{title} · paperradar",
            "home_page_url": page_url, "feed_url": feed_url, "items": items}  # fmt: skip
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def feed_response(fmt: str, title: str, page_url: str, base: str, hits: list[Hit], library: Library) -> Response:
    """The feed of these hits, as UTF-8 that says so (without a charset, browsers read RSS as Latin-1)."""
    added = library.added_on([h.paper.id for h in hits if h.paper.id])
    body = {"rss": rss, "atom": atom, "json": json_feed}[fmt](title, page_url, base, hits, added)
    return Response(body, media_type=f"{FORMATS[fmt]}; charset=utf-8")
