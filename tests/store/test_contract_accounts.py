"""The accounts contract: users, libraries, votes and saved searches behave alike on both backends."""

from __future__ import annotations

import numpy as np

from paperradar.ingest.importer import upsert
from paperradar.models import Paper


def _papers(store, n=3):
    with store.transaction():
        return [
            upsert(store, Paper(title=f"Paper number {i}", arxiv_id=f"2401.0000{i}", year=2024))[0] for i in range(n)
        ]


def test_users_are_unique_by_email_and_never_carry_their_hash(empty_store):
    alice = empty_store.create_user("Alice@Example.org", "hash-a", False, False, 100)
    assert alice is not None and alice.email == "alice@example.org"
    assert empty_store.create_user("ALICE@example.org", "other", True, True, 101) is None
    assert "hash" not in str(alice.to_dict()) and not any("hash-a" in str(v) for v in vars_of(alice))
    assert empty_store.user_by_email("alice@EXAMPLE.org") == alice
    assert empty_store.password_hash(alice.id) == "hash-a"
    empty_store.set_password_hash(alice.id, "hash-b", end_sessions=False)
    assert empty_store.user(alice.id).session_version == 1
    empty_store.set_password_hash(alice.id, "hash-c", end_sessions=True)
    assert empty_store.user(alice.id).session_version == 2 and empty_store.password_hash(alice.id) == "hash-c"
    empty_store.end_sessions(alice.id)
    empty_store.revoke_feed(alice.id)
    empty_store.update_user(alice.id, verified=True, is_admin=True)
    again = empty_store.user(alice.id)
    assert (again.session_version, again.feed_version, again.verified, again.is_admin) == (3, 2, True, True)
    assert [u.email for u in empty_store.users()] == ["alice@example.org"]
    assert empty_store.user(999) is None and empty_store.user_by_email("bob@example.org") is None


def vars_of(user):
    return [getattr(user, name) for name in user.__slots__]


def test_rate_limit_counts_hits_in_a_moving_window_per_key(empty_store):
    assert [empty_store.take_hit("ip:1", 2, 60, 1000.0 + n) for n in range(3)] == [True, True, False]
    assert empty_store.take_hit("ip:2", 2, 60, 1002.0)  # another key counts apart
    assert not empty_store.take_hit("ip:1", 2, 60, 1059.5)  # both hits are still inside the last minute
    assert empty_store.take_hit("ip:1", 2, 60, 1060.5)  # the first one has left the window, not the second
    assert not empty_store.take_hit("ip:1", 2, 60, 1060.6)


def test_a_library_belongs_to_its_user(empty_store):
    a, b, c = _papers(empty_store)
    alice = empty_store.create_user("a@x.org", "h", False, True, 1)
    bob = empty_store.create_user("b@x.org", "h", False, True, 1)
    assert empty_store.save(alice.id, a.id, 10) and empty_store.save(alice.id, b.id, 20)
    assert not empty_store.save(alice.id, a.id, 30)  # saved already
    assert not empty_store.save(alice.id, "no-such-paper", 30)
    assert empty_store.update_entry(alice.id, a.id, note="<b>mine</b>", is_read=True, tags=["rl", "llm", "rl"])
    assert not empty_store.update_entry(bob.id, a.id, note="bob's")  # not in bob's library
    shelf = empty_store.shelf(alice.id)
    assert [e.paper_id for e in shelf] == [b.id, a.id]
    assert (shelf[1].note, shelf[1].is_read, shelf[1].tags) == ("<b>mine</b>", True, ("llm", "rl"))
    assert [e.paper_id for e in empty_store.shelf(alice.id, tag="rl")] == [a.id]
    assert [e.paper_id for e in empty_store.shelf(alice.id, paper_ids=[a.id, c.id])] == [a.id]
    assert empty_store.tags(alice.id) == [("llm", 1), ("rl", 1)]
    assert empty_store.shelf(bob.id) == [] and empty_store.tags(bob.id) == []
    assert empty_store.unsave(alice.id, a.id) and not empty_store.unsave(alice.id, a.id)
    assert empty_store.tags(alice.id) == []  # tags go with the save


def test_votes_dismissals_and_engagement(empty_store):
    a, b, _ = _papers(empty_store)
    alice = empty_store.create_user("a@x.org", "h", False, True, 1)
    bob = empty_store.create_user("b@x.org", "h", False, True, 1)
    assert empty_store.vote(alice.id, a.id, 100) and not empty_store.vote(alice.id, a.id, 101)
    assert empty_store.vote(bob.id, a.id, 200)
    empty_store.save(bob.id, a.id, 150)
    assert empty_store.voted(alice.id, [a.id, b.id]) == {a.id}
    engagement = empty_store.engagement_of([a.id, b.id], until=180)
    assert sorted(engagement[a.id]) == [("save", 150), ("vote", 100)] and b.id not in engagement
    assert empty_store.unvote(alice.id, a.id) and empty_store.voted(alice.id, [a.id]) == set()
    assert empty_store.dismiss(alice.id, b.id, 5) and not empty_store.dismiss(alice.id, b.id, 6)
    assert empty_store.dismissed(alice.id) == [b.id] and empty_store.dismissed(bob.id) == []


def test_user_models_and_saved_searches(empty_store):
    alice = empty_store.create_user("a@x.org", "h", False, True, 1)
    bob = empty_store.create_user("b@x.org", "h", False, True, 1)
    vector = np.arange(4, dtype=np.float32) / 4
    empty_store.put_user_model(alice.id, "", "hashing", vector, 10)
    empty_store.put_user_model(alice.id, "", "hashing", vector * 2, 11)
    assert np.allclose(empty_store.user_model(alice.id, "", "hashing"), vector * 2)
    assert empty_store.user_model(bob.id, "", "hashing") is None
    empty_store.put_user_model(alice.id, "", "hashing", None, 12)
    assert empty_store.user_model(alice.id, "", "hashing") is None
    saved = empty_store.add_saved_search(alice.id, "LoRA", "lora", "hybrid", {"year_from": 2023}, 50)
    assert saved.filters == {"year_from": 2023} and saved.last_seen is None
    assert [s.name for s in empty_store.saved_searches(alice.id)] == ["LoRA"]
    assert empty_store.saved_searches(bob.id) == []
    assert not empty_store.mark_seen(bob.id, saved.id, 60) and not empty_store.delete_saved_search(bob.id, saved.id)
    assert empty_store.mark_seen(alice.id, saved.id, 60)
    assert empty_store.saved_searches(alice.id)[0].last_seen == 60
    assert empty_store.delete_saved_search(alice.id, saved.id) and empty_store.saved_searches(alice.id) == []
