"""Parse a search box's text into a KeywordQuery. Anything not in the documented syntax is plain text.

Syntax (docs/search.md): `"exact phrase"`, `-word` or `-"phrase"` to exclude, `ti:word` / `title:`,
`au:name` / `author:`, `abs:word` / `abstract:` for one field, `cat:cs.LG` and `year:2021` or
`year:2019-2021` as filters. Field values may be quoted: `ti:"attention is all"`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from paperradar.models import Filters, KeywordQuery

MAX_QUERY_CHARS = 1_000
MAX_TERMS = 32
_FIELD_NAMES = {
    "ti": "title",
    "title": "title",
    "au": "authors",
    "author": "authors",
    "abs": "abstract",
    "abstract": "abstract",
}
# A token: optional '-', optional 'name:', then a quoted string or a run of non-space characters.
_TOKEN = re.compile(r'(-)?(?:([A-Za-z]+):)?(?:"([^"]*)"?|(\S+))')
_YEAR = re.compile(r"^(\d{4})(?:-(\d{4})?)?$")
_WORD = re.compile(r"\w+", re.UNICODE)

STOPWORDS = frozenset(
    """
    a an and are as at be by for from has have in into is it its of on or that the their this to was
    were with we our which can how what why when where do does via using based
    """.split()
)


def words(text: str) -> list[str]:
    """The searchable words in text: letters and digits only, so no operator survives."""
    return _WORD.findall(text)


def parse(text: str, filters: Filters | None = None) -> KeywordQuery:
    """Parse a query; `filters` from elsewhere (flags, URL parameters) are combined with those typed."""
    text = text[:MAX_QUERY_CHARS]
    filters = filters or Filters()
    terms: list[str] = []
    phrases: list[str] = []
    fields: list[tuple[str, str]] = []
    excluded: list[str] = []
    free_text: list[str] = []  # what the words say, for the semantic retriever (authors and exclusions aside)
    categories = list(filters.categories)
    for match in _TOKEN.finditer(text):
        negate, name, quoted, bare = match.groups()
        value = quoted if quoted is not None else (bare or "")
        lowered = (name or "").lower()
        if lowered == "cat" and value.strip():
            categories.append(value.strip())
            continue
        if lowered == "year" and (years := _YEAR.match(value.strip())):
            start, end = int(years.group(1)), years.group(2)
            filters = replace(filters, year_from=start, year_to=int(end) if end else (None if "-" in value else start))
            continue
        if lowered in _FIELD_NAMES:
            content = " ".join(words(value))
            if content and negate:
                excluded.append(content)
            elif content:
                fields.append((_FIELD_NAMES[lowered], content))
                if _FIELD_NAMES[lowered] != "authors":
                    free_text.append(content)
            continue
        if name:
            value = f"{name}:{value}"  # "BERT:" or "http://..." are plain text, not syntax
        pieces = words(value)
        if not pieces:
            continue
        if negate:
            excluded.append(" ".join(pieces))
            continue
        free_text.append(value.strip() if quoted is None else " ".join(pieces))
        if quoted is not None:
            phrases.append(" ".join(pieces))  # a quoted phrase is a requirement
        elif len(pieces) > 1 and bare and _joined(bare):
            terms.append(" ".join(pieces))  # "GPT-4o" is one term, matched as the words were written
        else:
            terms.extend(pieces)
    kept = [t for t in terms if t.lower() not in STOPWORDS] or terms
    filters = replace(filters, categories=tuple(dict.fromkeys(categories)))
    return KeywordQuery(
        terms=tuple(dict.fromkeys(kept))[:MAX_TERMS],
        phrases=tuple(phrases)[:MAX_TERMS],
        fields=tuple(fields)[:MAX_TERMS],
        excluded=tuple(excluded)[:MAX_TERMS],
        filters=filters,
        text=" ".join(free_text)[:MAX_QUERY_CHARS],
    )


def _joined(token: str) -> bool:
    """Words glued by a hyphen, dot or slash (GPT-4, U-Net, cs.LG) read as one phrase."""
    return bool(re.fullmatch(r"\w+(?:[-./]\w+)+", token))
