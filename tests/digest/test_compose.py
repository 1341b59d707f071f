"""What goes into a digest and how addresses are taken in: personal sections beside trending (the seam
for accounts), address normalisation, and the worker's digest job."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from feed_corpus import load
from paperradar.digest import DigestSection, compose, normalise_email, subject
from paperradar.errors import InputError
from paperradar.ingest.importer import upsert
from paperradar.jobs.worker import jobs, run_job
from paperradar.mail import Mailer
from paperradar.models import Paper
from paperradar.models.signal import Signal
from paperradar.service import Library
from paperradar.settings import load_settings

DAY = date(2024, 5, 3)
NOW = datetime(2024, 5, 3, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [(" Ada@EXAMPLE.Org\t", "Ada@example.org"), ("b.c+digest@Sub.Example.ORG", "b.c+digest@sub.example.org"),
     ("ada@exämple.org", "ada@xn--exmple-cua.org")],
)  # fmt: skip
def test_addresses_are_trimmed_and_their_domain_put_in_one_form(typed, stored):
    assert normalise_email(typed) == stored


@pytest.mark.parametrize(
    ("typed", "problem"),
    [("", "needed"), ("no-at-sign", "not an email address"), ("a@b", "not an email address"),
     ("x\r\nBcc: y@example.org", "not an email address"), ("a" * 65 + "@example.org", "too long"),
     ("a@" + "b" * 250 + ".org", "at most 254")],
)  # fmt: skip
def test_what_is_not_a_mailbox_is_refused_naming_the_field(typed, problem):
    with pytest.raises(InputError, match=f"^email: .*{problem}"):
        normalise_email(typed)


@pytest.fixture
def personal(seeded, smtp_sink):
    """The seed corpus (for real search hits) with the feed corpus on top (for trending), mail to the sink."""
    load(seeded.store)
    settings = load_settings(database_url=seeded.settings.database, smtp_url=smtp_sink.url,
                             public_url="https://papers.example.org", secret_key="k" * 32)  # fmt: skip
    return Library(settings, seeded.store)


def test_a_personalised_digest_shows_trending_then_each_personal_section_without_repeats(personal, smtp_sink):
    digests = personal.digests
    subscriber, _ = personal.store.add_subscriber("me@example.org", NOW, user_id=7, confirmed=True)
    trending = digests.trending_section(DAY)
    assert digests.sections(subscriber, DAY) == [trending]  # no account of that address: no personal sections
    why = ("close to “The Lottery Ticket Hypothesis” in your library",)
    picks = [replace(hit, why=why) for hit in personal.search("lottery ticket pruning", limit=3).hits]
    matches = [*personal.search("denoising diffusion", limit=2).hits, trending.hits[1]]  # one already shown
    sections = compose(trending, [DigestSection("Recommended for you", picks, "recommended"),
                                  DigestSection("New for your search “diffusion”", matches, "alert")])  # fmt: skip
    assert [len(s.hits) for s in sections] == [6, 3, 2]

    shared = digests.renderer.shared(DAY, [trending])
    message = digests.renderer.message(shared, sections[1:], subscriber.email, subject(DAY, sections),
                                       digests.renderer.message_id(subscriber.id, DAY),
                                       digests.unsubscribe_url(subscriber.email), NOW)  # fmt: skip
    with Mailer(smtp_sink.url, "radar@example.org").session() as session:
        session.send_raw(message.to, message.data)

    [received] = smtp_sink.to("me@example.org")
    assert received["Subject"].endswith("Last month's retrieval paper and 10 more")
    for body in (received.get_body(("html",)).get_content(), received.get_body(("plain",)).get_content()):
        places = [body.index(title) for title in (trending.title, "Recommended for you", "New for your search")]
        assert places == sorted(places)
        assert picks[0].paper.title in body and matches[0].paper.title in body
        assert f"https://papers.example.org/papers/{picks[0].paper.id}" in body
        assert body.count(f"https://papers.example.org/papers/{trending.hits[1].paper.id}") == 1
    assert "close to “The Lottery Ticket Hypothesis” in your library" in received.get_body(("plain",)).get_content()


def test_the_worker_sends_the_digest_after_the_syncs_once_a_day(feed_db, tmp_path, smtp_sink):
    shutil.copy(feed_db, tmp_path / "w.db")
    settings = load_settings(database_url=f"sqlite:///{tmp_path / 'w.db'}", smtp_url=smtp_sink.url,
                             secret_key="k" * 32, contact_email="op@example.org")  # fmt: skip
    assert [job.name for job in jobs(settings)] == ["arxiv", "hf-daily", "citations", "digest"]
    assert "digest" not in [job.name for job in jobs(settings.model_copy(update={"smtp_url": None}))]
    library = Library.open(settings)
    today = datetime.now(UTC).date()
    with library.store.transaction():
        upsert(library.store, Paper(title="Listed this morning", arxiv_id="2612.00001", listing_date=today, year=2026))
        library.store.add_signal("2612.00001", Signal("huggingface", "hf_upvotes", 9, today))
    library.store.add_subscriber("ada@example.org", NOW, confirmed=True)
    [digest] = [job for job in jobs(settings) if job.name == "digest"]
    first, second = run_job(library, digest), run_job(library, digest)
    library.close()
    assert first and first.complete and first.to_dict()["sent"] == 1
    assert second and second.to_dict()["sent"] == 0
    [mail] = smtp_sink.to("ada@example.org")
    assert "Listed this morning" in mail.get_body(("plain",)).get_content()


def test_mail_headers_refuse_line_breaks_and_encode_what_is_not_ascii():
    import email
    import email.policy
    from email.utils import formataddr

    from paperradar.digest.mime import assemble, header

    with pytest.raises(ValueError, match="line break"):
        header("Subject", "hello\r\nBcc: evil@example.org")
    sender = formataddr(("Rädär", "r@example.org"), charset="utf-8")  # as DigestRenderer makes From
    data = assemble([("From", sender), ("Subject", "Über “quoted” papers " * 6)],
                    "plain ✓\nline with trailing space \n.dot line", "<p>html ✓</p>", "=_b")  # fmt: skip
    parsed = email.message_from_bytes(data, policy=email.policy.default)
    assert parsed["Subject"] == "Über “quoted” papers " * 6 and parsed["From"] == "Rädär <r@example.org>"
    plain, html = (parsed.get_body((kind,)).get_content().replace("\r\n", "\n") for kind in ("plain", "html"))
    assert plain == "plain ✓\nline with trailing space \n.dot line" and html == "<p>html ✓</p>"


def test_a_confirmation_that_could_not_be_sent_is_sent_when_asked_again(library, smtp_sink):
    from paperradar.mail import MailError

    down = Library(load_settings(database_url=library.settings.database, smtp_url="smtp://127.0.0.1:9",
                                 secret_key="k" * 32), library.store)  # fmt: skip
    with pytest.raises(MailError, match="cannot reach"):
        down.digests.subscribe("ada@example.org")
    up = Library(load_settings(database_url=library.settings.database, smtp_url=smtp_sink.url, secret_key="k" * 32),
                 library.store)  # fmt: skip
    assert up.digests.subscribe("ada@example.org").status == "pending"
    assert len(smtp_sink.to("ada@example.org")) == 1
