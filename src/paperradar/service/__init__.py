"""The service facade: every use case is one method of `Library`. The web app, the CLI and the jobs
call only this, so the JSON API and the HTML pages always agree. `Library` joins one class per
capability, each in its module beside this one: `importing`, `indexes`, `syncing`, `papers`,
`searching`, `ranking` (over `base`, what they share); use cases with state of their own (accounts,
shelf, digests...) hang off it as attributes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cached_property

from paperradar.embed import Embedder
from paperradar.errors import InputError
from paperradar.ingest.copy import CopySummary, copy_store
from paperradar.models.account import SavedSearch
from paperradar.service.accounts import Accounts
from paperradar.service.alerts import Alerts
from paperradar.service.digests import Digests
from paperradar.service.graph import CitationGraph
from paperradar.service.importing import Importing
from paperradar.service.indexes import Indexes
from paperradar.service.papers import Papers
from paperradar.service.ranking import NO_SIGNALS, Ranking
from paperradar.service.recommend_for import Recommender
from paperradar.service.results import MAX_LIMIT, MAX_WINDOW, FeedPage, Hit, Page, check_filters, check_limit
from paperradar.service.searching import Searching
from paperradar.service.shelf import Shelf
from paperradar.service.syncing import Syncing
from paperradar.settings import Settings
from paperradar.store import Store, open_store
from paperradar.store import migrate as migrate_database
from paperradar.tokens import Signer, load_secret

__all__ = ["MAX_LIMIT", "MAX_WINDOW", "NO_SIGNALS", "FeedPage", "Hit", "Library", "Page", "check_filters",
           "check_limit"]  # fmt: skip


class Library(Importing, Syncing, Indexes, Searching, Papers, Ranking):
    """paperradar's use cases over one store."""

    def __init__(self, settings: Settings, store: Store, embedder: Embedder | None = None) -> None:
        super().__init__(settings, store, embedder)
        self._signer: Signer | None = None
        self._digests: Digests | None = None

    @classmethod
    def open(cls, settings: Settings) -> Library:
        library = cls(settings, open_store(settings.database, settings.home / "indexes"))
        library.store.refresh_text_index()  # loads the keyword index (catching it up) before any search
        return library

    @staticmethod
    def migrate(settings: Settings) -> list[str]:
        """Bring the database's schema up to date without opening a library; returns the migrations applied."""
        return migrate_database(settings.database)

    @staticmethod
    def copy(source_url: str, target_url: str, on_batch: Callable[[CopySummary], None] | None = None) -> CopySummary:
        """Copy a whole corpus between two databases of any backends (resumable: run again to continue)."""
        if source_url == target_url:
            raise InputError("copy: --from and --to name the same database")
        source = open_store(source_url)
        try:
            target = open_store(target_url)
            try:
                return copy_store(source, target, on_batch=on_batch)
            finally:
                target.close()
        finally:
            source.close()

    def close(self) -> None:
        if self._digests is not None:
            self._digests.close()  # mails queued by the subscribe form go out before the store closes
        self.store.close()

    @property
    def signer(self) -> Signer:
        """Signs sessions, CSRF tokens and emailed links with the instance's secret key (made on first use)."""
        if self._signer is None:
            self._signer = Signer(load_secret(self.settings.secret_key, self.settings.home))
        return self._signer

    # -- accounts and what belongs to a user (service/accounts.py, shelf.py, alerts.py, recommend_for.py) --
    @cached_property
    def accounts(self) -> Accounts:
        return Accounts(self.store, self.signer, self.settings)

    @cached_property
    def shelf(self) -> Shelf:
        return Shelf(self)

    @cached_property
    def recommender(self) -> Recommender:
        return Recommender(self)

    @cached_property
    def saved_searches(self) -> Alerts:
        return Alerts(self)

    @cached_property
    def graph(self) -> CitationGraph:
        return CitationGraph(self)

    def alerts(self, user_id: int, since: date, until: date) -> list[tuple[SavedSearch, list[Hit]]]:
        """Each of the user's saved searches with the papers it matches listed in [since, until]."""
        return self.saved_searches.alerts(user_id, since, until)

    def recommendations(self, user_id: int, limit: int = 20, tag: str | None = None) -> Page:
        """Papers like the user's library (or one tag of it), each Hit's `why` naming the saved papers it is like."""
        return self.recommender.recommend(user_id, limit, tag)

    @property
    def digests(self) -> Digests:
        """Subscriptions and the daily digest (service/digests.py)."""
        if self._digests is None:
            self._digests = Digests(self)
        return self._digests
