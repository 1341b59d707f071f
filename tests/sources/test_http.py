"""The polite client against a replay server: pacing, retries, Retry-After, faults, size bounds, caching."""

from __future__ import annotations

from datetime import timedelta
from email.utils import format_datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paperradar.errors import ConfigError, SourceError
from paperradar.sources.live.cache import MemoryCache
from paperradar.sources.live.http import HttpError, PoliteClient, retry_after_seconds
from sources.replay import Reply


def test_user_agent_names_the_product_and_the_contact_on_every_request(replay, client):
    replay.script("/a", Reply(body=b"ok"), repeat=True)
    client.get(replay.url("/a"))
    client.post_json(replay.url("/a"), {"x": 1})
    agents = {seen.headers["user-agent"] for seen in replay.requests}
    assert len(replay.requests) == 2
    assert len(agents) == 1
    agent = agents.pop()
    assert agent.startswith("paperradar/") and "mailto:operator@example.org" in agent


def test_a_contact_that_is_not_an_email_is_refused():
    with pytest.raises(ConfigError, match="not an email"):
        PoliteClient(contact_email="nobody")


def test_requests_to_one_host_are_spaced_by_its_interval(replay, make_client, fake_time):
    client = make_client(min_intervals={"127.0.0.1": 3.0})
    replay.script("/a", Reply(body=b"ok"), repeat=True)
    for _ in range(3):
        client.get(replay.url("/a"))
    assert fake_time.sleeps == [3.0, 3.0]
    assert len(replay.requests) == 3


def test_an_interval_already_waited_out_is_not_waited_again(replay, make_client, fake_time):
    client = make_client(min_intervals={"127.0.0.1": 3.0})
    replay.script("/a", Reply(body=b"ok"), repeat=True)
    client.get(replay.url("/a"))
    fake_time.now += 10
    client.get(replay.url("/a"))
    assert fake_time.sleeps == []


def test_429_with_retry_after_seconds_is_waited_out_then_retried(replay, client, fake_time):
    replay.script("/a", Reply(429, b"slow down", {"Retry-After": "7"}), Reply(body=b"fine"))
    fetched = client.get(replay.url("/a"))
    assert fetched.content == b"fine"
    assert fake_time.sleeps == [7.0]
    assert len(replay.requests) == 2


def test_503_with_retry_after_as_an_http_date_waits_until_that_moment(replay, client, fake_time):
    when = format_datetime(fake_time.wall + timedelta(seconds=120), usegmt=True)
    replay.script("/a", Reply(503, b"busy", {"Retry-After": when}), Reply(body=b"fine"))
    assert client.get(replay.url("/a")).content == b"fine"
    assert fake_time.sleeps == [120.0]


def test_an_excessive_retry_after_is_capped(replay, make_client, fake_time):
    client = make_client(max_retry_after=60.0)
    replay.script("/a", Reply(503, b"", {"Retry-After": "86400"}), Reply(body=b"fine"))
    assert client.get(replay.url("/a")).content == b"fine"
    assert fake_time.sleeps == [60.0]


def test_server_errors_back_off_exponentially_with_jitter_then_succeed(replay, make_client, fake_time):
    client = make_client(backoff=1.0, jitter=lambda: 1.0)
    replay.script("/a", Reply(500), Reply(502), Reply(body=b"fine"))
    assert client.get(replay.url("/a")).content == b"fine"
    assert fake_time.sleeps == [1.0, 2.0]


def test_jitter_shortens_a_backoff_by_at_most_half(replay, make_client, fake_time):
    client = make_client(backoff=4.0, jitter=lambda: 0.0)
    replay.script("/a", Reply(500), Reply(body=b"fine"))
    client.get(replay.url("/a"))
    assert fake_time.sleeps == [2.0]


def test_exhausted_retries_raise_a_source_error_naming_the_url(replay, make_client):
    client = make_client(max_retries=2)
    replay.script("/a", Reply(500, b'{"error": "database unavailable"}'), repeat=True)
    with pytest.raises(SourceError) as caught:
        client.get(replay.url("/a"), params={"q": "x"})
    message = str(caught.value)
    assert replay.url("/a?q=x") in message
    assert "HTTP 500" in message and "database unavailable" in message and "3 attempts" in message
    assert len(replay.requests) == 3


def test_a_client_error_is_not_retried_and_keeps_the_body(replay, client):
    replay.script("/a", Reply(404, b'{"error":"Paper with id 0 not found"}'), repeat=True)
    with pytest.raises(HttpError) as caught:
        client.get(replay.url("/a"))
    assert caught.value.status == 404
    assert b"not found" in caught.value.body
    assert "Paper with id 0 not found" in str(caught.value)
    assert len(replay.requests) == 1


