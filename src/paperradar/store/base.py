"""The storage protocol every backend implements; the rest of paperradar knows only this."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Protocol

import numpy as np

from paperradar.models import CitationCount, Delivery, Filters, KeywordQuery, Paper, Subscriber
from paperradar.models.signal import CitationSnapshot, Signal
from paperradar.store.base_accounts import AccountStore, ShelfStore, VoteStore
from paperradar.store.base_graph import GraphStore

# Every retriever and ranker answers with (public paper id, score), best first.
Ranking = list[tuple[str, float]]
# Where a page of `latest` ends: the day (None when undated) and public id of its last paper.
LatestKey = tuple[date | None, str]


def latest_key(paper_id: str, score: float) -> LatestKey:
    """The key of a row of `latest` (its score is the day's ordinal, 0 when undated)."""
    return (date.fromordinal(int(score)) if score else None, paper_id)


@dataclass(frozen=True, slots=True)
class Stats:
    papers: int
    with_abstract: int
    with_citations: int
    with_arxiv_id: int
    years: tuple[int | None, int | None]
    database: str


@dataclass(frozen=True, slots=True)
class PendingText:
    """A paper waiting for a vector: what an embedder needs to embed it."""

    paper_id: str
    title: str
    abstract: str


@dataclass(frozen=True, slots=True)
class Candidate:
    """A stored paper an incoming record may be the same as, with the key that found it."""

    paper: Paper
    matched_on: str  # "arxiv", "doi" or "title"


# The store is one object per database, but its contract comes in parts, one per kind of data, so that a
# part of paperradar can say which slice it needs and a new kind of data adds a protocol, not 20 methods to one.


class PaperStore(Protocol):
    """Papers, their identities and citation counts. Writes happen inside `transaction()`; reads anywhere."""

    location: str

    def transaction(self, lock: str = "papers") -> AbstractContextManager[None]:
        """All writes inside commit together or not at all (nested calls join the outer one). `lock` names
        the writers it waits for where a backend can tell them apart: "papers" (imports, syncs, merges) or
        "people" (accounts, libraries, subscribers); SQLite has one lock for both."""
        ...

    # -- identity and writes -------------------------------------------------
    def candidates(self, arxiv_id: str | None, doi: str | None, title_fingerprint: str) -> list[Candidate]:
        """Stored papers sharing any identity key with a record, strongest keys first."""
        ...

    # -- the same, a batch at a time (an import's 2,000 records in a few statements, not 10,000) --
    def candidates_for(self, keys: Sequence[str]) -> dict[str, list[tuple[int, Paper]]]:
        """For each identity key ('arxiv:...', 'doi:...', 'title:...') that stored papers have, those
        papers with a number that orders them as they were added, oldest first."""
        ...

    def taken_ids(self, ids: Sequence[str]) -> set[str]:
        """Those of these public ids that stored papers hold."""
        ...

    def insert_papers(self, papers: Sequence[Paper]) -> None:
        """Store new papers (public ids set), in order; their identity keys come with `add_keys`."""
        ...

    def update_papers(self, papers: Sequence[Paper]) -> None:
        """Overwrite stored papers' fields, each by its public id."""
        ...

    def add_keys(self, rows: Sequence[tuple[str, str, int | None]]) -> None:
        """Make stored papers known by more identity keys: (paper id, key, year) rows. A key's year,
        once known, stays."""
        ...

    def add_citation_snapshots(self, rows: Sequence[tuple[str, CitationCount]]) -> set[int]:
        """Record dated counts, (paper id, count) rows; the positions of the rows that were new."""
        ...

    def identity_keys(self, paper_ids: Sequence[str]) -> dict[str, list[tuple[str, int | None]]]:
        """Every identity key ('arxiv:...', 'doi:...', 'title:...') with its year, of each of these papers."""
        ...

    def add_citation_snapshot(self, paper_id: str, count: CitationCount, extra: dict[str, Any] | None = None) -> bool:
        """Record a dated count from one source (with its details); history is kept. False if already recorded."""
        ...

    # -- reads ---------------------------------------------------------------
    def papers(self, ids: Sequence[str]) -> list[Paper]:
        """The papers with these public ids, in the order asked; unknown ids are left out."""
        ...

    def newest_year(self, before: int) -> int | None:
        """The newest publication year below `before` that any paper has (an index lookup)."""
        ...

    def added_on(self, ids: Sequence[str]) -> dict[str, date]:
        """The UTC day each paper entered this database (feeds date undated papers by it)."""
        ...

    def resolve(self, key: str) -> str | None:
        """The public id for a public id, arXiv id (any version) or DOI."""
        ...

    def citation_history(self, paper_id: str) -> list[CitationCount]:
        """Every citation count recorded for a paper, oldest first."""
        ...


class TextSearchStore(Protocol):
    """Keyword search: BM25 rankings from an index kept beside (SQLite) or inside (PostgreSQL) the database."""

    def keyword(self, query: KeywordQuery, limit: int, match_all: bool = True) -> Ranking:
        """BM25 ranking of papers matching the query (all terms, or any with match_all=False)."""
        ...

    def lexical(self, query: KeywordQuery, limit: int) -> Ranking:
        """BM25 ranking over any of the query's words (fast, from an index), honouring its filters,
        phrases, fields and exclusions."""
        ...

    def sync_text_index(self, wait: float = ...) -> int:
        """Bring the keyword index up to date with the papers; returns how many it (re)indexed. Waits
        up to `wait` seconds for another process writing the index, then raises TextIndexBusy."""
        ...

    def rebuild_text_index(self, wait: float = ...) -> int: ...

    def refresh_text_index(self) -> None:
        """Let searches see what other processes indexed (reads only; loading the index the first
        time in a process also catches it up)."""
        ...


class PaperListStore(Protocol):
    """Papers listed by a stored order (citations, recency) under filters, and corpus figures."""

    def by_citations(self, filters: Filters, limit: int, offset: int = 0) -> Ranking:
        """Papers with a citation count, most cited first; ties go to the paper known longest."""
        ...

    def latest(self, filters: Filters, limit: int, offset: int = 0, after: LatestKey | None = None) -> Ranking:
        """Papers newest first by listing or publication date (the undated last), then the last added
        first; the score is the day's ordinal (0 when undated). With `after`, the papers that follow that
        key in this order, however many were added since (keyset paging: no offset with it)."""
        ...

    def count(self, filters: Filters | None = None) -> int: ...

    def stats(self) -> Stats: ...

    def meta(self, key: str) -> str | None:
        """A fact about the database as a whole (the `meta` table), e.g. "demo": the day its demo data ends."""
        ...

    def set_meta(self, key: str, value: str) -> None: ...

    def iter_papers(self, batch_size: int = 1000) -> Iterator[Paper]:
        """Every paper, in the order they were added."""
        ...


class VectorStore(Protocol):
    """Paper embeddings per model, and nearest-neighbour search over them."""

    # -- embeddings and vector search ---------------------------------------------
    def pending_embeddings(self, model: str, limit: int, after: str | None = None) -> list[PendingText]:
        """Papers (after the one with id `after`, in insertion order) that have no vector from `model`."""
        ...

    def count_pending_embeddings(self, model: str) -> int: ...

    def put_embeddings(self, model: str, rows: Sequence[tuple[str, str, np.ndarray]]) -> int:
        """Store (paper id, text hash, unit vector) rows; inside a transaction."""
        ...

    def drop_embeddings_except(self, model: str) -> int: ...

    def embedding(self, model: str, paper_id: str) -> np.ndarray | None: ...

    def embeddings(self, model: str, paper_ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors of these papers (those that have one)."""
        ...

    def has_embeddings(self, model: str) -> bool: ...

    def embedding_models(self) -> dict[str, int]: ...

    def nearest(
        self,
        model: str,
        vector: np.ndarray,
        limit: int,
        filters: Filters | None = None,
        exclude: Sequence[str] = (),
        among: Sequence[str] | None = None,
    ) -> Ranking:
        """Papers by cosine similarity of their `model` vectors to `vector`, filtered, best first;
        `among` restricts the candidates to those papers."""
        ...

    def rebuild_vector_index(self, model: str, dimensions: int) -> int:
        """Build the model's vector index afresh from the stored vectors; returns its size."""
        ...

    def sync_vector_index(self, model: str, dimensions: int) -> int:
        """Add vectors written since the index was saved, save it; returns its size."""
        ...

    def bulk_vectors(self) -> AbstractContextManager[None]:
        """Around writing many vectors (a copy, a first embedding): the vector index is built once
        at the end instead of row by row where that is faster."""
        ...


class QueryMatchStore(Protocol):
    """The exact query checks (phrases, fields, exclusions) that approximate retrievers cannot make."""

    def matching(self, ids: Sequence[str], query: KeywordQuery) -> set[str]:
        """The ids (of those given) that satisfy the query's phrases and fields and lack its excluded words."""
        ...


class IndexStore(Protocol):
    """The process-local index caches and the connection's lifetime."""

    def save_vector_indexes(self) -> None:
        """Persist vector indexes that changed in this process (cheap when none did)."""
        ...

    def close(self) -> None: ...


class SignalStore(Protocol):
    """What live sources bring: dated signals, citation snapshots, and where each sync got to."""

    # -- live sources: signals, citation snapshots, sync state ------------------
    def set_citations(self, paper_id: str, count: CitationCount) -> bool:
        """Make `count` the paper's shown citation count; False if it already was."""
        ...

    def citation_snapshots(self, paper_id: str) -> list[CitationSnapshot]:
        """Every citation snapshot of a paper with its details, oldest first."""
        ...

    def citation_targets(self, source: str, read_before: date, limit: int) -> list[Paper]:
        """Papers with an arXiv id or DOI whose newest `source` snapshot is older than `read_before` (or absent)."""
        ...

    def add_signal(self, paper_id: str, signal: Signal) -> bool:
        """Record a signal (one per source, kind and day; a re-read that day replaces it). False if unchanged."""
        ...

    def signals(self, paper_id: str) -> list[Signal]:
        """A paper's signals, oldest first."""
        ...

    def sync_state(self, name: str) -> SyncState | None:
        """Where the named sync got to, or None before its first run."""
        ...

    def save_sync_state(self, state: SyncState) -> None:
        """Remember where a sync got to; call inside the transaction that wrote what it fetched."""
        ...


class FeedStore(Protocol):
    """Reads for the daily feed, best-of by age and trending."""

    # -- the daily feed and trending (store/feed.py) ----------------------------
    def listed(self, start: date, end: date, filters: Filters | None = None) -> list[tuple[str, date]]:
        """(paper id, day) of papers whose listing day (else publication day) is in [start, end], newest first."""
        ...

    def listing_day(self, before: date | None = None, after: date | None = None,
                    filters: Filters | None = None) -> date | None:  # fmt: skip
        """The nearest listing day before `before` or after `after`; with neither, the newest one."""
        ...

    def active(self, start: date, end: date, filters: Filters | None = None) -> list[tuple[str, date | None]]:
        """(paper id, listing day) of papers listed, signalled or citation-counted in [start, end]."""
        ...

    def by_citations_per_year(self, filters: Filters, this_year: int, limit: int, offset: int = 0) -> Ranking:
        """Papers with a count and a year by citations per year since publication (its year counts as one)."""
        ...

    def newest_activity(self) -> date | None:
        """The newest day anything was listed or signalled."""
        ...

    def signals_of(self, ids: Sequence[str], kinds: Sequence[str], until: date) -> dict[str, list[Signal]]:
        """Signals of these kinds read up to `until`, per paper, oldest first (one batch read)."""
        ...

    def snapshots_of(self, ids: Sequence[str], until: date) -> dict[str, list[CitationCount]]:
        """Dated citation snapshots up to `until`, per paper, oldest first (one batch read)."""
        ...


class SubscriberStore(Protocol):
    """Digest subscribers, one per address (compared without regard to case)."""

    def add_subscriber(self, email: str, now: datetime, user_id: int | None = None,
                       confirmed: bool = False) -> tuple[Subscriber, bool]:  # fmt: skip
        """The subscriber for `email`, made (pending, or active when `confirmed`) if new or unsubscribed;
        True when it was made or revived. An active address stays as it is."""
        ...

    def subscriber(self, email: str) -> Subscriber | None: ...

    def confirm_subscriber(self, email: str, now: datetime) -> Subscriber | None:
        """Make a pending subscriber active; an active one stays; None for an unknown or unsubscribed address."""
        ...

    def unsubscribe(self, email: str, now: datetime) -> bool:
        """Stop mail to an address; False when it was not subscribed."""
        ...

    def subscribers(self, status: str | None = None, after_id: int = 0, limit: int = 1000) -> list[Subscriber]:
        """Subscribers (of one status, or all) with ids above `after_id`, by id: page on with the last id."""
        ...

    def note_confirmation(self, email: str, now: datetime, not_since: datetime) -> bool:
        """Record that a confirmation mail goes to this pending address now, unless one went after
        `not_since` (then False: send none). Atomic, so two requests at once send one mail."""
        ...

    def forget_confirmation(self, email: str) -> None:
        """Undo `note_confirmation` for a mail that could not be sent, so asking again sends one."""
        ...


class DeliveryStore(Protocol):
    """Which digest went to whom: one row per (subscriber, day), claimed before the send, finished after."""

    def due_subscribers(self, day: date, after_id: int, limit: int) -> list[Subscriber]:
        """Active subscribers above `after_id`, by id, whose digest of `day` is not sent or refused yet."""
        ...

    def claim_deliveries(self, subscriber_ids: Sequence[int], day: date, worker: str, now: datetime,
                         stale_before: datetime) -> list[int]:  # fmt: skip
        """Claim these subscribers' digests of `day` for `worker`, committed before returning: rows new,
        failed, or 'sending' since before `stale_before` (a run that died). Returns the ids claimed."""
        ...

    def renew_claim(self, subscriber_id: int, day: date, worker: str, now: datetime) -> bool:
        """Refresh `worker`'s 'sending' claim to `now`, committed; False if another run took it meanwhile."""
        ...

    def finish_delivery(self, subscriber_id: int, day: date, worker: str, status: str, now: datetime,
                        message_id: str | None = None, error: str | None = None) -> bool:  # fmt: skip
        """Record how a claimed send ended (sent, refused or failed), committed; False if the claim was lost."""
        ...

    def release_claims(self, day: date, workers: Sequence[str], now: datetime, error: str) -> int:
        """Mark the 'sending' rows of these workers (runs known to be dead) failed, so they are due again."""
        ...

    def claimants(self, day: date) -> list[str]:
        """The workers holding 'sending' claims on a day (to find those of runs that died)."""
        ...

    def deliveries(self, day: date) -> list[Delivery]:
        """Every delivery row of a day, by subscriber id."""
        ...


class Store(
    PaperStore,
    TextSearchStore,
    PaperListStore,
    VectorStore,
    QueryMatchStore,
    IndexStore,
    SignalStore,
    FeedStore,
    SubscriberStore,
    DeliveryStore,
    AccountStore,
    ShelfStore,
    VoteStore,
    GraphStore,
    Protocol,
):
    """A paper database: every part of the contract. Backends implement this whole; code may ask for a part.

    `clock` gives the UTC time the store writes into rows it stamps (updated_at and the like): the
    system's until the service hands it the settings' one clock, so a replay stamps its own days."""

    clock: Callable[[], datetime]


def system_now() -> datetime:
    """The store's clock until the service sets `Store.clock` (the store reads no settings)."""
    return datetime.now(UTC)


@dataclass(slots=True)
class SyncState:
    """Where one sync got to: the next starting point, and the resumption point of a harvest in progress."""

    name: str
    last_datestamp: date | None = None
    resumption_token: str | None = None
    cursor: dict[str, Any] = field(default_factory=dict)
