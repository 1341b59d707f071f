"""A paper as a BibTeX entry, and a list of papers as a .bib file."""

from __future__ import annotations

import re
import unicodedata

from paperradar.models import Paper

_SPECIAL = re.compile(r"([&%$#_{}])")


def _escape(text: str) -> str:
    """Braces and TeX specials in a title must not end the field or start a command."""
    text = " ".join(text.replace("\\", " ").split())
    return _SPECIAL.sub(r"\\\1", text).replace("~", r"\textasciitilde{}").replace("^", r"\^{}")


def key(paper: Paper) -> str:
    """surnameYEARfirstword, ASCII only: what people type after \\cite{."""
    surname = paper.authors[0].split()[-1] if paper.authors and paper.authors[0].split() else "anon"
    word = next((w for w in re.findall(r"[A-Za-z]+", paper.title) if len(w) > 3), "paper")
    raw = f"{surname}{paper.year or ''}{word}".lower()
    return re.sub(r"[^a-z0-9]", "", unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode()) or "paper"


def bibtex(paper: Paper) -> str:
    fields: list[tuple[str, str]] = [("title", "{" + _escape(paper.title) + "}")]
    if paper.authors:
        fields.append(("author", " and ".join(_escape(a) for a in paper.authors)))
    if paper.year:
        fields.append(("year", str(paper.year)))
    if paper.venue:
        fields.append(("journal", _escape(paper.venue)))
    if paper.arxiv_id:
        fields += [("eprint", paper.arxiv_id), ("archivePrefix", "arXiv")]
        if paper.primary_category:
            fields.append(("primaryClass", _escape(paper.primary_category)))
    if paper.doi:
        fields.append(("doi", _escape(paper.doi)))
    if paper.abs_url and paper.abs_url.startswith(("http://", "https://")):
        fields.append(("url", _escape(paper.abs_url)))
    kind = "article" if paper.venue else "misc"
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{key(paper)},\n{body}\n}}\n"


def bibliography(papers: list[Paper]) -> str:
    return "\n".join(bibtex(p) for p in papers)
