"""Signed tokens: what paperradar hands out (session cookies, email links, CSRF tokens, feed URLs) is signed
with one secret key, so a token cannot be forged or altered, and each purpose signs with its own salt so a
token made for one use (say, unsubscribing) is refused for another (say, signing in)."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from paperradar.errors import InputError

SECRET_FILE = "secret_key"


class InvalidToken(InputError):
    """A token that is malformed, altered, made for another purpose, or older than it may be."""


def load_secret(configured: str | None, home: Path) -> bytes:
    """The configured secret, else one kept in `home/secret_key` (made on first use, readable by its owner only).

    Several web workers on one machine share the file; workers on several machines need the same
    PAPERRADAR_SECRET_KEY, or each would refuse the others' sessions.
    """
    if configured:
        return configured.encode("utf-8")
    path = home / SECRET_FILE
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    home.mkdir(parents=True, exist_ok=True)
    fresh = secrets.token_urlsafe(48).encode("ascii")
    temporary = path.with_name(f".{SECRET_FILE}.{os.getpid()}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(fresh)
    try:
        os.link(temporary, path)  # fails if another process made the file first: then theirs is the one
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
    return path.read_bytes().strip()


class Signer:
    """Signs and checks tokens for named purposes with one secret."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise InputError("secret key: at least 16 characters are needed to sign tokens safely")
        self._secret = secret

    def sign(self, purpose: str, payload: Any) -> str:
        """A URL-safe token carrying `payload` (anything JSON can hold) and the time it was made."""
        return URLSafeTimedSerializer(self._secret, salt=purpose).dumps(payload)

    def unsign(self, purpose: str, token: str, max_age: int | None = None) -> Any:
        """The payload of a token made by `sign` for this purpose, no older than `max_age` seconds."""
        if not token or len(token) > 4096:
            raise InvalidToken(f"{purpose} token: missing or too long")
        try:
            return URLSafeTimedSerializer(self._secret, salt=purpose).loads(token, max_age=max_age)
        except SignatureExpired:
            raise InvalidToken(f"{purpose} token: expired", hint="ask for a new link") from None
        except BadSignature:
            raise InvalidToken(f"{purpose} token: not valid") from None

    def mac(self, purpose: str, value: str) -> str:
        """A keyed digest of `value` for this purpose (hex): for tokens that must be compared, not decoded."""
        key = hmac.new(self._secret, purpose.encode("utf-8"), hashlib.sha256).digest()
        return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()

    @staticmethod
    def same(a: str, b: str) -> bool:
        """Constant-time comparison, so a guess's timing reveals nothing of the right value."""
        return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))
