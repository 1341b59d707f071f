"""The Jinja2 environment: autoescaping on, plus the few filters the templates share."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

from paperradar.rank.bibtex import bibtex
from paperradar.rank.markdown import citation_line, format_count
from paperradar.web.chart import citation_chart
from paperradar.web.csrf import csrf_field
from paperradar.web.session import current_user, user_marks

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.autoescape = True  # every value from a paper or a user is escaped, in every template
templates.env.filters["count"] = format_count
templates.env.filters["citation_line"] = citation_line
templates.env.filters["bibtex"] = bibtex
templates.env.filters["citation_chart"] = citation_chart
templates.env.globals["csrf_field"] = csrf_field
templates.env.globals["signed_in"] = current_user
templates.env.globals["user_marks"] = user_marks


def _authors(names: list[str], most: int = 6) -> str:
    shown = ", ".join(names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


templates.env.filters["authors"] = _authors


def _web_link(url: str | None) -> str | None:
    """Only http(s) links reach an href: a `javascript:` URL from a source must never be clickable."""
    return url if url and url.lower().startswith(("https://", "http://")) else None


templates.env.filters["web_link"] = _web_link
