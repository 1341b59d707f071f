"""Three days of the daily loop at reduced size, on both backends, through every injected fault: the real
`paperradar worker --once` per simulated day against the replayed arXiv, Hugging Face and OpenAlex, and a
real SMTP server, for 20 subscribers (5 with accounts, saved searches and libraries).

Day 1: arXiv answers 503 + Retry-After, Hugging Face times out. Day 2: an arXiv page is cut half-way, and
the worker is SIGKILLed during the harvest (then started again). Day 3: the mail server defers one
message (451), and the worker is SIGKILLed while sending the digest (then started again).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from daily_loop import DailyLoop, start_sink
from daily_replay import Corpus, DailyServices
from support import shared_path

FIRST_DAY = date(2026, 6, 2)  # a Tuesday: days 1-3 are listing days
FAULTS = [["503", "timeout"], ["truncated", "kill-sync"], ["smtp-defer", "kill-digest"]]


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus.load(shared_path("data", "arxiv-daily-cs", "papers.jsonl.gz"), FIRST_DAY, days=3, per_day=120)


@pytest.fixture
def loop(corpus: Corpus, store_url: str, tmp_path: Path) -> Iterator[DailyLoop]:
    sink, controller, port = start_sink()
    with DailyServices(corpus, page_size=50, timeout_delay=3.0) as services:
        yield DailyLoop(store_url, tmp_path, corpus, services, sink, port, subscribers=20, personal=5)
    controller.stop()


def test_three_days_through_every_fault_lose_nothing_and_mail_each_subscriber_once_a_day(loop: DailyLoop) -> None:
    loop.prepare()
    reports = []
    for number, (day, faults) in enumerate(zip(loop.corpus.days, FAULTS, strict=True)):
        reports.append(loop.run_day(day, faults))
        if number == 0:
            loop.save_libraries()
    missing, twice = loop.digest_check(loop.corpus.days)
    assert (missing, twice) == ([], [])
    lost, duplicated = loop.papers_check()
    assert (sorted(lost), dict(duplicated)) == ([], {})
    assert not loop.services.faults.pending, "every fault was served"
    assert loop.killed == 2
    assert [r.exits[-1] for r in reports] == [0, 0, 0], [r.log[-3000:] for r in reports if r.exits[-1]]
    # Each day's digest tells of that day: the papers listed on it are in the week's trending.
    assert all(report.mails >= 20 for report in reports)
    personal = [m for recipients, m in loop.sink.messages if recipients == ["reader000@example.org"]]
    assert any("Recommended for you" in m.get_body(("plain",)).get_content() for m in personal[1:])
