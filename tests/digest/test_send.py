"""`paperradar digest send` through the real CLI to a real SMTP server: what a subscriber receives,
and that every subscriber gets exactly one digest a day through refusals, kills and concurrent runs."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from datetime import date

from digest_support import DAY, PUBLIC_URL, add_active, cli, environment
from paperradar.ingest.importer import upsert
from paperradar.models import Paper
from paperradar.models.signal import Signal
from paperradar.store import open_store
from smtp_sink import SmtpSink


def _summary(result: subprocess.CompletedProcess[str]) -> dict:
    assert result.stdout, result.stderr
    return json.loads(result.stdout)


def _counts(sink: SmtpSink) -> Counter[str]:
    return Counter(recipient for recipients, _ in sink.messages for recipient in recipients)


def test_a_subscriber_gets_one_multipart_digest_with_absolute_links_and_unsubscribe_headers(
    database, smtp_sink, tmp_path
):
    env = environment(database, smtp_sink.url, tmp_path)
    added = cli(env, "subscribers", "add", " Ada@EXAMPLE.org ", "--confirmed", "--json")
    assert json.loads(added.stdout)["email"] == "Ada@example.org", added.stderr
    summary = _summary(cli(env, "digest", "send", "--date", DAY, "--json"))
    assert (summary["due"], summary["sent"], summary["refused"], summary["papers"]) == (1, 1, 0, 6)

    [message] = smtp_sink.to("Ada@example.org")
    assert message["From"] == "Radar <radar@papers.example.org>"
    assert message["Subject"] == "paperradar, 3 May 2024: Last month's retrieval paper and 5 more"
    assert message["Message-ID"].startswith("<digest.20240503.") and message["Date"]
    assert message.get_content_type() == "multipart/alternative"
    unsubscribe = message["List-Unsubscribe"]
    assert unsubscribe.startswith(f"<{PUBLIC_URL}/unsubscribe?token=") and unsubscribe.endswith(">")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    for body in (html, text):
        assert "Agents that file their own bug reports" in body and "Trending today (to 2024-05-03)" in body
        assert f"{PUBLIC_URL}/papers/2405.00004" in body and "+40 citations in 30 days (openalex)" in body
        assert unsubscribe[1:-1] in body  # the visible one-click link is the header's
    assert 'style="' in html and "<details" not in html  # styled inline; nothing mail clients drop
    # The hostile title of the feed corpus: escaped in HTML, plain characters in text.
    assert "<script>" not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert 'Hostile <script>alert("x")</script> & ]]> "quoted" title' in text

    again = _summary(cli(env, "digest", "send", "--date", DAY, "--json"))
    assert (again["due"], again["sent"]) == (0, 0) and len(smtp_sink.messages) == 1


def test_hostile_titles_and_authors_cannot_add_headers_or_recipients(database, smtp_sink, tmp_path):
    store = open_store(database)
    with store.transaction():
        upsert(store, Paper(title="Top paper\r\nBcc: evil@attacker.example\r\nX-Evil: 1", arxiv_id="2405.00099",
                            authors=["Mallory\r\nBcc: evil@attacker.example"], listing_date=date(2024, 5, 3),
                            year=2024, abstract="</p><script>steal()</script>\r\nTo: evil@x.example"))  # fmt: skip
        store.add_signal("2405.00099", Signal("huggingface", "hf_upvotes", 500, date(2024, 5, 3)))
    store.close()
    add_active(database, ["ada@example.org"])
    summary = _summary(cli(environment(database, smtp_sink.url, tmp_path), "digest", "send", "--date", DAY, "--json"))
    assert summary["sent"] == 1

    [(recipients, message)] = smtp_sink.messages
    assert recipients == ["ada@example.org"] and smtp_sink.to("evil@attacker.example") == []
    assert message["Bcc"] is None and message["X-Evil"] is None
    assert message["Subject"] == "paperradar, 3 May 2024: Top paper Bcc: evil@attacker.example X-Evil: 1 and 6 more"
    html = message.get_body(("html",)).get_content()
    assert "<script>steal()" not in html and "&lt;script&gt;steal()" in html
    text = message.get_body(("plain",)).get_content()
    assert "\nBcc:" not in text and "1. Top paper Bcc: evil@attacker.example X-Evil: 1" in text


def test_a_refused_recipient_is_recorded_and_the_others_still_get_theirs(database, smtp_sink, tmp_path):
    add_active(database, ["first@example.org", "nobody@refused.example", "last@example.org"])
    env = environment(database, smtp_sink.url, tmp_path)
    summary = _summary(cli(env, "digest", "send", "--date", DAY, "--json"))
    assert (summary["sent"], summary["refused"], summary["error"]) == (2, 1, None)
    assert _counts(smtp_sink) == {"first@example.org": 1, "last@example.org": 1}
    store = open_store(database)
    statuses = {d.status: d.error for d in store.deliveries(date(2024, 5, 3))}
    store.close()
    assert set(statuses) == {"sent", "refused"} and "550" in statuses["refused"]
    assert _summary(cli(env, "digest", "send", "--date", DAY, "--json"))["due"] == 0  # a refusal is final


def test_a_dry_run_renders_and_counts_but_sends_and_records_nothing(database, smtp_sink, tmp_path):
    add_active(database, ["a@example.org", "b@example.org"])
    env = environment(database, smtp_sink.url, tmp_path)
    summary = _summary(cli(env, "digest", "send", "--date", DAY, "--dry-run", "--json"))
    assert (summary["dry_run"], summary["due"], summary["sent"]) == (True, 2, 0) and smtp_sink.messages == []
    assert _summary(cli(env, "digest", "send", "--date", DAY, "--json"))["sent"] == 2


def test_a_server_that_cannot_be_reached_stops_the_run_and_leaves_everyone_due(database, smtp_sink, tmp_path):
    add_active(database, ["a@example.org", "b@example.org"])
    failed = cli(environment(database, "smtp://127.0.0.1:9", tmp_path), "digest", "send", "--date", DAY, "--json")
    assert failed.returncode == 1 and "cannot reach the SMTP server" in failed.stderr
    assert _summary(failed)["sent"] == 0 and _summary(failed)["failed"] == 2
    summary = _summary(cli(environment(database, smtp_sink.url, tmp_path), "digest", "send", "--date", DAY, "--json"))
    assert summary["sent"] == 2 and _counts(smtp_sink) == {"a@example.org": 1, "b@example.org": 1}


def test_a_day_with_nothing_trending_sends_nothing_and_says_so(database, smtp_sink, tmp_path):
    add_active(database, ["a@example.org"])
    quiet = cli(environment(database, smtp_sink.url, tmp_path), "digest", "send", "--date", "2020-01-01")
    assert quiet.returncode == 0 and "nothing is trending" in quiet.stderr and smtp_sink.messages == []


def _sender(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "paperradar", "digest", "send", "--date", DAY, "--json"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip


def test_a_run_killed_mid_send_is_finished_by_the_next_with_one_digest_each(database, killing_sink, tmp_path):
    emails = [f"reader{n}@example.org" for n in range(12)]
    add_active(database, emails)
    env = environment(database, killing_sink.url, tmp_path, PAPERRADAR_DIGEST_BATCH="5")
    killing_sink.kill_at = 8  # in the second batch: one batch finished, one half sent, one not claimed
    process = _sender(env)
    killing_sink.kill_pid = process.pid
    process.communicate(timeout=120)
    assert process.returncode == -9 and len(killing_sink.messages) == 7  # really killed after 7 sends

    rerun = _summary(cli(env, "digest", "send", "--date", DAY, "--json"))
    assert (rerun["sent"], rerun["reclaimed"]) == (5, 3)  # the dead run's claims were picked up at once
    assert _counts(killing_sink) == dict.fromkeys(emails, 1)


def test_a_kill_after_the_server_accepted_sends_that_one_digest_again_with_the_same_message_id(
    database, killing_sink, tmp_path
):
    """The documented window (docs/digest.md): at-least-once, never a skipped subscriber."""
    emails = [f"reader{n}@example.org" for n in range(4)]
    add_active(database, emails)
    env = environment(database, killing_sink.url, tmp_path)
    killing_sink.kill_at, killing_sink.after_accepting = 2, True
    process = _sender(env)
    killing_sink.kill_pid = process.pid
    process.communicate(timeout=120)
    assert process.returncode == -9

    assert _summary(cli(env, "digest", "send", "--date", DAY, "--json"))["sent"] == 3
    counts = _counts(killing_sink)
    assert sorted(counts.values()) == [1, 1, 1, 2]
    [twice] = [address for address, n in counts.items() if n == 2]
    assert len({m["Message-ID"] for m in killing_sink.to(twice)}) == 1


def test_two_runs_at_once_send_nothing_twice(database, holding_sink, tmp_path):
    emails = [f"reader{n}@example.org" for n in range(30)]
    add_active(database, emails)
    env = environment(database, holding_sink.url, tmp_path, PAPERRADAR_DIGEST_BATCH="4")
    first, second = _sender(env), _sender(env)
    summaries = [json.loads(p.communicate(timeout=120)[0]) for p in (first, second)]
    assert [s["error"] for s in summaries] == [None, None]
    assert all(s["sent"] > 0 for s in summaries) and sum(s["sent"] for s in summaries) == 30  # both really sent
    assert _counts(holding_sink) == dict.fromkeys(emails, 1)


def test_both_backends_send_each_subscriber_one_digest_and_a_rerun_nothing(library, smtp_sink):
    from feed_corpus import load
    from paperradar.service import Library
    from paperradar.settings import load_settings

    load(library.store)
    settings = load_settings(database_url=library.settings.database, smtp_url=smtp_sink.url, secret_key="k" * 32,
                             digest_batch=2)  # fmt: skip
    mailing = Library(settings, library.store)
    for email in ("a@example.org", "b@example.org", "nobody@refused.example"):
        mailing.digests.add_subscriber(email, confirmed=True)
    first = mailing.digests.send(date(2024, 5, 3))
    assert (first.due, first.sent, first.refused, first.error) == (3, 2, 1, None)
    assert mailing.digests.send(date(2024, 5, 3)).due == 0
    assert _counts(smtp_sink) == {"a@example.org": 1, "b@example.org": 1}
