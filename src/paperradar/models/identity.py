"""Identity rules: how two records are known to be the same paper, and the public id a paper gets."""

from __future__ import annotations

import hashlib
import re
import unicodedata

# New-style ids (0704.0001, 2106.09685) and old-style ids (hep-th/9608091, math.GT/0309136).
_ARXIV_NEW = re.compile(r"^(\d{4}\.\d{4,5})(v\d+)?$")
_ARXIV_OLD = re.compile(r"^([a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(v\d+)?$", re.IGNORECASE)
_ARXIV_PREFIXES = ("arxiv:", "https://arxiv.org/abs/", "http://arxiv.org/abs/", "oai:arxiv.org:")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise_arxiv_id(value: str | None) -> str | None:
    """The arXiv id without version or prefix, or None when `value` is not an arXiv id."""
    if not value:
        return None
    text = value.strip()
    lowered = text.lower()
    for prefix in _ARXIV_PREFIXES:
        if lowered.startswith(prefix):
            text = text[len(prefix) :]
            break
    match = _ARXIV_NEW.match(text)
    if match:
        return match.group(1)
    match = _ARXIV_OLD.match(text)
    if match:
        archive, number = match.group(1).split("/")
        return f"{archive.lower()}/{number}" if "." not in archive else f"{archive}/{number}"
    return None


def normalise_doi(value: str | None) -> str | None:
    """A DOI in its canonical lower-case form (DOIs are case-insensitive), or None."""
    if not value:
        return None
    text = value.strip()
    lowered = text.lower()
    for prefix in _DOI_PREFIXES:
        if lowered.startswith(prefix):
            text = text[len(prefix) :]
            break
    text = text.lower()
    return text if _DOI.match(text) else None


def arxiv_year(arxiv_id: str | None) -> int | None:
    """The year an arXiv id was issued in (its YYMM prefix), for papers no source dates."""
    if not arxiv_id:
        return None
    digits = arxiv_id.split("/")[-1][:2]
    if not digits.isdigit():
        return None
    yy = int(digits)
    return 1900 + yy if yy >= 91 else 2000 + yy


def fingerprint(title: str) -> str:
    """A title reduced to what survives re-typing: case, accents, punctuation and spacing dropped."""
    if not title.isascii():
        decomposed = unicodedata.normalize("NFKD", title)
        title = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALNUM.sub(" ", title.lower()).strip()


def public_id_for(arxiv_id: str | None, doi: str | None, title_fingerprint: str, year: int | None) -> str:
    """The id a paper is known by: its arXiv id, else a short key derived from its DOI or title.

    Derived from content only, so the same input gives the same id in any database.
    """
    if arxiv_id:
        return arxiv_id
    basis = f"doi:{doi}" if doi else f"title:{title_fingerprint}|{year or ''}"
    return "p" + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:11]
