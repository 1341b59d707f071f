"""Votes and saves by this site's users lift a paper in the daily feed, with the reason, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime

import feed_corpus


def test_votes_and_saves_lift_a_paper_in_the_daily_feed(library):
    feed_corpus.load(library.store)
    before = library.daily("daily", "2024-05-01").page.hits
    quiet = next(h for h in before if h.paper.title.startswith("A quiet paper"))
    assert before[-1].paper.id == quiet.paper.id
    noon = int(datetime(2024, 5, 1, 12, tzinfo=UTC).timestamp())
    for n in range(6):  # enough to pass the paper with 12 Hugging Face upvotes
        user = library.store.create_user(f"voter{n}@example.org", "not-a-hash", False, True, noon)
        library.store.vote(user.id, quiet.paper.id, noon)
        library.store.save(user.id, quiet.paper.id, noon)
    after = library.daily("daily", "2024-05-01").page.hits
    lifted = next(h for h in after if h.paper.id == quiet.paper.id)
    assert "6 votes here today" in lifted.why and "6 saves here today" in lifted.why
    assert [h.paper.id for h in after].index(quiet.paper.id) < len(after) - 1
    assert lifted.score > quiet.score
