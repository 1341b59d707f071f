"""The digest's part of the store contract, on both backends: subscribers, and delivery claims that
let two runs (or a run after a crash) send each subscriber one digest a day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

DAY = date(2024, 5, 3)
T0 = datetime(2024, 5, 3, 8, 0, tzinfo=UTC)


def _active(store, *emails):
    return [store.add_subscriber(e, T0, confirmed=True)[0].id for e in emails]


def test_an_address_subscribes_once_whatever_its_case(empty_store):
    made, new = empty_store.add_subscriber("Ada@example.org", T0)
    assert new and made.status == "pending" and made.confirmed_at is None
    again, new_again = empty_store.add_subscriber("ADA@example.org", T0 + timedelta(hours=1))
    assert not new_again and again == made
    assert empty_store.subscriber("ada@EXAMPLE.org") == made
    assert [s.email for s in empty_store.subscribers()] == ["Ada@example.org"]


def test_confirming_activates_and_unsubscribing_stops_until_a_new_subscription(empty_store):
    empty_store.add_subscriber("ada@example.org", T0)
    assert empty_store.confirm_subscriber("nobody@example.org", T0) is None
    active = empty_store.confirm_subscriber("ada@example.org", T0 + timedelta(minutes=5))
    assert active and active.status == "active" and active.confirmed_at == T0 + timedelta(minutes=5)
    assert empty_store.confirm_subscriber("ada@example.org", T0 + timedelta(days=1)) == active  # twice: no change
    assert empty_store.unsubscribe("ada@example.org", T0) and not empty_store.unsubscribe("ada@example.org", T0)
    assert empty_store.confirm_subscriber("ada@example.org", T0) is None  # an old link does not revive it
    revived, changed = empty_store.add_subscriber("ada@example.org", T0)
    assert changed and revived.status == "pending" and revived.id == active.id


def test_a_pending_address_gets_at_most_one_confirmation_an_hour(empty_store):
    empty_store.add_subscriber("ada@example.org", T0)
    hour = timedelta(hours=1)
    assert empty_store.note_confirmation("ADA@example.org", T0, T0 - hour)
    assert not empty_store.note_confirmation("ada@example.org", T0 + timedelta(minutes=30), T0 - timedelta(minutes=30))
    assert empty_store.note_confirmation("ada@example.org", T0 + 2 * hour, T0 + hour)
    empty_store.confirm_subscriber("ada@example.org", T0)
    assert not empty_store.note_confirmation("ada@example.org", T0 + 9 * hour, T0 + 8 * hour)  # active: none
    assert not empty_store.note_confirmation("nobody@example.org", T0, T0)
    empty_store.add_subscriber("bob@example.org", T0)
    assert empty_store.note_confirmation("bob@example.org", T0, T0 - hour)
    empty_store.forget_confirmation("bob@example.org")  # the mail could not go
    assert empty_store.note_confirmation("bob@example.org", T0 + timedelta(minutes=1), T0 - hour)


def test_an_operator_can_add_active_subscribers_linked_to_an_account(empty_store):
    made, _ = empty_store.add_subscriber("op@example.org", T0, user_id=42, confirmed=True)
    assert made.status == "active" and made.user_id == 42 and made.confirmed_at == T0
    pending, _ = empty_store.add_subscriber("later@example.org", T0)
    assert [s.email for s in empty_store.subscribers("pending")] == ["later@example.org"]
    assert empty_store.add_subscriber("later@example.org", T0, confirmed=True)[0].status == "active"
    assert [s.id for s in empty_store.subscribers(after_id=made.id)] == [pending.id]


def test_due_subscribers_are_active_ones_not_yet_sent_or_refused(empty_store):
    a, b, c, _ = _active(empty_store, "a@x.org", "b@x.org", "c@x.org", "d@x.org")
    empty_store.add_subscriber("pending@x.org", T0)
    empty_store.unsubscribe("d@x.org", T0)
    assert [s.id for s in empty_store.due_subscribers(DAY, 0, 10)] == [a, b, c]
    assert empty_store.claim_deliveries([a, b, c], DAY, "w1", T0, T0 - timedelta(minutes=10)) == [a, b, c]
    assert empty_store.finish_delivery(a, DAY, "w1", "sent", T0, message_id="<m@x>")
    assert empty_store.finish_delivery(b, DAY, "w1", "refused", T0, error="550")
    assert [s.id for s in empty_store.due_subscribers(DAY, 0, 10)] == [c]  # c is claimed, not finished
    assert [s.id for s in empty_store.due_subscribers(DAY + timedelta(days=1), 0, 10)] == [a, b, c]
    assert [s.id for s in empty_store.due_subscribers(DAY, a, 1)] == [c]


def test_a_fresh_claim_is_nobody_elses_and_a_stale_or_failed_one_is_taken_over(empty_store):
    a, b, c = _active(empty_store, "a@x.org", "b@x.org", "c@x.org")
    stale_before = T0 - timedelta(minutes=10)
    assert empty_store.claim_deliveries([a, b], DAY, "w1", T0, stale_before) == [a, b]
    assert empty_store.claim_deliveries([a, b, c], DAY, "w2", T0, stale_before) == [c]
    assert not empty_store.finish_delivery(a, DAY, "w2", "sent", T0)  # not w2's to finish
    assert empty_store.release_claims(DAY, ["w2"], T0, "run died") == 1  # c: failed, due again at once
    assert empty_store.claim_deliveries([c], DAY, "w3", T0, stale_before) == [c]
    later = T0 + timedelta(minutes=11)
    assert empty_store.claim_deliveries([a, b], DAY, "w3", later, later - timedelta(minutes=10)) == [a, b]
    assert not empty_store.finish_delivery(a, DAY, "w1", "sent", later)  # w1 lost its claim
    assert empty_store.finish_delivery(a, DAY, "w3", "sent", later, message_id="<a@x>")
    assert empty_store.claim_deliveries([a], DAY, "w4", later + timedelta(days=1), later + timedelta(days=1)) == []
    rows = {d.subscriber_id: d for d in empty_store.deliveries(DAY)}
    assert (rows[a].status, rows[a].worker, rows[a].attempts, rows[a].message_id) == ("sent", "w3", 2, "<a@x>")
    assert (rows[c].status, rows[c].attempts, rows[c].error) == ("sending", 2, None)
    assert empty_store.claimants(DAY) == ["w3"]


def test_an_unsubscribe_after_the_due_list_was_read_is_not_claimed(empty_store):
    (a,) = _active(empty_store, "a@x.org")
    due = empty_store.due_subscribers(DAY, 0, 10)
    empty_store.unsubscribe("a@x.org", T0)
    assert empty_store.claim_deliveries([s.id for s in due], DAY, "w1", T0, T0) == []
    assert empty_store.deliveries(DAY) == [] and a


def test_a_renewed_claim_stays_its_runs_and_a_taken_one_cannot_be_renewed(empty_store):
    a, b = _active(empty_store, "a@x.org", "b@x.org")
    timeout = timedelta(minutes=10)
    assert empty_store.claim_deliveries([a, b], DAY, "slow", T0, T0 - timeout) == [a, b]
    renewed = T0 + timedelta(minutes=9)
    assert empty_store.renew_claim(a, DAY, "slow", renewed)  # just before sending a's digest
    later = T0 + timedelta(minutes=11)  # b's claim is stale now, a's renewed one is not
    assert empty_store.claim_deliveries([a, b], DAY, "second", later, later - timeout) == [b]
    assert not empty_store.renew_claim(b, DAY, "slow", later)  # the slow run must not send b's
    assert not empty_store.renew_claim(a, DAY, "second", later)  # nor may a run renew what it never held
    rows = {d.subscriber_id: d for d in empty_store.deliveries(DAY)}
    assert (rows[a].worker, rows[a].claimed_at) == ("slow", renewed) and rows[b].worker == "second"
    assert empty_store.finish_delivery(a, DAY, "slow", "sent", later)
    assert not empty_store.renew_claim(a, DAY, "slow", later)  # a finished row is nobody's to send again
