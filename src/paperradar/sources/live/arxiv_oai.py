"""arXiv OAI-PMH harvesting: ListRecords pages as papers, with the resumption state to persist between pages.

API:
    harvest = ArxivOai(client, metadata_prefix="arXiv", set_spec="cs", from_=date(2026, 1, 1), until=None,
                       resumption_token=None, base_url=OAI_URL)
    for page in harvest.pages():          # one HTTP request per page (arXiv paces us at 3 s)
        page.records                      # list[Record | BadRecord], in the repository's order
        page.deleted                      # arXiv ids whose header has status="deleted" (never papers)
        page.datestamps                   # {arxiv id: datestamp} for every header on the page, deleted too
        page.resumption_token             # persist it to resume; None once the list is complete
        page.response_date                # the server's clock: after a complete harvest, the next from_
        page.cursor, page.complete_list_size, page.last_datestamp, page.is_last
    harvest.read() / harvest.progress()   # the Source protocol, over the same pages
    harvest.get_record("1302.2146")       # GetRecord: a Record, a BadRecord, or None if arXiv has no such id

Resuming: start a new ArxivOai with `resumption_token=` the stored token (and the harvest's `from_`, used
in messages). Tokens expire; an expired one raises ResumptionTokenExpired and the harvest must restart from
the datestamp it started from. Records come in identifier order, not datestamp order (see the recorded
pages), so a partial harvest gives no later safe starting point; only a complete one lets the next `from_`
advance, to the first page's response_date (day granularity: the overlap is harmless, ingest is idempotent).
`noRecordsMatch` (nothing changed, or an unknown set) is one empty, complete page. 503 + Retry-After is
arXiv's flow control and is handled by the client. Papers carry: arXiv id without version, whitespace-
normalised title and abstract, authors as "First Last", categories (primary first), the first DOI,
journal-ref as venue, published = the v1 date, and listing_date = the header datestamp for a paper still at
v1 stamped within LISTING_WINDOW of its submission (OAI-PMH has no announcement date; see _listing_date).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from xml.etree.ElementTree import Element

from paperradar.errors import InputError, SourceError
from paperradar.models import normalise_arxiv_id
from paperradar.sources.base import BadRecord, Record
from paperradar.sources.files.arxiv_snapshot import detex
from paperradar.sources.files.fields import FieldError, parse_authors, to_paper
from paperradar.sources.live.http import Fetched, PoliteClient

OAI_URL = "https://oaipmh.arxiv.org/oai"
OAI = "{http://www.openarchives.org/OAI/2.0/}"
FORMATS = {"arXiv": "{http://arxiv.org/OAI/arXiv/}", "arXivRaw": "{http://arxiv.org/OAI/arXivRaw/}"}
LISTING_WINDOW = timedelta(days=31)
_PARENTHESES = re.compile(r"\([^()]*\)")  # arXivRaw puts affiliations in (nested) parentheses


class ResumptionTokenExpired(SourceError):
    """arXiv refused a resumption token (badResumptionToken): the harvest must restart from a datestamp."""

    def __init__(self, message: str, token: str) -> None:
        super().__init__(message, "restart the harvest from the datestamp it started from")
        self.token = token


@dataclass(frozen=True, slots=True)
class Page:
    """One ListRecords response and the state needed to ask for the next."""

    url: str
    records: list[Record | BadRecord] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    datestamps: dict[str, date] = field(default_factory=dict)
    resumption_token: str | None = None
    cursor: int | None = None
    complete_list_size: int | None = None
    response_date: datetime | None = None

    @property
    def is_last(self) -> bool:
        return self.resumption_token is None

    @property
    def last_datestamp(self) -> date | None:
        """The newest datestamp on the page (pages are in identifier order, so this is not monotonic)."""
        return max(self.datestamps.values(), default=None)


def _text(parent: Element, tag: str) -> str | None:
    node = parent.find(tag)
    return node.text if node is not None and node.text and node.text.strip() else None


def _authors_arxiv(meta: Element, ns: str) -> list[str]:
    names = []
    for author in meta.iterfind(f"{ns}authors/{ns}author"):
        parts = [_text(author, f"{ns}{tag}") for tag in ("forenames", "keyname", "suffix")]
        name = " ".join(" ".join(p.split()) for p in parts if p)
        if name:
            names.append(detex(name))
    return names


def _authors_raw(text: str | None) -> list[str]:
    if not text:
        return []
    previous = None
    while previous != text:
        previous, text = text, _PARENTHESES.sub(" ", text)
    return [detex(name) for name in parse_authors(text)]


def _v1_date(meta: Element, ns: str) -> str | None:
    created = _text(meta, f"{ns}created")  # the arXiv format: the v1 date as YYYY-MM-DD
    if created:
        return created.strip()
    for version in meta.iterfind(f"{ns}version"):  # arXivRaw: every version, RFC 2822 dates
        if version.get("version") == "v1":
            stamp = _text(version, f"{ns}date")
            try:
                return parsedate_to_datetime(stamp or "").date().isoformat()
            except (TypeError, ValueError, IndexError):
                raise FieldError(f"version v1 date: {(stamp or '')[:40]!r} is not a date") from None
    return None


def _listing_date(meta: Element, ns: str, stamp: date | None, v1: str | None) -> date | None:
    """The announcement day, as far as OAI-PMH tells it: neither format carries it, but a paper still at
    v1 whose header was stamped within LISTING_WINDOW of its submission was announced that day (new
    papers, and papers released late from moderation). Later stamps mark metadata edits, not listings."""
    if stamp is None or not v1:
        return None
    several = meta.find(f"{ns}updated") is not None or len(meta.findall(f"{ns}version")) > 1
    try:
        submitted = date.fromisoformat(v1)
    except ValueError:
        return None
    return stamp if not several and timedelta(0) <= stamp - submitted <= LISTING_WINDOW else None


def parse_record(record: Element, location: str) -> tuple[str | None, date | None, bool, Record | BadRecord | None]:
    """(arXiv id, datestamp, deleted?, the paper) for one OAI <record>; the paper is None when deleted."""
    header = record.find(f"{OAI}header")
    if header is None:
        return None, None, False, BadRecord(location, "record without a header")
    identifier = _text(header, f"{OAI}identifier") or ""
    where = f"{location}#{identifier}"
    arxiv_id = normalise_arxiv_id(identifier)
    try:
        stamp = date.fromisoformat((_text(header, f"{OAI}datestamp") or "")[:10])
    except ValueError:
        stamp = None
    if header.get("status") == "deleted":
        return arxiv_id, stamp, True, None
    if arxiv_id is None:
        return None, stamp, False, BadRecord(where, f"identifier {identifier[:80]!r} is not an arXiv id")
    metadata = record.find(f"{OAI}metadata")
    found = [(ns, metadata.find(f"{ns}{name}")) for name, ns in FORMATS.items()] if metadata is not None else []
    ns, meta = next(((ns, m) for ns, m in found if m is not None), ("", None))
    if meta is None:
        return arxiv_id, stamp, False, BadRecord(where, "no arXiv or arXivRaw metadata")
    try:
        authors = _authors_arxiv(meta, ns) if ns == FORMATS["arXiv"] else _authors_raw(_text(meta, f"{ns}authors"))
        dois = (_text(meta, f"{ns}doi") or "").split()
        native: dict[str, Any] = {
            "id": arxiv_id,
            "title": _text(meta, f"{ns}title"),
            "abstract": _text(meta, f"{ns}abstract"),
            "authors": authors or None,
            "categories": _text(meta, f"{ns}categories"),
            "doi": dois[0] if dois else None,
            "venue": _text(meta, f"{ns}journal-ref"),
            "published": _v1_date(meta, ns),
        }
        listed = _listing_date(meta, ns, stamp, native["published"])
        native["listing_date"] = listed.isoformat() if listed else None
        return arxiv_id, stamp, False, Record(to_paper(native), where)
    except FieldError as exc:
        return arxiv_id, stamp, False, BadRecord(where, str(exc))


def _oai_error(root: Element) -> tuple[str, str] | None:
    error = root.find(f"{OAI}error")
    if error is None:
        return None
    return error.get("code", "unknown"), " ".join((error.text or "").split())


def _response_date(root: Element) -> datetime | None:
    try:
        return datetime.fromisoformat((_text(root, f"{OAI}responseDate") or "").strip().replace("Z", "+00:00"))
    except ValueError:
        return None


class ArxivOai:
    """A ListRecords harvest of arXiv over OAI-PMH; see the module docstring."""

    name = "arxiv-oai"

    def __init__(
        self,
        client: PoliteClient,
        *,
        metadata_prefix: str = "arXiv",
        set_spec: str | None = None,
        from_: date | None = None,
        until: date | None = None,
        resumption_token: str | None = None,
        base_url: str = OAI_URL,
    ) -> None:
        if metadata_prefix not in FORMATS:
            raise InputError(f"metadata format {metadata_prefix!r} is not one of {', '.join(FORMATS)}")
        self._client = client
        self._prefix, self._set, self._from, self._until = metadata_prefix, set_spec, from_, until
        self._token = resumption_token
        self._base = base_url
        self._done = 0
        self._total: int | None = None

    def pages(self) -> Iterator[Page]:
        token = self._token
        while True:
            page = self._fetch(token)
            self._total = page.complete_list_size if page.complete_list_size is not None else self._total
            before = page.cursor if page.cursor is not None else self._done
            self._done = before + len(page.records) + len(page.deleted)
            yield page
            if page.is_last:
                return
            token = page.resumption_token

    def read(self) -> Iterator[Record | BadRecord]:
        for page in self.pages():
            yield from page.records

    def progress(self) -> tuple[int, int | None]:
        return self._done, self._total

    def get_record(self, arxiv_id: str) -> Record | BadRecord | None:
        """One paper by arXiv id, or None when arXiv has no such item."""
        oai_id = f"oai:arXiv.org:{normalise_arxiv_id(arxiv_id) or arxiv_id}"
        params = {"verb": "GetRecord", "identifier": oai_id, "metadataPrefix": self._prefix}
        fetched = self._client.get(self._base, params=params)
        root = self._root(fetched)
        error = _oai_error(root)
        if error and error[0] == "idDoesNotExist":
            return None
        if error:
            raise SourceError(f"{fetched.url}: arXiv OAI-PMH error {error[0]}: {error[1]}")
        for record in root.iterfind(f"{OAI}GetRecord/{OAI}record"):
            return parse_record(record, fetched.url)[3]
        raise SourceError(f"{fetched.url}: GetRecord answered without a record")

    def _root(self, fetched: Fetched) -> Element:
        root = fetched.xml()
        if root.tag != f"{OAI}OAI-PMH":
            raise SourceError(f"{fetched.url}: not an OAI-PMH response (root element {root.tag!r})")
        return root

    def _fetch(self, token: str | None) -> Page:
        params: dict[str, str | None] = {"verb": "ListRecords"}
        if token:
            params["resumptionToken"] = token  # OAI-PMH: the token is exclusive of every other argument
        else:
            params["metadataPrefix"] = self._prefix
            params["set"] = self._set
            params["from"] = self._from.isoformat() if self._from else None
            params["until"] = self._until.isoformat() if self._until else None
        fetched = self._client.get(self._base, params=params)
        root = self._root(fetched)
        error = _oai_error(root)
        if error and error[0] == "noRecordsMatch":
            return Page(fetched.url, response_date=_response_date(root))
        if error and error[0] == "badResumptionToken":
            start = f"from={self._from.isoformat()}" if self._from else "the datestamp the harvest started from"
            raise ResumptionTokenExpired(
                f"{fetched.url}: arXiv refused resumption token {token!r} ({error[1]}); "
                f"restart the harvest from {start}",
                token or "",
            )
        if error:
            raise SourceError(f"{fetched.url}: arXiv OAI-PMH error {error[0]}: {error[1]}")
        listing = root.find(f"{OAI}ListRecords")
        if listing is None:
            raise SourceError(f"{fetched.url}: OAI-PMH response without ListRecords or error")
        page = Page(fetched.url, response_date=_response_date(root))
        for record in listing.iterfind(f"{OAI}record"):
            arxiv_id, stamp, deleted, item = parse_record(record, fetched.url)
            if arxiv_id and stamp:
                page.datestamps[arxiv_id] = stamp
            if deleted and arxiv_id:
                page.deleted.append(arxiv_id)
            elif item is not None:
                page.records.append(item)
        return self._with_token(page, listing.find(f"{OAI}resumptionToken"))

    @staticmethod
    def _with_token(page: Page, node: Element | None) -> Page:
        if node is None:
            return page

        def number(name: str) -> int | None:
            value = (node.get(name) or "").strip()
            return int(value) if value.isascii() and value.isdigit() else None

        token = (node.text or "").strip() or None  # an empty token element marks the last page
        return Page(
            page.url,
            page.records,
            page.deleted,
            page.datestamps,
            token,
            number("cursor"),
            number("completeListSize"),
            page.response_date,
        )
