"""The Jinja2 environment: autoescaping on, plus the few filters the templates share."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from paperradar.rank.bibtex import bibtex
from paperradar.rank.display import author_line, author_search, web_link
from paperradar.rank.highlight import highlight, snippet
from paperradar.rank.markdown import citation_line, format_count
from paperradar.service import MAX_WINDOW
from paperradar.web.chart import citation_chart
from paperradar.web.csrf import csrf_field
from paperradar.web.session import current_user, user_marks

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.autoescape = True  # every value from a paper or a user is escaped, in every template
templates.env.filters["count"] = format_count
templates.env.filters["citation_line"] = citation_line
templates.env.filters["bibtex"] = bibtex
templates.env.filters["citation_chart"] = citation_chart
templates.env.filters["highlight"] = highlight
templates.env.filters["snippet"] = snippet
templates.env.globals["csrf_field"] = csrf_field
templates.env.filters["authors"] = author_line
templates.env.filters["web_link"] = web_link
templates.env.filters["author_search"] = author_search
# The paper card is shared with the digest's mails, which style it inline; pages use the stylesheet.
templates.env.globals["inline"] = lambda part: Markup("")
templates.env.globals["signed_in"] = current_user
templates.env.globals["user_marks"] = user_marks
templates.env.globals["max_window"] = MAX_WINDOW  # the pager offers no page past it
# The nav's "Best of YEAR": the latest complete year the data has (none on an empty database).
templates.env.globals["best_year"] = lambda request: request.app.state.library.latest_complete_year()
templates.env.globals["sends_mail"] = lambda request: bool(request.app.state.settings.smtp_url)
# The newest day of the bundled demo data when the database holds it: pages say their "today" is that day.
templates.env.globals["demo_until"] = lambda request: request.app.state.library.demo_until()
