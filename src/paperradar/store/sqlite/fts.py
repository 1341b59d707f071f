"""Translate a parsed keyword query into an FTS5 MATCH expression.

Every piece of user text goes into a double-quoted FTS5 string, so no input can form an operator;
the only operators in the expression are the ones written here.
"""

from __future__ import annotations

from paperradar.models import KeywordQuery

_COLUMNS = {"title": "title", "abstract": "abstract", "authors": "authors"}


def quote(text: str) -> str:
    """An FTS5 string literal: the text, with its double quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


def match_expression(query: KeywordQuery, match_all: bool = True) -> str | None:
    """The MATCH text for `query`, or None when nothing searchable is left."""
    required = [quote(p) for p in query.phrases]
    for field, text in query.fields:
        column = _COLUMNS.get(field)
        if column:
            required.append(f"{column} : {quote(text)}")
    terms = [quote(t) for t in query.terms]
    if match_all or len(terms) < 2:
        required.extend(terms)
    elif terms:
        required.append("(" + " OR ".join(terms) + ")")
    if not required:
        return None
    expression = " AND ".join(required)
    for word in query.excluded:
        expression = f"({expression}) NOT {quote(word)}"
    return expression
