"""The daily loop replayed: the real `paperradar worker --once` run once per simulated day against the
replayed services (daily_replay.py) and a real SMTP server, with faults on chosen days, then checked.

    loop = DailyLoop(database_url, home, corpus, services, sink, subscribers=100, personal=10)
    loop.prepare()                               # subscribers, and verified accounts with saved searches
    for number, day in enumerate(corpus.days):
        report = loop.run_day(day, faults=["503", "kill-digest"])    # a DayReport: times, counts, exit codes
    loop.papers_check()                          # (lost, duplicated) arXiv ids against the corpus
    loop.digest_check()                          # (missing, twice) (subscriber, day) pairs

Fault names: "503", "timeout" (HF answers after the client's timeout), "truncated" (an OAI page cut half-way),
"smtp-defer" (451 for one message), "kill-sync" (SIGKILL while arXiv is harvested), "kill-digest" (SIGKILL
while the digest is sent, before the server accepts a mail). "truncated" and "kill-sync" hit the day's
second OAI request; "truncated:1" the first (a day with fewer papers than a page has only one).
A killed worker is started again, as a supervisor would; nothing else is retried by the harness (the
worker retries its own stopped jobs).
"""

from __future__ import annotations

import email
import email.policy
import os
import re
import signal
import subprocess
import sys
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from daily_replay import Corpus, DailyServices, Fault
from paperradar.service import Library
from paperradar.settings import load_settings

SECRET = "daily-loop-secret-key-0123456789"
_JOB_DONE = re.compile(r"paperradar\.worker \w+ (\S+) (?:done|stopped) in ([\d.]+)s")
_EMBEDDED = re.compile(r"embedded (\d+) new or changed papers in ([\d.]+)s")
_MESSAGE_DAY = re.compile(r"<digest\.(\d{8})\.")


@dataclass
class Sink:
    """aiosmtpd handler keeping every accepted message; can defer one message (451) or call `on_kill`
    on the nth message of a run before accepting it."""

    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    defer_at: int | None = None
    kill_at: int | None = None
    on_kill: object = None
    counted: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        with self.lock:
            self.counted += 1
            number = self.counted
        if self.defer_at is not None and number >= self.defer_at:
            self.defer_at = None
            return "451 4.3.0 Temporary failure, try again later"
        if self.kill_at is not None and number >= self.kill_at and callable(self.on_kill):
            self.kill_at = None
            self.on_kill()
            return "421 4.3.2 going away"
        message = email.message_from_bytes(envelope.original_content or b"", policy=email.policy.default)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return "250 OK"


@dataclass
class DayReport:
    day: date
    synced: int = 0  # arXiv papers in the store after the day
    sync_seconds: float = 0.0
    embed_seconds: float = 0.0
    digest_seconds: float = 0.0
    job_seconds: Counter[str] = field(default_factory=Counter)  # each job's time, embedding included
    mails: int = 0
    exits: list[int] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)
    log: str = ""