def test_a_timeout_is_retried(replay, make_client, fake_time):
    client = make_client(timeout=0.2)
    replay.script("/a", Reply(body=b"late", delay=2.0), Reply(body=b"fine"))
    assert client.get(replay.url("/a")).content == b"fine"
    assert len(fake_time.sleeps) == 1


def test_timeouts_every_time_end_in_a_source_error(replay, make_client):
    client = make_client(timeout=0.2, max_retries=1)
    replay.script("/a", Reply(body=b"late", delay=2.0), repeat=True)
    with pytest.raises(SourceError, match=r"timed out.*gave up after 2 attempts") as caught:
        client.get(replay.url("/a"))
    assert replay.url("/a") in str(caught.value)


def test_a_connection_dropped_mid_body_is_retried(replay, client):
    body = b"x" * 10_000
    replay.script("/a", Reply(body=body, drop_after=100), Reply(body=body))
    assert client.get(replay.url("/a")).content == body
    assert len(replay.requests) == 2


def test_a_connection_dropped_every_time_ends_in_a_source_error(replay, make_client):
    client = make_client(max_retries=1)
    replay.script("/a", Reply(body=b"x" * 1000, drop_after=10), repeat=True)
    with pytest.raises(SourceError, match="connection failed") as caught:
        client.get(replay.url("/a"))
    assert replay.url("/a") in str(caught.value)


def test_a_declared_oversized_body_is_refused_without_retrying(replay, make_client):
    client = make_client(max_bytes=1000)
    replay.script("/a", Reply(body=b"x" * 5000), repeat=True)
    with pytest.raises(SourceError, match="larger than 1000 bytes"):
        client.get(replay.url("/a"))
    assert len(replay.requests) == 1


def test_a_streamed_oversized_body_is_refused(replay, make_client):
    client = make_client(max_bytes=10_000)
    replay.script("/a", Reply(body=b"x" * 50_000, chunked=True))
    with pytest.raises(SourceError, match="larger than 10000 bytes"):
        client.get(replay.url("/a"))


def test_conditional_get_replays_validators_and_serves_304_from_the_cache(replay, make_client):
    client = make_client(cache=MemoryCache())
    headers = {"ETag": '"v1"', "Last-Modified": "Fri, 06 Mar 2026 10:00:00 GMT"}
    replay.script("/a", Reply(body=b"[1, 2]", headers=headers), Reply(304))
    first = client.get(replay.url("/a"), params={"date": "2026-03-06"}, conditional=True)
    second = client.get(replay.url("/a"), params={"date": "2026-03-06"}, conditional=True)
    assert not first.not_modified
    assert second.not_modified and second.content == b"[1, 2]"
    assert "if-none-match" not in replay.requests[0].headers
    assert replay.requests[1].headers["if-none-match"] == '"v1"'
    assert replay.requests[1].headers["if-modified-since"] == "Fri, 06 Mar 2026 10:00:00 GMT"


def test_requests_without_conditional_send_no_validators(replay, make_client):
    client = make_client(cache=MemoryCache())
    replay.script("/a", Reply(body=b"1", headers={"ETag": '"v1"'}), repeat=True)
    client.get(replay.url("/a"), conditional=True)
    client.get(replay.url("/a"))
    assert "if-none-match" not in replay.requests[1].headers


def test_api_keys_are_masked_in_errors(replay, make_client):
    client = make_client(max_retries=0)
    replay.script("/a", Reply(500), repeat=True)
    with pytest.raises(SourceError) as caught:
        client.get(replay.url("/a"), params={"api_key": "s3cret", "filter": "doi:x"})
    assert replay.requests[0].query["api_key"] == "s3cret"
    assert "s3cret" not in str(caught.value) and "api_key=%2A%2A%2A" in str(caught.value)


def test_malformed_json_and_xml_name_the_url(replay, client):
    replay.script("/j", Reply(body=b'[{"paper": {"id": "2602.23'))
    replay.script("/x", Reply(body=b"<feed><entry></feed>"))
    with pytest.raises(SourceError, match="not valid JSON") as caught:
        client.get(replay.url("/j")).json()
    assert replay.url("/j") in str(caught.value)
    with pytest.raises(SourceError, match="not well-formed XML") as caught:
        client.get(replay.url("/x")).xml()
    assert replay.url("/x") in str(caught.value)


def test_xml_entities_are_refused(replay, client):
    bomb = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><r>&b;</r>'
    replay.script("/x", Reply(body=bomb))
    with pytest.raises(SourceError, match="not well-formed XML"):
        client.get(replay.url("/x")).xml()


@given(st.text(max_size=40))
def test_retry_after_parsing_never_raises(value):
    from datetime import UTC, datetime

    wait = retry_after_seconds(value, datetime(2026, 1, 1, tzinfo=UTC))
    assert wait is None or wait >= 0
