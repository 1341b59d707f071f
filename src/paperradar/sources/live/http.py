"""The polite HTTP client every live source shares: per-host pacing, retries, conditional GETs, size bounds.

API (everything configurable is a constructor argument; nothing here reads the environment):

    client = PoliteClient(contact_email="ops@example.org")     # User-Agent: paperradar/<version> (mailto:...)
    fetched = client.get(url, params={...}, headers={...}, conditional=False) -> Fetched
    fetched = client.post_json(url, payload, params={...}, headers={...})    -> Fetched
    fetched.json() / fetched.xml() / fetched.text        # bad bodies raise SourceError naming the URL
    client.close()                                        # or use it as a context manager

- Pacing: at most one request in flight per host, and `min_intervals[host]` seconds (else `default_interval`)
  between the end of one request and the start of the next. arXiv asks for 3 s and one connection.
- Retries: 429, 5xx, connection errors, dropped bodies and timeouts are retried up to `max_retries` times,
  waiting `Retry-After` (seconds or an HTTP date, capped at `max_retry_after`) when the server gives one,
  else exponential backoff `backoff * 2**(n-1)` (capped at `max_backoff`) scaled by a random 50-100 %.
- Other statuses raise `HttpError` (a SourceError carrying `status` and `body`) at once, so a source can
  read the service's own error document. Exhausted retries raise SourceError naming the URL and the cause.
- Conditional GETs: with a `cache` (any `ResponseCache`) and `conditional=True`, ETag / Last-Modified are
  replayed as If-None-Match / If-Modified-Since; a 304 returns the cached body with `not_modified=True`.
- Bodies over `max_bytes` (declared or streamed, after decompression) are refused, not retried.
- `api_key` query values are masked in every URL this module reports or uses as a cache key.
- `sleep`, `clock` (monotonic seconds), `now` (aware UTC datetime, for HTTP-date Retry-After) and
  `jitter` (0..1) are injectable so tests never wait; `transport` lets tests swap the network layer.
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import httpx
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring

from paperradar import __version__
from paperradar.errors import ConfigError, SourceError
from paperradar.sources.live.cache import CachedBody, ResponseCache

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
SECRET_PARAMS = frozenset({"api_key"})
DEFAULT_INTERVALS: Mapping[str, float] = {
    "export.arxiv.org": 3.0,
    "oaipmh.arxiv.org": 3.0,
    "api.semanticscholar.org": 1.0,  # the rate granted to a key holder
    "huggingface.co": 1.0,
    "api.openalex.org": 0.1,
}
_RETRY_HINT = "the service may be down or rate-limiting us; try again later"


class HttpError(SourceError):
    """A final non-success answer; `body` is kept so a source can explain the service's own error."""

    def __init__(self, message: str, *, url: str, status: int, body: bytes, hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.url = url
        self.status = status
        self.body = body


@dataclass(frozen=True, slots=True)
class Fetched:
    """A successful response: `url` has secrets masked; `not_modified` means a 304 served from the cache."""

    url: str
    status: int
    headers: httpx.Headers
    content: bytes
    not_modified: bool = False

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        try:
            return json.loads(self.content)
        except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError alike
            raise SourceError(f"{self.url}: the response is not valid JSON ({exc})", _RETRY_HINT) from None

    def xml(self) -> Element:
        """The parsed document; entities and DTDs are refused, since the body is untrusted."""
        try:
            return safe_fromstring(self.content)
        except (ParseError, DefusedXmlException) as exc:
            raise SourceError(f"{self.url}: the response is not well-formed XML ({exc})", _RETRY_HINT) from None


def mask(url: httpx.URL) -> str:
    """The URL as it may be shown or stored: secret query values replaced by ***."""
    params = url.params
    for name in SECRET_PARAMS & set(params.keys()):
        params = params.set(name, "***")
    return str(url.copy_with(params=params))


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date), or None if absent/unreadable."""
    if not value:
        return None
    text = value.strip()
    if text.isascii() and text.isdigit():  # not "²": isdigit alone admits it
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def describe_body(content: bytes, limit: int = 200) -> str:
    """A one-line gist of an error body: the JSON `error`/`message`, else the text with markup dropped."""
    try:
        data = json.loads(content)
    except ValueError:
        data = None
    if isinstance(data, dict):
        for key in ("error", "message", "detail"):
            if isinstance(data.get(key), str):
                return data[key][:limit]
    text = re.sub(r"<[^>]*>", " ", content[: limit * 20].decode("utf-8", errors="replace"))
    return " ".join(text.split())[:limit]


class _TooLarge(Exception):
    pass


class PoliteClient:
    """One httpx client with the manners every live source needs; see the module docstring."""

    def __init__(
        self,
        *,
        contact_email: str,
        product: str = "paperradar",
        version: str = __version__,
        min_intervals: Mapping[str, float] | None = None,
        default_interval: float = 1.0,
        timeout: float = 30.0,
        max_retries: int = 4,
        backoff: float = 2.0,
        max_backoff: float = 120.0,
        max_retry_after: float = 600.0,
        max_bytes: int = 64 * 1024 * 1024,
        cache: ResponseCache | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        jitter: Callable[[], float] = random.random,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if "@" not in contact_email or any(ch in contact_email for ch in "()\r\n"):
            raise ConfigError(
                f"contact email {contact_email!r} is not an email address",
                "services ask harvesters for a contact address; give the operator's email",
            )
        self.user_agent = f"{product}/{version} (mailto:{contact_email.strip()})"
        self._intervals = dict(DEFAULT_INTERVALS if min_intervals is None else min_intervals)
        self._default_interval = default_interval
        self._max_retries = max_retries
        self._backoff, self._max_backoff, self._max_retry_after = backoff, max_backoff, max_retry_after
        self._max_bytes = max_bytes
        self._cache = cache
        self._sleep, self._clock, self._now, self._jitter = sleep, clock, now, jitter
        self._http = httpx.Client(
            headers={"User-Agent": self.user_agent},
            timeout=httpx.Timeout(timeout),
            follow_redirects=True,
            transport=transport,
        )
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()
        self._last_done: dict[str, float] = {}

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def get(
        self,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        conditional: bool = False,
    ) -> Fetched:
        return self._request("GET", url, params, headers, None, conditional and self._cache is not None)

    def post_json(
        self,
        url: str,
        payload: Any,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Fetched:
        return self._request("POST", url, params, headers, payload, False)

    def _request(
        self,
        method: str,
        url: str,
        params: Mapping[str, Any] | None,
        headers: Mapping[str, str] | None,
        payload: Any,
        conditional: bool,
    ) -> Fetched:
        target = httpx.URL(url, params={k: v for k, v in (params or {}).items() if v is not None})
        shown = mask(target)
        sent = dict(headers or {})
        cached = self._cache.get(shown) if conditional and self._cache is not None else None
        if cached is not None:
            if cached.etag:
                sent["If-None-Match"] = cached.etag
            if cached.last_modified:
                sent["If-Modified-Since"] = cached.last_modified
        attempt = 0
        while True:
            attempt += 1
            wait: float | None = None
            try:
                status, got, body = self._exchange(method, target, sent, payload)
            except _TooLarge:
                raise SourceError(
                    f"{method} {shown}: the response is larger than {self._max_bytes} bytes; refused",
                    "raise the size limit only if this service is trusted",
                ) from None
            except httpx.TimeoutException as exc:
                problem = f"timed out ({type(exc).__name__})"
            except httpx.TransportError as exc:
                problem = f"connection failed ({type(exc).__name__}: {exc})"
            else:
                if status == 304 and cached is not None:
                    return Fetched(shown, status, got, cached.content, not_modified=True)
                if 200 <= status < 300:
                    if conditional and self._cache is not None and (got.get("etag") or got.get("last-modified")):
                        self._cache.put(shown, CachedBody(body, got.get("etag"), got.get("last-modified")))
                    return Fetched(shown, status, got, body)
                problem = f"HTTP {status}: {describe_body(body)}".rstrip(": ")
                if status not in RETRY_STATUSES or attempt > self._max_retries:
                    tries = f" after {attempt} attempts" if attempt > 1 else ""
                    raise HttpError(
                        f"{method} {shown}: {problem}{tries}",
                        url=shown,
                        status=status,
                        body=body,
                        hint=_RETRY_HINT if status in RETRY_STATUSES else None,
                    )
                wait = retry_after_seconds(got.get("retry-after"), self._now())
            if attempt > self._max_retries:
                raise SourceError(f"{method} {shown}: {problem}; gave up after {attempt} attempts", _RETRY_HINT)
            self._sleep(self._delay(attempt, wait))

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self._max_retry_after)
        ceiling = min(self._max_backoff, self._backoff * 2 ** (attempt - 1))
        return ceiling * (0.5 + 0.5 * self._jitter())

    def _host_lock(self, host: str) -> threading.Lock:
        with self._locks_guard:
            return self._locks.setdefault(host, threading.Lock())

    def _exchange(
        self, method: str, url: httpx.URL, headers: dict[str, str], payload: Any
    ) -> tuple[int, httpx.Headers, bytes]:
        host = url.host
        # Holding the host's lock across the pause and the request keeps one connection per host.
        with self._host_lock(host):
            interval = self._intervals.get(host, self._default_interval)
            last = self._last_done.get(host)
            if last is not None and interval > 0:
                remaining = last + interval - self._clock()
                if remaining > 0:
                    self._sleep(remaining)
            try:
                with self._http.stream(method, url, headers=headers, json=payload) as response:
                    declared = response.headers.get("content-length", "")
                    if declared.isascii() and declared.isdigit() and int(declared) > self._max_bytes:
                        raise _TooLarge
                    chunks, size = [], 0
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if size > self._max_bytes:
                            raise _TooLarge
                        chunks.append(chunk)
                    return response.status_code, response.headers, b"".join(chunks)
            finally:
                self._last_done[host] = self._clock()
