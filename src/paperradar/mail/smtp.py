"""Send email over SMTP, as configured by `PAPERRADAR_SMTP_URL`.

URL forms: `smtp://host:port` (plain, for a local relay), `smtp+starttls://user:pass@host:587` (upgrades
with STARTTLS before logging in) and `smtps://user:pass@host:465` (TLS from the first byte). User and
password are percent-decoded, so a password may hold any character.

A refused recipient raises `MailRefused` and leaves the connection usable for the next message, so one
bad address never stops a batch; anything else (the server gone, a timeout) raises `MailError`, and
`MailSession.send` reconnects once before giving up, since relays drop idle or long-lived connections.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr
from urllib.parse import unquote, urlsplit

from paperradar.errors import ConfigError, PaperradarError

_DEFAULT_PORTS = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}


class MailError(PaperradarError):
    """The message could not be handed to the SMTP server (connection, authentication, a transient refusal)."""


class MailRefused(MailError):
    """The server refused this message's recipient or content for good (a 5xx reply); others may still go."""


@dataclass(frozen=True, slots=True)
class SmtpAddress:
    scheme: str
    host: str
    port: int
    username: str | None
    password: str | None

    def __repr__(self) -> str:  # never print the password into a log
        user = f"{self.username}:***@" if self.username else ""
        return f"SmtpAddress({self.scheme}://{user}{self.host}:{self.port})"


def parse_smtp_url(url: str, setting: str = "PAPERRADAR_SMTP_URL") -> SmtpAddress:
    """The server a URL names; a ConfigError naming the setting when it cannot be used."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise ConfigError(f"{setting}: {error}", hint="e.g. smtp://localhost:1025 or smtps://user:pass@host") from None
    if parts.scheme not in _DEFAULT_PORTS:
        raise ConfigError(
            f"{setting}: unsupported scheme {parts.scheme!r}",
            hint="use smtp://host:port, smtp+starttls://user:pass@host:587 or smtps://user:pass@host:465",
        )
    if not parts.hostname:
        raise ConfigError(f"{setting}: no host in the URL", hint="e.g. smtp://localhost:1025")
    return SmtpAddress(
        scheme=parts.scheme,
        host=parts.hostname,
        port=port or _DEFAULT_PORTS[parts.scheme],
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


class MailSession:
    """One SMTP connection for many messages (a digest run), reopened when the server drops it."""

    def __init__(self, mailer: Mailer) -> None:
        self._mailer = mailer
        self._client: smtplib.SMTP | None = None

    def send(self, message: EmailMessage) -> None:
        """Hand one message to the server. MailRefused: this message will never go; MailError: try later."""
        if "From" not in message:
            message["From"] = self._mailer.mail_from
        self._deliver(lambda client: client.send_message(message))

    def send_raw(self, recipient: str, data: bytes) -> None:
        """Hand over a message already flattened (CRLF line ends, its own From), from the configured
        sender: for batches that assemble their bytes faster than the email package flattens them."""
        self._deliver(lambda client: client.sendmail(self._mailer.envelope_from, [recipient], data))

    def _deliver(self, hand_over: Callable[[smtplib.SMTP], dict[str, tuple[int, bytes]]]) -> None:
        for attempt in range(2):
            try:
                client = self._client or self._connect()
                self._refusals(hand_over(client))
                return
            except smtplib.SMTPRecipientsRefused as error:
                self._reset()
                raise MailRefused(f"recipient refused: {_codes(error.recipients)}") from None
            except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
                self._reset()
                if 500 <= error.smtp_code < 600:
                    raise MailRefused(f"message refused: {error.smtp_code} {_text(error.smtp_error)}") from None
                raise MailError(f"message deferred: {error.smtp_code} {_text(error.smtp_error)}") from None
            except smtplib.SMTPAuthenticationError as error:
                self.close()
                raise MailError(f"SMTP login refused: {error.smtp_code} {_text(error.smtp_error)}") from None
            except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError) as error:
                self.close()
                if attempt == 1:
                    raise MailError(f"cannot reach the SMTP server {self._mailer.address!r}: {error}") from None
            except smtplib.SMTPException as error:
                self.close()
                raise MailError(f"SMTP error: {error}") from None

    def close(self) -> None:
        if self._client is not None:
            try:
                self._client.quit()
            except (smtplib.SMTPException, OSError):
                self._client.close()
            self._client = None

    def _connect(self) -> smtplib.SMTP:
        self._client = self._mailer.connect()
        return self._client

    def _reset(self) -> None:
        # After a refusal the server is mid-transaction for nothing; RSET makes the connection reusable.
        try:
            if self._client is not None:
                self._client.rset()
        except (smtplib.SMTPException, OSError):
            self.close()

    @staticmethod
    def _refusals(refused: dict[str, tuple[int, bytes]]) -> None:
        # send_message returns the recipients refused when at least one was accepted.
        if refused:
            raise MailRefused(f"recipient refused: {_codes(refused)}")


class Mailer:
    """Where mail goes and who it is from. `send` for one message; `session()` for a batch."""

    def __init__(self, url: str, mail_from: str, timeout: float = 30.0) -> None:
        self.address = parse_smtp_url(url)
        _name, email = parseaddr(mail_from)
        if "@" not in email:
            raise ConfigError(f"PAPERRADAR_MAIL_FROM: {mail_from!r} is not an email address")
        self.mail_from = mail_from
        self.envelope_from = email
        self.timeout = timeout

    def connect(self) -> smtplib.SMTP:
        address = self.address
        try:
            client: smtplib.SMTP
            if address.scheme == "smtps":
                client = smtplib.SMTP_SSL(
                    address.host, address.port, timeout=self.timeout, context=ssl.create_default_context()
                )
            else:
                client = smtplib.SMTP(address.host, address.port, timeout=self.timeout)
                if address.scheme == "smtp+starttls":
                    client.starttls(context=ssl.create_default_context())
            if address.username:
                client.login(address.username, address.password or "")
        except smtplib.SMTPAuthenticationError as error:
            raise MailError(f"SMTP login refused by {address!r}: {error.smtp_code}") from None
        except (smtplib.SMTPException, OSError) as error:
            raise MailError(f"cannot reach the SMTP server {address!r}: {error}") from None
        return client

    @contextmanager
    def session(self) -> Iterator[MailSession]:
        session = MailSession(self)
        try:
            yield session
        finally:
            session.close()

    def send(self, message: EmailMessage) -> None:
        with self.session() as session:
            session.send(message)


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply


def _codes(refused: dict[str, tuple[int, bytes]]) -> str:
    return ", ".join(f"{address} ({code} {_text(reply)})" for address, (code, reply) in refused.items())
