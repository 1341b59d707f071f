"""Accounts through the service: sign-up with a real SMTP server, verification, login, sessions, resets."""

from __future__ import annotations

import re

import pytest

from paperradar.errors import InputError
from paperradar.service import Library
from paperradar.service.accounts import PER_ACCOUNT, LoginFailed, RateLimited
from paperradar.settings import load_settings
from paperradar.tokens import InvalidToken

BASE = "http://paperradar.test"


@pytest.fixture
def mailing(tmp_path, smtp_sink):
    lib = Library.open(load_settings(database_url=f"sqlite:///{tmp_path / 'a.db'}", smtp_url=smtp_sink.url,
                                     secret_key="k" * 32))  # fmt: skip
    yield lib, smtp_sink
    lib.close()


def _link(message, path):
    body = message.get_body(("plain",)).get_content()
    return re.search(rf"{re.escape(BASE)}{path}\?token=(\S+)", body).group(1)


def test_sign_up_mails_a_link_that_verifies_the_address(mailing):
    lib, sink = mailing
    said = lib.accounts.sign_up("New@Example.org", "correct horse battery", BASE)
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
    first = lib.accounts.sign_up("a@example.org", "correct horse battery", BASE)
    second = lib.accounts.sign_up("A@example.org", "another password!", BASE)
    assert first.message == second.message
    assert [m["Subject"] for m in sink.to("a@example.org")] == [
        "paperradar: verify your email", "paperradar: you already have an account"]  # fmt: skip
    with pytest.raises(LoginFailed):
        lib.accounts.login("a@example.org", "another password!")  # the second sign-up changed nothing


def test_sign_up_without_mail_still_makes_the_account_and_says_why_there_is_no_link(library):
    said = library.accounts.sign_up("solo@example.org", "correct horse battery", BASE)
    assert not said.mail_sent and "PAPERRADAR_SMTP_URL" in said.message
    assert library.accounts.login("solo@example.org", "correct horse battery").email == "solo@example.org"


@pytest.mark.parametrize(("email", "password", "field"), [
    ("not-an-email", "correct horse battery", "email"), ("a@b.org", "short", "password"),
    ("a@b.org", "x" * 257, "password"), ("a" * 250 + "@b.org", "correct horse battery", "email")])  # fmt: skip
def test_bad_sign_ups_name_the_field_and_make_nothing(library, email, password, field):
    with pytest.raises(InputError, match=f"^{field}:"):
        library.accounts.sign_up(email, password, BASE)
    assert library.accounts.list() == []


def test_wrong_passwords_and_unknown_emails_fail_alike_and_are_rate_limited(library):
    library.accounts.sign_up("b@example.org", "correct horse battery", BASE)
    with pytest.raises(LoginFailed) as unknown:
        library.accounts.login("nobody@example.org", "correct horse battery")
    with pytest.raises(LoginFailed) as wrong:
        library.accounts.login("b@example.org", "wrong password")
    assert str(unknown.value) == str(wrong.value)
    for _ in range(PER_ACCOUNT - 1):
        with pytest.raises(LoginFailed):
            library.accounts.login("b@example.org", "wrong password", ip="10.0.0.1")
    with pytest.raises(RateLimited):  # even the right password, until the window passes
        library.accounts.login("b@example.org", "correct horse battery", ip="10.0.0.2")


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
    lib.accounts.request_reset("d@example.org", BASE)
    lib.accounts.request_reset("nobody@example.org", BASE)  # says the same, sends nothing
    (mail,) = sink.to("d@example.org")
    token = _link(mail, "/reset")
    lib.accounts.reset_password(token, "the new password")
    assert lib.accounts.login("d@example.org", "the new password")
    with pytest.raises(InvalidToken, match="used already"):
        lib.accounts.reset_password(token, "yet another password")
    assert sink.to("nobody@example.org") == []
