"""A digest run slowed past the claim timeout beside a second run, on both backends, through the real CLI
and a real SMTP server: every subscriber still gets exactly one digest."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

from digest_support import DAY, SlowSink, add_active, environment
from feed_corpus import load
from paperradar.store import open_store

TIMEOUT = 30  # the smallest claim timeout the settings allow
SKEW = TIMEOUT - 3  # the second run's clock runs this far ahead: to it, a claim is stale 3 real seconds on


def _sender(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "paperradar", "digest", "send", "--date", DAY, "--json"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip


def test_a_run_slowed_past_the_claim_timeout_beside_a_second_run_sends_each_digest_once(
    store_url, slow_sink: SlowSink, tmp_path
):
    store = open_store(store_url)
    load(store)
    store.close()
    emails = [f"reader{n}@example.org" for n in range(14)]
    add_active(store_url, emails)
    env = environment(store_url, slow_sink.url, tmp_path, PAPERRADAR_DIGEST_CLAIM_TIMEOUT=str(TIMEOUT))
    slow = _sender(env)  # claims all 14 at once, then its relay takes a second over each mail
    while len(slow_sink.messages) < 5 and slow.poll() is None:  # 5 s on: its first claims are past 3 s old
        time.sleep(0.05)
    # The second run's clock is SKEW seconds ahead, so it sees the slow run's untouched claims as older than
    # the timeout, exactly as a run starting `TIMEOUT` seconds after them would (issue 15: 601 s later).
    ahead = (datetime.now(UTC) + timedelta(seconds=SKEW)).strftime("%Y-%m-%dT%H:%M:%SZ")
    second = _sender({**env, "PAPERRADAR_CLOCK_START": ahead})
    outputs = [process.communicate(timeout=120) for process in (slow, second)]
    assert all(out for out, _ in outputs), outputs
    summaries = [json.loads(out) for out, _ in outputs]

    assert [s["error"] for s in summaries] == [None, None]
    assert all(s["sent"] > 0 for s in summaries), summaries  # the second run really took over the stale claims
    received = Counter(recipient for recipients, _ in slow_sink.messages for recipient in recipients)
    assert received == dict.fromkeys(emails, 1)
    store = open_store(store_url)
    deliveries = store.deliveries(datetime.fromisoformat(DAY).date())
    store.close()
    assert [d.status for d in deliveries] == ["sent"] * 14
