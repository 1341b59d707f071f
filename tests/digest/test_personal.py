"""Personal sections of the digest: a subscriber whose verified account has a library and saved searches
gets recommendations among the new papers and their alerts, below trending; nobody else gets them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from feed_corpus import load
from paperradar.service import Library
from paperradar.settings import load_settings

DAY = date(2024, 5, 3)
NOW = datetime(2024, 5, 3, 8, 0, tzinfo=UTC)


@pytest.fixture
def digest_library(seeded, smtp_sink):
    """The seed corpus plus the feed corpus (listed papers with signals), all embedded; mail to the sink.
    A week's window and one trending paper leave room for personal sections below it."""
    load(seeded.store)
    settings = load_settings(database_url=seeded.settings.database, smtp_url=smtp_sink.url, digest_window="week",
                             digest_size=1, public_url="https://papers.example.org", secret_key="k" * 32)  # fmt: skip
    library = Library(settings, seeded.store)
    library.embed_pending()
    return library


def _bodies(mail) -> tuple[str, str]:
    return mail.get_body(("html",)).get_content(), mail.get_body(("plain",)).get_content()


def test_a_verified_account_gets_its_recommendations_and_alerts_below_trending(digest_library, smtp_sink):
    library = digest_library
    me = library.store.create_user("me@example.org", "unused", False, True, 0)
    library.shelf.save(me, "2405.00001")  # Sparse attention for long documents
    library.shelf.dismiss(me, "2405.00004")  # not interested: never recommended...
    library.saved_searches.save(me, "agents bug reports", mode="lexical", name="agents")  # ...but my alert finds it
    library.digests.add_subscriber("Me@Example.org", confirmed=True)  # the account matches whatever the case

    summary = library.digests.send(DAY)
    assert summary.sent == 1
    [mail] = smtp_sink.to("Me@example.org")
    for body in _bodies(mail):
        places = [body.index(h) for h in ("Trending", "Recommended for you", "New for your search “agents”")]
        assert places == sorted(places)
        assert "Agents that file their own bug reports" in body
        assert "Sparse attention for long documents" in body  # named as the reason, never recommended itself
    plain = _bodies(mail)[1]
    recommended = plain[plain.index("Recommended for you") : plain.index("New for your search")]
    assert "Sparse attention" in recommended and "Agents that file" not in recommended
    assert "Last month's retrieval paper" not in recommended  # listed before the digest's week: no news


def test_no_personal_sections_without_a_verified_account_of_that_address(digest_library, smtp_sink):
    library = digest_library
    owner = library.store.create_user("owner@example.org", "unused", False, True, 0)
    library.shelf.save(owner, "2405.00001")
    library.saved_searches.save(owner, "agents bug reports", mode="lexical", name="owner's private alert")
    unverified = library.store.create_user("unverified@example.org", "unused", False, False, 0)
    library.shelf.save(unverified, "2405.00001")
    # Someone signed in as the owner subscribes another address: the owner's library must not reach it.
    library.store.add_subscriber("stranger@example.org", NOW, user_id=owner.id, confirmed=True)
    library.store.add_subscriber("unverified@example.org", NOW, confirmed=True)

    assert library.digests.send(DAY).sent == 2
    for address in ("stranger@example.org", "unverified@example.org"):
        [mail] = smtp_sink.to(address)
        for body in _bodies(mail):
            assert "Trending" in body
            assert "Recommended for you" not in body and "owner's private alert" not in body
