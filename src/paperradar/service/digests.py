"""Subscriptions and the daily digest: the use cases behind the subscribe form, the emailed links,
`paperradar subscribers`, `paperradar digest send` and the worker's digest job."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from paperradar.digest import (
    DigestRenderer,
    DigestRun,
    DigestSection,
    Mail,
    SendSummary,
    compose,
    normalise_email,
    smtp_timeout,
    subject,
)
from paperradar.errors import ConfigError, InputError
from paperradar.mail import Mailer, MailError
from paperradar.models import Subscriber

if TYPE_CHECKING:
    from paperradar.service import Library

log = logging.getLogger("paperradar.digest")
CONFIRM_DAYS = 7
_WINDOW_DAYS = {"day": 1, "week": 7, "month": 30}
_RECOMMENDATION_POOL = 500  # nearest papers to a library, of which those listed in the digest's days are shown
CONFIRM = "digest-confirm"
UNSUBSCRIBE = "digest-unsubscribe"


class Digests:
    """Subscribers and digests over one Library's store, settings and signer."""

    def __init__(self, library: Library) -> None:
        self._library = library
        self._renderer: DigestRenderer | None = None
        self._outbox = ThreadPoolExecutor(max_workers=1, thread_name_prefix="paperradar-confirmations")

    def _now(self) -> datetime:
        return self._library.settings.clock.now()

    @property
    def site_url(self) -> str:
        s = self._library.settings
        return (s.public_url or f"http://{s.host}:{s.port}").rstrip("/")

    @property
    def renderer(self) -> DigestRenderer:
        if self._renderer is None:
            self._renderer = DigestRenderer(self.site_url, self._library.settings.mail_from)
        return self._renderer

    def _mailer(self, timeout: float = 30.0) -> Mailer:
        s = self._library.settings
        if not s.smtp_url:
            raise ConfigError("PAPERRADAR_SMTP_URL: not set, so paperradar sends no email",
                              hint="set it to your mail relay, e.g. smtp://localhost:25")  # fmt: skip
        return Mailer(s.smtp_url, s.mail_from, timeout)

    # -- subscribing ------------------------------------------------------------------------------
    def subscribe(self, email: str, user_id: int | None = None) -> Subscriber:
        """Ask for the digest: a pending address gets a (fresh) confirmation link, an active one nothing.
        The caller shows the same answer either way, so the form tells nobody who is subscribed."""
        address = normalise_email(email)
        mailer = self._mailer()  # before storing anything: without mail there is no way to confirm
        now = self._now()
        subscriber, _ = self._library.store.add_subscriber(address, now, user_id=user_id)
        # One confirmation an hour per address, whatever the IPs asking: the form cannot flood a mailbox.
        if subscriber.status == "pending" and self._library.store.note_confirmation(
            subscriber.email, now, now - timedelta(hours=1)
        ):
            token = self._library.signer.sign(CONFIRM, subscriber.email)
            url = f"{self.site_url}/subscribe/confirm?token={token}"
            try:
                mailer.send(self.renderer.confirmation(subscriber.email, url, CONFIRM_DAYS, now))
            except MailError:
                self._library.store.forget_confirmation(subscriber.email)  # so trying again later sends it
                raise
        return subscriber

    def subscribe_later(self, email: str) -> None:
        """`subscribe` for the web form: the address and the mail setting are checked here, the store and
        the mail happen on a background thread. The form then answers at once, in the same time for a
        new, a pending and an active address, and a slow relay holds no request."""
        address = normalise_email(email)
        self._mailer()
        self._outbox.submit(self._subscribe_logged, address)

    def _subscribe_logged(self, address: str) -> None:
        try:
            self.subscribe(address)
        except Exception:  # nobody waits for this answer: the log is where it goes
            log.exception("could not send the digest confirmation to %s", address)

    def close(self) -> None:
        """Finish the confirmations still queued (the store closes after)."""
        self._outbox.shutdown(wait=True)

    def add_subscriber(self, email: str, confirmed: bool = False) -> tuple[Subscriber, bool]:
        """For operators: `confirmed` makes the address active at once (no mail); else as `subscribe`.
        True when the address was new or revived."""
        if not confirmed:
            before = self._library.store.subscriber(normalise_email(email))
            subscriber = self.subscribe(email)
            return subscriber, before is None or before.status == "unsubscribed"
        return self._library.store.add_subscriber(normalise_email(email), self._now(), confirmed=True)

    def confirm_address(self, token: str) -> str:
        """The address a confirmation link was made for (InvalidToken when it is not one of ours, or old)."""
        return str(self._library.signer.unsign(CONFIRM, token, max_age=CONFIRM_DAYS * 86_400))

    def confirm(self, token: str) -> Subscriber:
        """Activate the subscription a confirmation link was made for."""
        subscriber = self._library.store.confirm_subscriber(self.confirm_address(token), self._now())
        if subscriber is None:
            raise InputError("token: this address has unsubscribed since; subscribe again to get the digest")
        return subscriber

    def unsubscribe_url(self, email: str) -> str:
        """The signed one-click link of an address (no expiry: it is in every digest ever sent)."""
        return f"{self.site_url}/unsubscribe?token={self._library.signer.sign(UNSUBSCRIBE, email)}"

    def unsubscribe_address(self, token: str) -> str:
        """The address an unsubscribe link was made for (InvalidToken when it is not one of ours)."""
        return str(self._library.signer.unsign(UNSUBSCRIBE, token))

    def unsubscribe(self, token: str) -> bool:
        """Stop the digest to the address of a signed link; False when it was not subscribed."""
        return self._library.store.unsubscribe(self.unsubscribe_address(token), self._now())

    def subscribers(self, status: str | None = None) -> list[Subscriber]:
        if status not in (None, "pending", "active", "unsubscribed"):
            raise InputError(f"status: must be pending, active or unsubscribed, got {str(status)[:20]!r}")
        found: list[Subscriber] = []
        while page := self._library.store.subscribers(status, found[-1].id if found else 0, 1000):
            found += page
        return found

    # -- the digest -------------------------------------------------------------------------------
    def trending_section(self, day: date) -> DigestSection:
        s = self._library.settings
        page = self._library.trending(s.digest_window, day, limit=s.digest_size)
        return DigestSection(page.title, page.hits, "trending")

    def personal_sections(self, subscriber: Subscriber, day: date) -> list[DigestSection]:
        """Recommendations and saved-search alerts for a subscriber who has an account.

        The account is found by the subscriber's address, and only a verified one counts: the confirmed
        subscription and the verified account both prove the same mailbox, so nobody can route someone
        else's recommendations to an inbox by subscribing it while signed in.
        """
        user = self._library.store.user_by_email(subscriber.email)
        if user is None or not user.verified:
            return []
        s = self._library.settings
        since = day - timedelta(days=_WINDOW_DAYS[s.digest_window] - 1)  # the days the trending section covers
        sections = [
            DigestSection(f"New for your search “{search.name}”", hits[: s.digest_size], "alert")
            for search, hits in self._library.alerts(user.id, since, day)
            if hits
        ]
        # Papers like their library among the new ones: the same old favourites every morning are no news.
        candidates = self._library.recommendations(user.id, limit=_RECOMMENDATION_POOL).hits
        recommended = [h for h in candidates if h.paper.listing_date and since <= h.paper.listing_date <= day]
        recommended = recommended[: s.digest_size]
        if recommended:
            sections.insert(0, DigestSection("Recommended for you", recommended, "recommended"))
        return sections

    def sections(self, subscriber: Subscriber, day: date, trending: DigestSection | None = None) -> list[DigestSection]:
        """What a subscriber's digest of a day holds: trending, then their personal sections."""
        trending = trending or self.trending_section(day)
        return compose(trending, self.personal_sections(subscriber, day))

    def send(self, day: date | None = None, dry_run: bool = False) -> SendSummary:
        """Send each due, confirmed subscriber one digest of `day` (default: today, UTC); see docs/digest.md."""
        day = day or self._now().date()
        trending = self.trending_section(day)
        summary = SendSummary(day, dry_run=dry_run, papers=len(trending.hits))
        if not trending.hits:  # nothing to say: send nothing, record nothing, so a run after the sync still sends
            return summary
        shared = self.renderer.shared(day, [trending])

        def build(subscriber: Subscriber) -> Mail:
            sections = self.sections(subscriber, day, trending)
            return self.renderer.message(shared, sections[1:], subscriber.email, subject(day, sections),
                                         self.renderer.message_id(subscriber.id, day),
                                         self.unsubscribe_url(subscriber.email), self._now())  # fmt: skip

        s = self._library.settings
        run = DigestRun(self._library.store, day, build, s.digest_claim_timeout, s.clock.now, batch=s.digest_batch)
        if dry_run:
            return run.dry_run(summary)
        return run.send(summary, self._mailer(smtp_timeout(s.digest_claim_timeout)).session())