class DailyLoop:
    def __init__(
        self, database_url: str, home: Path, corpus: Corpus, services: DailyServices, sink: Sink, smtp_port: int,
        subscribers: int = 100, personal: int = 10, embedder: str = "hashing",
    ) -> None:  # fmt: skip
        self.database_url, self.home, self.corpus, self.services, self.sink = database_url, home, corpus, services, sink
        self.smtp_port, self.subscribers, self.personal, self.embedder = smtp_port, subscribers, personal, embedder
        self.addresses = [f"reader{n:03d}@example.org" for n in range(subscribers)]
        self._worker: subprocess.Popen[str] | None = None
        self.killed = 0
        services.on_kill = self.kill
        sink.on_kill = self.kill

    def environment(self, day: date) -> dict[str, str]:
        base = self.services.base
        return {**os.environ, "PAPERRADAR_DATABASE_URL": self.database_url, "PAPERRADAR_HOME": str(self.home),
                "PAPERRADAR_CONTACT_EMAIL": "operator@example.org", "PAPERRADAR_ARXIV_OAI_URL": f"{base}/oai",
                "PAPERRADAR_HF_URL": base, "PAPERRADAR_OPENALEX_URL": base, "PAPERRADAR_S2_URL": base,
                "PAPERRADAR_OPENALEX_API_KEY": "replay-key", "PAPERRADAR_HTTP_MIN_INTERVAL": "0",
                "PAPERRADAR_HTTP_TIMEOUT": "2", "PAPERRADAR_HTTP_MAX_RETRIES": "3",
                "PAPERRADAR_CITATIONS_STALE_AFTER": "0", "PAPERRADAR_WORKER_RETRY_PAUSE": "1",
                "PAPERRADAR_SMTP_URL": f"smtp://127.0.0.1:{self.smtp_port}", "PAPERRADAR_SECRET_KEY": SECRET,
                "PAPERRADAR_PUBLIC_URL": "https://papers.example.org", "PAPERRADAR_EMBEDDER": self.embedder,
                "PAPERRADAR_MAIL_FROM": "Radar <radar@papers.example.org>",
                "PAPERRADAR_CLOCK_START": f"{day.isoformat()}T06:00:00Z"}  # fmt: skip

    def library(self) -> Library:
        return Library.open(load_settings(database_url=self.database_url, home=str(self.home)))

    def prepare(self) -> None:
        """Active subscribers; the first `personal` of them have verified accounts with a saved search."""
        library = self.library()
        now = datetime.now(UTC)
        queries = ["diffusion", "language model", "segmentation", "reinforcement learning", "retrieval"]
        for number, address in enumerate(self.addresses):
            library.store.add_subscriber(address, now, confirmed=True)
            if number < self.personal:
                user, _ = library.accounts.add(address, "a long enough password", False)
                library.saved_searches.save(user, queries[number % len(queries)], mode="lexical")
        library.close()

    def save_libraries(self) -> None:
        """The personal readers save a few of the papers there are (for 'Recommended for you')."""
        library = self.library()
        ids = [p.arxiv_id for p in library.store.iter_papers() if p.arxiv_id][:50]
        for number, address in enumerate(self.addresses[: self.personal]):
            user = library.store.user_by_email(address)
            for arxiv_id in ids[number * 3 : number * 3 + 3]:
                library.shelf.save(user, arxiv_id)
        library.close()

    def kill(self) -> None:
        if self._worker is not None and self._worker.poll() is None:
            os.kill(self._worker.pid, signal.SIGKILL)
            self.killed += 1

    def run_day(self, day: date, faults: list[str] = ()) -> DayReport:  # type: ignore[assignment]
        self.services.today = day
        report = DayReport(day, faults=list(faults))
        for spec in faults:
            fault, _, nth = spec.partition(":")  # "truncated:1": on the day's first page, not its second
            page = int(nth or 2)
            if fault == "503":
                self.services.faults.add(Fault("oai", "503"))
            elif fault == "timeout":
                self.services.faults.add(Fault("hf", "timeout"))
            elif fault == "truncated":
                self.services.faults.add(Fault("oai", "truncated", nth=page))
            elif fault == "kill-sync":
                self.services.faults.add(Fault("oai", "kill", nth=page))
            elif fault == "smtp-defer":
                self.sink.defer_at = self.sink.counted + 7
            elif fault == "kill-digest":
                self.sink.kill_at = self.sink.counted + 13
            else:
                raise ValueError(f"unknown fault {fault!r}")
        sent_before = len(self.sink.messages)
        for _ in range(3):  # a killed worker is started again, as a supervisor would
            env = self.environment(day)
            self._worker = subprocess.Popen([sys.executable, "-m", "paperradar", "worker", "--once"], env=env,
                                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
            _, err = self._worker.communicate(timeout=3600)
            report.exits.append(self._worker.returncode)
            report.log += err
            self._account(report, err)
            if self._worker.returncode != -signal.SIGKILL:
                break
        report.mails = len(self.sink.messages) - sent_before
        library = self.library()
        report.synced = sum(1 for p in library.store.iter_papers() if p.arxiv_id)
        library.close()
        return report

    @staticmethod
    def _account(report: DayReport, log: str) -> None:
        embed = sum(float(seconds) for _, seconds in _EMBEDDED.findall(log))
        report.embed_seconds += embed
        for job, seconds in _JOB_DONE.findall(log):
            report.job_seconds[job] += float(seconds)
            if job == "digest":
                report.digest_seconds += float(seconds)
            else:
                report.sync_seconds += float(seconds)
        report.sync_seconds -= embed  # the sync jobs' times include the embedding after them

    # -- the checks -----------------------------------------------------------------------------------
    def papers_check(self) -> tuple[set[str], Counter[str]]:
        """(arXiv ids of the corpus missing from the store, ids stored more than once)."""
        library = self.library()
        stored = Counter(p.arxiv_id or f"(no arXiv id) {p.id}" for p in library.store.iter_papers())
        library.close()
        wanted = {p.id for p in self.corpus.papers}
        return wanted - set(stored), Counter({k: n for k, n in stored.items() if n > 1 or k not in wanted})

    def digests_by_day(self) -> Counter[tuple[str, str]]:
        """(recipient, YYYYMMDD of the digest) -> messages received."""
        got: Counter[tuple[str, str]] = Counter()
        for recipients, message in self.sink.messages:
            found = _MESSAGE_DAY.search(str(message.get("Message-ID", "")))
            for recipient in recipients:
                got[(recipient, found.group(1) if found else "?")] += 1
        return got

    def digest_check(self, days: list[date]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """(subscriber, day) pairs with no digest, and pairs with more than one."""
        got = self.digests_by_day()
        wanted = [(a, d.strftime("%Y%m%d")) for d in days for a in self.addresses]
        return [w for w in wanted if got[w] == 0], [k for k, n in got.items() if n > 1 or k not in set(wanted)]


def start_sink() -> tuple[Sink, Controller, int]:
    from servers import free_port

    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    return sink, controller, port
