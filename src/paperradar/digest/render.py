"""The digest as a mail: HTML and plain text from the site's own templates, with the list headers.

The templates are the web app's (`web/templates`): the paper card partial is one file for the page and
the mail. What every subscriber of a day shares (the trending section) is rendered once; per subscriber
only the small frame around it is (personal sections, the unsubscribe link).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from paperradar.digest.mime import assemble, new_boundary
from paperradar.digest.sections import DigestSection
from paperradar.rank.display import author_line, author_search, one_line, web_link
from paperradar.rank.highlight import highlight, snippet
from paperradar.rank.markdown import citation_line, format_count

TEMPLATES = Path(__file__).parents[1] / "web" / "templates"

# Inline styles, since many mail clients drop <style> and every stylesheet; only properties they all know.
STYLES = {
    "body": "margin:0;padding:0;background:#f4f4f1;",
    "frame": "max-width:640px;margin:0 auto;padding:16px 20px;background:#ffffff;color:#1b1b1b;"
    "font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;",
    "brand": "font-size:13px;color:#555555;margin:0 0 8px 0;",
    "section": "font-size:20px;margin:24px 0 12px 0;padding-bottom:4px;border-bottom:1px solid #dddddd;",
    "paper": "margin:0 0 20px 0;",
    "title": "font-size:17px;line-height:1.3;margin:0 0 4px 0;",
    "link": "color:#1a4fa0;",
    "meta": "font-size:13px;color:#555555;margin:0 0 4px 0;",
    "why": "font-size:13px;color:#2d6a2d;margin:0 0 4px 0;",
    "abstract": "font-size:14px;line-height:1.45;margin:0;",
    "footer": "font-size:12px;color:#777777;margin:28px 0 0 0;",
}


def _inline(part: str) -> Markup:
    return Markup(' style="{}"').format(STYLES[part])


def environment() -> Environment:
    """Jinja for mail: HTML templates escaped as on the site, text templates not (they are not HTML)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        keep_trailing_newline=True,
    )
    env.filters.update(authors=author_line, author_search=author_search, web_link=web_link, citation_line=citation_line,
                       count=format_count, one_line=one_line, highlight=highlight, snippet=snippet)  # fmt: skip
    env.globals["inline"] = _inline
    return env


@dataclass(frozen=True, slots=True)
class Mail:
    """A digest ready to hand over: its recipient, its Message-ID, and the message as bytes."""

    to: str
    message_id: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Shared:
    """The part of a day's digest that is the same for every subscriber, rendered once."""

    day: date
    sections: list[DigestSection]
    html: Markup
    text: str


class DigestRenderer:
    """Renders digests and confirmation mails for a site at `site_url` (absolute links in every mail)."""

    def __init__(self, site_url: str, mail_from: str) -> None:
        self.site_url = site_url.rstrip("/")
        self._from = formataddr(parseaddr(mail_from), charset="utf-8")
        self._boundary = new_boundary()
        self.host = urlsplit(self.site_url).hostname or "localhost"
        self._env = environment()
        self._section_html = self._env.get_template("mail/_section.html")
        self._section_text = self._env.get_template("mail/_section.txt")
        self._html = self._env.get_template("mail/digest.html")
        self._text = self._env.get_template("mail/digest.txt")

    def shared(self, day: date, sections: Sequence[DigestSection]) -> Shared:
        html = "".join(self._section_html.render(section=s, site_url=self.site_url) for s in sections)
        text = "\n".join(self._section_text.render(section=s, site_url=self.site_url) for s in sections)
        return Shared(day, list(sections), Markup(html), text)

    def message(self, shared: Shared, personal: Sequence[DigestSection], to: str, subject: str,
                message_id: str, unsubscribe_url: str, now: datetime) -> Mail:  # fmt: skip
        """One subscriber's digest, ready for `MailSession.send_raw`."""
        context = {"title": subject, "day": shared.day, "personal": personal, "site_url": self.site_url,
                   "unsubscribe_url": unsubscribe_url}  # fmt: skip
        headers = [
            ("From", self._from),
            ("To", to),
            ("Subject", one_line(subject, 200)),
            ("Date", format_datetime(now)),
            ("Message-ID", message_id),
            # RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs to this URL.
            ("List-Id", f"paperradar daily digest <digest.{self.host}>"),
            ("List-Unsubscribe", f"<{unsubscribe_url}>"),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            ("Auto-Submitted", "auto-generated"),  # asks autoresponders not to answer
        ]
        text = self._text.render(**context, shared=shared.text)
        html = self._html.render(**context, shared=shared.html)
        return Mail(to, message_id, assemble(headers, text, html, self._boundary))

    def message_id(self, subscriber_id: int, day: date) -> str:
        """The same for every attempt at one subscriber's digest of a day, so a rare second copy (see
        docs/digest.md, the delivery guarantee) is recognisable as the same message."""
        return f"<digest.{day:%Y%m%d}.{subscriber_id}@{self.host}>"

    def confirmation(self, to: str, confirm_url: str, days: int, now: datetime) -> EmailMessage:
        message = EmailMessage()
        message["To"] = to
        message["Subject"] = "Confirm your paperradar digest"
        message["Date"] = format_datetime(now)
        message["Message-ID"] = make_msgid("confirm", domain=self.host)
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(self._env.get_template("mail/confirm.txt").render(confirm_url=confirm_url, days=days))
        return message
