"""The arXiv metadata snapshot (the public Kaggle/Cornell JSON-lines dump of every arXiv paper)."""

from __future__ import annotations

import re
import unicodedata
from email.utils import parsedate_to_datetime
from typing import Any

from paperradar.models import Paper
from paperradar.sources.files.fields import FieldError, clean_text, parse_categories, to_paper
from paperradar.sources.files.jsonl import JsonlSource

# The snapshot writes accents as TeX: C. Bal\'azs, G\"odel, \c{c}.
_TEX_ACCENTS = {"'": "\u0301", "`": "\u0300", '"': "\u0308", "^": "\u0302", "~": "\u0303", "c": "\u0327",
                "v": "\u030c", "u": "\u0306", "=": "\u0304", ".": "\u0307", "H": "\u030b", "k": "\u0328"}  # fmt: skip
_TEX_ACCENT = re.compile(r"\\([`'\"^~=.]|[cvuHk](?=[{ ]))\s*\{?\\?([A-Za-z])\}?")
_TEX_LETTERS = {r"\o": "ø", r"\O": "Ø", r"\l": "ł", r"\L": "Ł", r"\ss": "ß", r"\aa": "å", r"\AA": "Å",
                r"\ae": "æ", r"\AE": "Æ", r"\i": "ı"}  # fmt: skip


def detex(text: str) -> str:
    """Plain Unicode for the TeX accents in names; anything else is left as written."""
    text = _TEX_ACCENT.sub(lambda m: m.group(2) + _TEX_ACCENTS[m.group(1)], text)
    for tex, letter in _TEX_LETTERS.items():
        text = re.sub(re.escape(tex) + r"(?![A-Za-z])\s?", letter, text)
    return unicodedata.normalize("NFC", text.replace("{", "").replace("}", ""))


def _author_names(record: dict[str, Any]) -> list[str]:
    parsed = record.get("authors_parsed")
    if isinstance(parsed, list) and parsed:
        names = []
        for entry in parsed:
            if isinstance(entry, list) and entry:
                last, first = str(entry[0]), str(entry[1]) if len(entry) > 1 else ""
                suffix = str(entry[2]) if len(entry) > 2 else ""
                names.append(detex(" ".join(part for part in (first, last, suffix) if part.strip())))
        return [clean_text(n, "authors_parsed", 500) for n in names if n.strip()]
    authors = record.get("authors")
    return [detex(a) for a in (authors or "").replace(" and ", ", ").split(",") if a.strip()]


def snapshot_to_paper(record: Any) -> Paper:
    if not isinstance(record, dict):
        raise FieldError(f"expected a JSON object, got {type(record).__name__}")
    if not record.get("id"):
        raise FieldError("id: missing")
    versions = record.get("versions") or []
    published = None
    if versions and isinstance(versions[0], dict) and versions[0].get("created"):
        try:
            published = parsedate_to_datetime(versions[0]["created"]).date().isoformat()
        except (TypeError, ValueError):
            raise FieldError(f"versions[0].created: {str(versions[0]['created'])[:40]!r} is not a date") from None
    native = {
        "arxiv_id": record["id"],
        "doi": record.get("doi"),
        "title": record.get("title"),
        "abstract": record.get("abstract"),
        "published": published,
        "venue": record.get("journal-ref"),
    }
    paper = to_paper(native)
    paper.authors = _author_names(record)
    if record.get("categories"):
        paper.categories = parse_categories(record["categories"])
    return paper


class ArxivSnapshotSource(JsonlSource):
    format = "arxiv-snapshot"
    convert = staticmethod(snapshot_to_paper)
