"""A real SMTP server for the tests (aiosmtpd on a free local port) that keeps what it receives.

Recipients at `refused.example` get a permanent 550, as a mailbox that does not exist would."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from servers import free_port

REFUSED_DOMAIN = "refused.example"


@dataclass
class SmtpSink:
    """What the server accepted, in order, with the envelope recipients of each message."""

    host: str = "127.0.0.1"
    port: int = 0
    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # While `held` is set, messages wait in DATA until `release` is set: a relay that is slow to answer.
    held: bool = False
    release: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    def to(self, address: str) -> list[EmailMessage]:
        """Messages delivered to one recipient."""
        with self.lock:
            return [message for recipients, message in self.messages if address in recipients]

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if address.lower().endswith("@" + REFUSED_DOMAIN):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def wait_for(self, address: str, count: int = 1) -> list[EmailMessage]:
        """Messages to one recipient once `count` have come (mail sent off the request path arrives a
        moment after the answer), or what came within 10 seconds."""
        for _ in range(100):
            if len(found := self.to(address)) >= count:
                return found
            threading.Event().wait(0.1)
        return self.to(address)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.held:
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 30)
        content = envelope.original_content or b""
        message = email.message_from_bytes(content, policy=email.policy.default)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink(port=free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()
