"""Accounts through the service: sign-up with a real SMTP server, verification, login, sessions, resets."""

from __future__ import annotations

import re

import pytest

from paperradar.errors import InputError
from paperradar.service import Library
from paperradar.service.accounts import LoginFailed, RateLimited
from paperradar.settings import load_settings
from paperradar.tokens import InvalidToken

BASE = "http://paperradar.test"


@pytest.fixture
def mailing(store_url, smtp_sink):
    """A library on each backend that mails through a real SMTP server; its site is BASE."""
    lib = Library.open(load_settings(database_url=store_url, smtp_url=smtp_sink.url, public_url=BASE,
                                     secret_key="k" * 32))  # fmt: skip
    yield lib, smtp_sink
    lib.close()


def _link(message, path):
    body = message.get_body(("plain",)).get_content()
    return re.search(rf"{re.escape(BASE)}{path}\?token=(\S+)", body).group(1)


def test_sign_up_mails_a_link_that_verifies_the_address(mailing):
    lib, sink = mailing
    said = lib.accounts.sign_up("New@Example.org", "correct horse battery")
    assert said.mail_sent
    user = lib.accounts.login("new@example.org", "correct horse battery")
    assert not user.verified
    (mail,) = sink.to("new@example.org")
    assert mail["Subject"] == "paperradar: verify your email"
    assert lib.accounts.verify(_link(mail, "/verify")).verified
    with pytest.raises(InvalidToken):
        lib.accounts.verify(_link(mail, "/verify") + "x")


def test_a_taken_email_hears_the_same_as_a_new_one_and_its_owner_is_told(mailing):
    lib, sink = mailing
    first = lib.accounts.sign_up("a@example.org", "correct horse battery")
    second = lib.accounts.sign_up("A@example.org", "another password!")
    assert first.message == second.message
    assert [m["Subject"] for m in sink.to("a@example.org")] == [
        "paperradar: verify your email", "paperradar: you already have an account"]  # fmt: skip
    with pytest.raises(LoginFailed):
        lib.accounts.login("a@example.org", "another password!")  # the second sign-up changed nothing


def test_sign_up_without_mail_still_makes_the_account_and_says_why_there_is_no_link(library):
    said = library.accounts.sign_up("solo@example.org", "correct horse battery")
    assert not said.mail_sent and "PAPERRADAR_SMTP_URL" in said.message
    assert library.accounts.login("solo@example.org", "correct horse battery").email == "solo@example.org"


@pytest.mark.parametrize(("email", "password", "field"), [
    ("not-an-email", "correct horse battery", "email"), ("a@b.org", "short", "password"),
    ("a@b.org", "x" * 257, "password"), ("a" * 250 + "@b.org", "correct horse battery", "email")])  # fmt: skip
def test_bad_sign_ups_name_the_field_and_make_nothing(library, email, password, field):
    with pytest.raises(InputError, match=f"^{field}:"):
        library.accounts.sign_up(email, password)
    assert library.accounts.list() == []


def test_wrong_passwords_and_unknown_emails_fail_alike_and_are_rate_limited(library):
    library.accounts.sign_up("b@example.org", "correct horse battery")
    with pytest.raises(LoginFailed) as unknown:
        library.accounts.login("nobody@example.org", "correct horse battery")
    with pytest.raises(LoginFailed) as wrong:
        library.accounts.login("b@example.org", "wrong password")
    assert str(unknown.value) == str(wrong.value)
    for _ in range(5):
        with pytest.raises(LoginFailed):
            library.accounts.login("b@example.org", "wrong password", ip="10.0.0.1")
    with pytest.raises(RateLimited):  # the guesser's address waits, even with the right password
        library.accounts.login("b@example.org", "correct horse battery", ip="10.0.0.1")


def test_a_guesser_elsewhere_never_locks_the_owner_out(library):
    library.accounts.sign_up("owner@example.org", "correct horse battery")
    refused = 0
    for n in range(40):  # a guesser spread over ten addresses, four guesses each
        try:
            library.accounts.login("owner@example.org", f"guess number {n}", ip=f"10.0.1.{n % 10}")
        except RateLimited:
            refused += 1
        except LoginFailed:
            pass
    assert library.accounts.login("owner@example.org", "correct horse battery", ip="192.0.2.7").email == (
        "owner@example.org"
    )
    guesses = 0
    for n in range(20):  # one address guessing on is slowed down: after 5 a minute, refused
        try:
            library.accounts.login("owner@example.org", f"again {n}", ip="10.0.2.1")
        except LoginFailed:
            guesses += 1
        except RateLimited:
            break
    assert guesses == 5 and refused == 0


def test_sessions_end_on_logout_and_password_change(library):
    accounts = library.accounts
    user, _ = accounts.add("c@example.org", "correct horse battery", admin=False)
    token = accounts.session_token(user)
    assert accounts.user_for_session(token) == user
    assert accounts.user_for_session(token[:-2] + "xx") is None
    accounts.logout(user)
    assert accounts.user_for_session(token) is None
    user = library.store.user(user.id)
    second = accounts.session_token(user)
    accounts.change_password(user, "correct horse battery", "a new long password")
    assert accounts.user_for_session(second) is None
    assert accounts.login("c@example.org", "a new long password").id == user.id


def test_a_reset_link_works_once(mailing):
    lib, sink = mailing
    lib.accounts.add("d@example.org", "correct horse battery", admin=False)
    lib.accounts.request_reset("d@example.org")
    lib.accounts.request_reset("nobody@example.org")  # says the same, sends nothing
    (mail,) = sink.to("d@example.org")
    token = _link(mail, "/reset")
    lib.accounts.reset_password(token, "the new password")
    assert lib.accounts.login("d@example.org", "the new password")
    with pytest.raises(InvalidToken, match="used already"):
        lib.accounts.reset_password(token, "yet another password")
    assert sink.to("nobody@example.org") == []


def test_a_password_reset_makes_a_new_feed_address(mailing):
    lib, sink = mailing
    user, _ = lib.accounts.add("feed@example.org", "correct horse battery", admin=False)
    feed = lib.accounts.feed_token(user)
    assert lib.accounts.user_for_feed(feed) == user
    lib.accounts.request_reset("feed@example.org")
    changed = lib.accounts.reset_password(_link(sink.to("feed@example.org")[0], "/reset"), "the new password")
    assert lib.accounts.user_for_feed(feed) is None  # the old URL reads nothing any more
    assert lib.accounts.user_for_feed(lib.accounts.feed_token(changed)) == changed


def test_a_password_hashed_with_the_old_argon2_setting_still_logs_in_and_is_rehashed(store_url):
    from argon2 import PasswordHasher

    lib = Library.open(load_settings(database_url=store_url, secret_key="k" * 32))
    try:
        old = PasswordHasher()  # argon2-cffi's default: 64 MiB, 3 passes, 4 lanes, as accounts were made before
        user = lib.store.create_user("early@example.org", old.hash("correct horse battery"), False, True, 1)
        assert lib.accounts.login("early@example.org", "correct horse battery").id == user.id
        stored = lib.store.password_hash(user.id)
        assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
        assert lib.accounts.login("early@example.org", "correct horse battery").id == user.id
        with pytest.raises(LoginFailed):
            lib.accounts.login("early@example.org", "wrong horse battery")
    finally:
        lib.close()
