"""The daily digest for 10,000 subscribers: `paperradar digest send`'s work (claim, render, SMTP,
record) beside the transport floor measured in the same run: the same number of one pre-rendered
message, already flattened to bytes, sent over one SMTP connection to the same local sink (aiosmtpd,
in its own process). A second baseline builds that message as an EmailMessage each time (headers,
bodies, flattening by the email package), the obvious way to write a sender.

    .venv/bin/python bench/digest.py [--subscribers 10000] [--database postgresql://...]
"""

from __future__ import annotations

import argparse
import email
import email.policy
import multiprocessing
import socket
import tempfile
import time
from datetime import UTC, date, datetime
from email.message import EmailMessage

from paperradar.ingest.importer import upsert
from paperradar.mail import Mailer
from paperradar.models import CitationCount, Paper
from paperradar.models.signal import Signal
from paperradar.service import Library
from paperradar.settings import load_settings

DAY = date(2026, 3, 6)


def _sink(port: int, ready, count) -> None:
    """A local SMTP server that accepts everything and counts it (the digest's far end)."""
    from aiosmtpd.controller import Controller

    class Counting:
        async def handle_DATA(self, server, session, envelope) -> str:
            with count.get_lock():
                count.value += 1
            return "250 OK"

    controller = Controller(Counting(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    while True:
        time.sleep(3600)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fill(library: Library, subscribers: int) -> None:
    store = library.store
    with store.transaction():
        for n in range(12):  # a day's listing: twelve papers, some upvoted, with long abstracts
            arxiv_id = f"2603.{n:05d}"
            upsert(store, Paper(title=f"A paper about topic {n} & <its> results", arxiv_id=arxiv_id,
                                listing_date=DAY, published=DAY, year=2026, categories=["cs.LG"],
                                authors=[f"Author {a}" for a in range(8)], abstract="We study things. " * 80,
                                citations=CitationCount(n, "openalex", DAY)))  # fmt: skip
            store.add_signal(arxiv_id, Signal("huggingface", "hf_upvotes", 10 * n, DAY))
        now = datetime.now(UTC)
        for n in range(subscribers):
            store.add_subscriber(f"reader{n}@example.org", now, confirmed=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--database", help="a database URL (default: a fresh SQLite file)")
    args = parser.parse_args()

    port, ready, count = _free_port(), multiprocessing.Event(), multiprocessing.Value("i", 0)
    sink = multiprocessing.Process(target=_sink, args=(port, ready, count), daemon=True)
    sink.start()
    ready.wait(30)
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(database_url=args.database or f"sqlite:///{folder}/digest.db", home=folder,
                                 smtp_url=f"smtp://127.0.0.1:{port}", public_url="https://papers.example.org",
                                 digest_size=10)  # fmt: skip
        library = Library.open(settings)
        _fill(library, args.subscribers)
        digests = library.digests

        # The floor: one pre-rendered digest, sent N times over one connection.
        subscriber = library.store.subscriber("reader0@example.org")
        assert subscriber is not None
        trending = digests.trending_section(DAY)
        shared = digests.renderer.shared(DAY, [trending])
        message = digests.renderer.message(shared, [], subscriber.email, "subject", "<m@x>",
                                           digests.unsubscribe_url(subscriber.email), datetime.now(UTC))  # fmt: skip
        mailer = Mailer(settings.smtp_url or "", settings.mail_from)

        def transport() -> float:
            started = time.perf_counter()
            client = mailer.connect()
            for _ in range(args.subscribers):
                client.sendmail(mailer.envelope_from, [subscriber.email], message.data)
            client.quit()
            return time.perf_counter() - started

        floors = [transport()]
        # The same digest built and flattened by the email package each time, as a naive sender would.
        parsed = email.message_from_bytes(message.data, policy=email.policy.default)
        sample = min(args.subscribers, 2_000)  # slow: a sample is enough for its rate
        started = time.perf_counter()
        with mailer.session() as session:
            for _ in range(sample):
                copy = EmailMessage()
                for name in ("From", "To", "Subject", "Date", "Message-ID", "List-Unsubscribe"):
                    copy[name] = parsed[name]
                copy.set_content(parsed.get_body(("plain",)).get_content())
                copy.add_alternative(parsed.get_body(("html",)).get_content(), subtype="html")
                session.send(copy)
        flattened = (time.perf_counter() - started) * args.subscribers / sample

        started = time.perf_counter()
        summary = digests.send(DAY)
        ours = time.perf_counter() - started
        floors.append(transport())  # before and after ours, so drift in the machine's load hits both
        library.close()
    sink.terminate()
    floor = sum(floors) / len(floors)
    expected = 3 * args.subscribers + sample
    assert summary.sent == args.subscribers and count.value == expected, (summary, count.value)

    n = args.subscribers
    size = len(message.data)
    print(f"Digest of {summary.papers} papers to {n:,} subscribers ({size / 1024:.0f} kB each), "
          f"{settings.database.split(':')[0]}, local aiosmtpd sink in its own process")  # fmt: skip
    print(f"{'transport floor (one message as bytes, one connection)':<56} {floor:7.2f} s {n / floor:8.0f} mails/s"
          f"  (runs: {', '.join(f'{f:.1f} s' for f in floors)})")  # fmt: skip
    print(f"{'an EmailMessage built each time (sampled)':<56} {flattened:7.2f} s {n / flattened:8.0f} mails/s")
    print(f"{'paperradar digest send':<56} {ours:7.2f} s {n / ours:8.0f} mails/s")
    for phase, seconds in summary.seconds.items():
        print(f"{'  ' + phase:<56} {seconds:7.2f} s {1000 * seconds / n:8.3f} ms/mail")
    print(f"{'ratio (floor / ours)':<56} {floor / ours:7.2f}x")
    print(f"{'ratio (EmailMessage each time / ours)':<56} {flattened / ours:7.2f}x")


if __name__ == "__main__":
    main()
