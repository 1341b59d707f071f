"""Accounts: sign-up, email verification, login with rate limits, sessions, password reset, feed tokens.

Passwords are hashed with argon2id (argon2-cffi's defaults, rehashed on login when they change).
Sessions are signed cookies carrying the user's session version: logout and a password change bump
it, which ends every session issued before. A reset link signs a fingerprint of the current hash, so
it works once: using it (or any password change) changes the hash and with it the fingerprint.
Messages never say whether an email is registered.

Attempts are counted in moving windows that every web worker shares (service/ratelimits.py). Logins
are throttled per (account, address) with growing waits, never locked per account: a guesser elsewhere
cannot shut the owner out. Links in mail come from the configured site address, never the request.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from email.message import EmailMessage
from functools import cached_property

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from paperradar.digest.address import normalise_email
from paperradar.errors import InputError
from paperradar.mail.smtp import Mailer, MailError
from paperradar.models.account import User
from paperradar.service.ratelimits import Limiter
from paperradar.settings import Settings
from paperradar.store import Store
from paperradar.tokens import InvalidToken, Signer

log = logging.getLogger("paperradar.accounts")

MIN_PASSWORD, MAX_PASSWORD = 10, 256  # argon2 hashes any length; the bound keeps a request cheap
MAX_EMAIL = 254
SESSION_DAYS = 30
VERIFY_SECONDS = 3 * 86400
RESET_SECONDS = 3600
PER_IP = "30 per 15 minutes"  # attempts from one address: an office behind one NAT
PER_ACCOUNT = "10 per 15 minutes"  # sign-ups and reset mails to one address: nobody floods an inbox
# Logins of one account from one address: the waits grow (5 a minute, then 10 in 15 minutes, 20 an
# hour, 40 a day), so a guesser slows to a crawl while the owner, from anywhere else, logs in.
LOGIN_BACKOFF = ("5 per minute", "10 per 15 minutes", "20 per hour", "40 per day")
# argon2id at OWASP's first recommended setting (Password Storage Cheat Sheet: 19 MiB, 2 passes, 1 lane).
# argon2-cffi's default (64 MiB, 3 passes, 4 lanes) costs ~8x the CPU: ~0.5 s a login on a busy 2-core
# machine, which made logins the slowest request under load (bench/load_run.py). Hashes made with the
# old setting are rehashed at their next login.
_hasher = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)
_DUMMY_HASH = _hasher.hash("a password nobody has")  # verified against when no account matches: same cost


class LoginFailed(InputError):
    """Wrong email or password (never which one)."""


class RateLimited(InputError):
    """Too many attempts in a short time."""


@dataclass(frozen=True, slots=True)
class SignUp:
    """What the sign-up page says: the same for a new and a taken email."""

    message: str
    mail_sent: bool
    user: User | None = None  # the account made (None when the address was taken): the page signs it in


def check_email(email: str) -> str:
    """The address as an account is known by: checked as the digest checks it, then all lower case (one
    account per mailbox, however its owner types it)."""
    return normalise_email(email).lower()


def check_password(password: str) -> str:
    if not MIN_PASSWORD <= len(password or "") <= MAX_PASSWORD:
        raise InputError(f"password: must be {MIN_PASSWORD} to {MAX_PASSWORD} characters")
    return password


class Accounts:
    """The account use cases over one store; `Library.accounts`."""

    def __init__(self, store: Store, signer: Signer, settings: Settings) -> None:
        self.store = store
        self.signer = signer
        self.settings = settings

    @cached_property
    def limiter(self) -> Limiter:
        return Limiter(self.settings, self.store)

    @property
    def site_url(self) -> str:
        return self.settings.site_url

    def _now(self) -> int:
        return int(self.settings.clock.now().timestamp())

    # -- mail -------------------------------------------------------------------------------------
    @property
    def can_mail(self) -> bool:
        return bool(self.settings.smtp_url)

    def _mail(self, to: str, subject: str, body: str) -> bool:
        if not self.settings.smtp_url:
            return False
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.settings.mail_from, to, subject
        message.set_content(body)
        try:
            Mailer(self.settings.smtp_url, self.settings.mail_from).send(message)
        except MailError as error:
            log.warning("could not send %r: %s", subject, error)
            return False
        return True

    # -- sign-up and verification -----------------------------------------------------------------
    def sign_up(self, email: str, password: str, ip: str = "") -> SignUp:
        email, password = check_email(email), check_password(password)
        self._limit(PER_IP, "signup-ip", ip)
        self._limit(PER_ACCOUNT, "signup-account", email)  # each attempt on a taken address mails its owner
        # Without mail no link can ever verify an address: the first account of such a server (its operator,
        # as a rule) is taken at its word; later ones are verified by the operator (`paperradar users add`).
        first_without_mail = not self.can_mail and not self.store.users()
        user = self.store.create_user(email, _hasher.hash(password), is_admin=False, verified=first_without_mail,
                                      at=self._now())  # fmt: skip
        if user is None:  # taken: tell the owner by mail, and the visitor exactly what a new account hears
            sent = self._mail(email, "paperradar: you already have an account",
                              f"Someone (perhaps you) tried to sign up with this address.\n"
                              f"If you forgot your password, reset it here: {self.site_url}/forgot\n")  # fmt: skip
        else:
            sent = self._send_verification(user)
        if first_without_mail and user is not None:
            return SignUp("Your account is made and you are signed in. This server sends no email "
                          "(PAPERRADAR_SMTP_URL is not set), so as its first account your address counts as "
                          "verified.", False, user)  # fmt: skip
        if not self.can_mail:
            return SignUp("If this email was not registered, the account is made and you are signed in. This server "
                          "sends no email (PAPERRADAR_SMTP_URL is not set), so the address cannot be verified by "
                          "mail: the server's operator can verify it with `paperradar users add EMAIL`.",
                          False, user)  # fmt: skip
        return SignUp("Check your inbox: we sent a link to verify the address (if it was registered already, "
                      "the mail says so instead). You are signed in meanwhile.", sent, user)  # fmt: skip

    def _send_verification(self, user: User) -> bool:
        token = self.signer.sign("verify", {"u": user.id, "e": user.email})
        return self._mail(user.email, "paperradar: verify your email",
                          f"Open this link to verify your email for paperradar:\n{self.site_url}/verify?token={token}\n"
                          f"It works for {VERIFY_SECONDS // 86400} days.\n")  # fmt: skip

    def resend_verification(self, user: User) -> bool:
        return not user.verified and self._send_verification(user)

    def verify(self, token: str) -> User:
        payload = self.signer.unsign("verify", token, max_age=VERIFY_SECONDS)
        user = self.store.user(int(payload["u"])) if isinstance(payload, dict) else None
        if user is None or user.email != payload.get("e"):
            raise InvalidToken("verify token: not valid")
        self.store.update_user(user.id, verified=True)
        return self.store.user(user.id) or user

    # -- login and sessions -----------------------------------------------------------------------
    def login(self, email: str, password: str, ip: str = "") -> User:
        email = (email or "").strip().lower()[:MAX_EMAIL]
        self._limit(PER_IP, "login-ip", ip)
        for rate in LOGIN_BACKOFF:
            self._limit(rate, "login", email, ip)
        user = self.store.user_by_email(email) if email else None
        stored = self.store.password_hash(user.id) if user else None
        if not self._verify(stored or _DUMMY_HASH, (password or "")[:MAX_PASSWORD]) or user is None:
            raise LoginFailed("email or password is wrong")
        if stored and _hasher.check_needs_rehash(stored):
            self.store.set_password_hash(user.id, _hasher.hash(password), end_sessions=False)
        return user

    @staticmethod
    def _verify(stored: str, password: str) -> bool:
        try:
            return _hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False

    def _limit(self, rate: str, kind: str, *who: str) -> None:
        if not self.limiter.hit(rate, kind, *(part[:MAX_EMAIL] for part in who)):
            raise RateLimited("too many attempts: wait a few minutes and try again")

    def session_token(self, user: User) -> str:
        return self.signer.sign("session", {"u": user.id, "v": user.session_version})

    def user_for_session(self, token: str | None) -> User | None:
        """The signed-in user of a session cookie; None if it is missing, altered, expired or ended."""
        return self._user_for("session", token, "session_version", SESSION_DAYS * 86400)

    def _user_for(self, purpose: str, token: str | None, version: str, max_age: int | None) -> User | None:
        if not token:
            return None
        try:
            payload = self.signer.unsign(purpose, token, max_age=max_age)
            user = self.store.user(int(payload["u"]))
        except (InvalidToken, KeyError, TypeError, ValueError):
            return None
        return user if user is not None and getattr(user, version) == payload.get("v") else None

    def logout(self, user: User) -> None:
        """End every session of the user (this browser's and any other's)."""
        self.store.end_sessions(user.id)

    # -- passwords --------------------------------------------------------------------------------
    def request_reset(self, email: str, ip: str = "") -> str:
        self._limit(PER_IP, "reset-ip", ip)
        try:
            email = check_email(email)
        except InputError:
            email = ""
        self._limit(PER_ACCOUNT, "reset-account", email)  # nobody can flood an inbox with reset mails
        user = self.store.user_by_email(email) if email else None
        if user is not None:
            stored = self.store.password_hash(user.id) or ""
            token = self.signer.sign("reset", {"u": user.id, "f": self.signer.mac("reset", stored)[:32]})
            self._mail(user.email, "paperradar: reset your password",
                       f"Open this link to choose a new password:\n{self.site_url}/reset?token={token}\n"
                       f"It works once, for an hour. If you did not ask for it, ignore this mail.\n")  # fmt: skip
        if not self.can_mail:
            return "Password reset needs mail, which this server has not configured; ask its operator."
        return "If an account has this email, we sent it a link to reset the password."

    def reset_password(self, token: str, password: str) -> User:
        password = check_password(password)
        payload = self.signer.unsign("reset", token, max_age=RESET_SECONDS)
        user = self.store.user(int(payload["u"])) if isinstance(payload, dict) else None
        stored = self.store.password_hash(user.id) if user else None
        if user is None or stored is None or not Signer.same(self.signer.mac("reset", stored)[:32], str(payload["f"])):
            raise InvalidToken("reset token: used already or not valid", hint="ask for a new link")
        self.store.set_password_hash(user.id, _hasher.hash(password), end_sessions=True)
        self.store.update_user(user.id, verified=True)  # the link came by mail: the address is theirs
        self.store.revoke_feed(user.id)  # whoever forced the reset may have read the feed URL too
        return self.store.user(user.id) or user

    def change_password(self, user: User, current: str, new: str) -> User:
        new = check_password(new)
        if not self._verify(self.store.password_hash(user.id) or _DUMMY_HASH, current[:MAX_PASSWORD]):
            raise LoginFailed("current password: wrong")
        self.store.set_password_hash(user.id, _hasher.hash(new), end_sessions=True)
        return self.store.user(user.id) or user

    # -- operators --------------------------------------------------------------------------------
    def add(self, email: str, password: str | None, admin: bool) -> tuple[User, bool]:
        """Make (or, if it exists, update) an account, verified; returns it and whether it was new."""
        email = check_email(email)
        existing = self.store.user_by_email(email)
        if existing is not None:
            if password:
                self.store.set_password_hash(existing.id, _hasher.hash(check_password(password)), end_sessions=True)
            self.store.update_user(existing.id, is_admin=admin or existing.is_admin, verified=True)
            return self.store.user(existing.id) or existing, False
        if password is None:
            raise InputError("password: give one (--password-stdin) for a new account")
        made = self.store.create_user(email, _hasher.hash(check_password(password)), admin, True, self._now())
        if made is None:
            raise InputError(f"email: {email} was registered meanwhile")
        return made, True

    def list(self) -> list[User]:
        return self.store.users()

    def user_by_email(self, email: str) -> User | None:
        """The account an operator names by its email (surrounding spaces ignored), or None."""
        return self.store.user_by_email(email.strip())

    # -- the secret feed URL ----------------------------------------------------------------------
    def feed_token(self, user: User) -> str:
        return self.signer.sign("feed", {"u": user.id, "v": user.feed_version})

    def user_for_feed(self, token: str) -> User | None:
        return self._user_for("feed", token, "feed_version", None)

    def revoke_feed(self, user: User) -> None:
        self.store.revoke_feed(user.id)
