"""The SMTP transport against a real SMTP server: delivery, refusals that spare the rest, bad settings."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from paperradar.errors import ConfigError
from paperradar.mail import Mailer, MailError, MailRefused, parse_smtp_url
from smtp_sink import SmtpSink


def _message(to: str, subject: str = "Hello") -> EmailMessage:
    message = EmailMessage()
    message["To"] = to
    message["Subject"] = subject
    message.set_content("plain body ✓")
    message.add_alternative("<p>html body ✓</p>", subtype="html")
    return message


def test_a_message_arrives_with_its_from_subject_and_both_bodies(smtp_sink: SmtpSink) -> None:
    Mailer(smtp_sink.url, "Radar <radar@example.org>").send(_message("ada@example.org", "Today’s papers"))

    [received] = smtp_sink.to("ada@example.org")
    assert received["From"] == "Radar <radar@example.org>"
    assert received["Subject"] == "Today’s papers"
    assert received.get_body(("plain",)).get_content().strip() == "plain body ✓"
    assert received.get_body(("html",)).get_content().strip() == "<p>html body ✓</p>"


def test_a_refused_recipient_raises_and_the_next_message_still_goes(smtp_sink: SmtpSink) -> None:
    mailer = Mailer(smtp_sink.url, "radar@example.org")
    with mailer.session() as session:
        session.send(_message("first@example.org"))
        with pytest.raises(MailRefused, match=r"nobody@refused\.example"):
            session.send(_message("nobody@refused.example"))
        session.send(_message("second@example.org"))

    assert [len(smtp_sink.to(a)) for a in ("first@example.org", "second@example.org")] == [1, 1]
    assert smtp_sink.to("nobody@refused.example") == []


def test_a_server_that_is_not_there_is_a_mail_error_naming_it() -> None:
    mailer = Mailer("smtp://127.0.0.1:9", "radar@example.org", timeout=2)
    with pytest.raises(MailError, match=r"127\.0\.0\.1:9") as raised:
        mailer.send(_message("ada@example.org"))
    assert not isinstance(raised.value, MailRefused)  # worth retrying later, unlike a refusal


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://localhost:1025", ("smtp", "localhost", 1025, None, None)),
        ("smtps://me%40site:p%3Ass@mail.example.org", ("smtps", "mail.example.org", 465, "me@site", "p:ss")),
        ("smtp+starttls://u:p@mail.example.org", ("smtp+starttls", "mail.example.org", 587, "u", "p")),
    ],
)
def test_smtp_urls_name_scheme_host_port_and_decoded_credentials(url: str, expected: tuple) -> None:
    address = parse_smtp_url(url)
    assert (address.scheme, address.host, address.port, address.username, address.password) == expected
    assert "p:ss" not in repr(address) and "p%3Ass" not in repr(address)


@pytest.mark.parametrize("url", ["http://host", "smtp://", "smtp://host:notaport"])
def test_an_unusable_smtp_url_names_the_setting(url: str) -> None:
    with pytest.raises(ConfigError, match="PAPERRADAR_SMTP_URL"):
        parse_smtp_url(url)


def test_a_from_address_that_is_not_one_names_the_setting(smtp_sink: SmtpSink) -> None:
    with pytest.raises(ConfigError, match="PAPERRADAR_MAIL_FROM"):
        Mailer(smtp_sink.url, "paperradar")
