"""Helpers for the digest tests: the real CLI, subscribers in bulk, and SMTP sinks that misbehave on
cue (kill the sender, hold a message until another run sends)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from aiosmtpd.smtp import SMTP, Envelope, Session

from paperradar.store import open_store
from smtp_sink import SmtpSink

DAY = "2024-05-03"  # the feed corpus's newest day: six papers trend on it
PUBLIC_URL = "https://papers.example.org"
SECRET = "digest-tests-secret-key-0123456789"


def environment(database: str, smtp_url: str, home: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "PAPERRADAR_DATABASE_URL": database, "PAPERRADAR_SMTP_URL": smtp_url,
            "PAPERRADAR_PUBLIC_URL": PUBLIC_URL, "PAPERRADAR_SECRET_KEY": SECRET, "PAPERRADAR_HOME": str(home),
            "PAPERRADAR_MAIL_FROM": "Radar <radar@papers.example.org>", **extra}  # fmt: skip


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """The real command line, through its entry point."""
    return subprocess.run([sys.executable, "-m", "paperradar", *args], env=env, capture_output=True, text=True,
                          timeout=120)  # fmt: skip


def add_active(database: str, emails: list[str]) -> None:
    store = open_store(database)
    for email in emails:
        store.add_subscriber(email, datetime.now(UTC), confirmed=True)
    store.close()


@dataclass
class KillingSink(SmtpSink):
    """Kills the sending process (SIGKILL, no cleanup) on the `kill_at`-th message: before accepting it,
    or after keeping it (`after_accepting`), which is a crash between the server's 250 and 'sent'."""

    kill_pid: int | None = None
    kill_at: int = 0
    after_accepting: bool = False

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.kill_pid is not None and len(self.messages) + 1 == self.kill_at:
            if self.after_accepting:
                await super().handle_DATA(server, session, envelope)
            os.kill(self.kill_pid, signal.SIGKILL)
            self.kill_pid = None
            return "421 going away"
        return await super().handle_DATA(server, session, envelope)


@dataclass
class HoldingSink(SmtpSink):
    """Holds the first connection's first message until a message from another connection arrived, so
    two runs are certainly sending at the same time."""

    first_peer: object = None
    peers: list[object] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.first_peer is None:
            self.first_peer = session.peer
            for _ in range(600):  # up to a minute, for a slow machine; the other run frees it much sooner
                if any(peer != self.first_peer for peer in self.peers):
                    break
                await asyncio.sleep(0.1)
        self.peers.append(session.peer)
        return await super().handle_DATA(server, session, envelope)


@dataclass
class SlowSink(SmtpSink):
    """Takes `delay` seconds over each message of the first connection: a run slowed by its relay."""

    delay: float = 1.0
    first_peer: object = None

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.first_peer is None:
            self.first_peer = session.peer
        if session.peer == self.first_peer:
            await asyncio.sleep(self.delay)
        return await super().handle_DATA(server, session, envelope)
