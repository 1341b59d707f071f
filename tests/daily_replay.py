"""A month of arXiv as the live services would serve it, day by day, over real HTTP on 127.0.0.1.

    corpus = Corpus.load(path, first_day=date(2026, 6, 2), days=30)        # papers by listing day
    with DailyServices(corpus, page_size=1000) as services:
        services.today = date(2026, 6, 2)   # what the services have announced so far
        services.faults.add(Fault("oai", "503"))                           # the next OAI request: 503 + Retry-After
        services.base                       # http://127.0.0.1:PORT (OAI at /oai, HF at /api/daily_papers,
                                            # OpenAlex at /works, Semantic Scholar at /graph/v1/paper/batch)

Formats follow the recorded samples (tests/sources/fixtures, ../shared/data/api-samples):
- arXiv OAI-PMH `ListRecords` in the `arXiv` metadata format, records in identifier order, pages of up to
  `page_size` records with `<resumptionToken cursor completeListSize>`; `from`/`until` select header
  datestamps, and a paper's datestamp is its announcement day (the corpus' listing date). A token names
  the list it continues (range and the day it was made), so resuming it on a later day reads the same list.
- Hugging Face `daily_papers?date=D&limit&p`: a sample of the day's papers (about one in eight), with
  upvotes, comments, GitHub repos and stars that grow with each day since the listing.
- OpenAlex `works?filter=doi:...` and Semantic Scholar `POST /paper/batch`: citation counts that grow day by
  day from the listing; papers not announced yet are unknown (absent, or null for S2).

Faults (`Fault(service, kind)`, each fires once, on the next matching request): "503" (Retry-After: 1),
"timeout" (answers after `timeout_delay` seconds), "truncated" (a 200 whose XML stops half-way), "kill" (calls
`on_kill` before answering, e.g. to SIGKILL the worker, then drops the connection). A fault may wait for
the `nth` matching request of the day. Every request is counted in `served`.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import socket
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from xml.sax.saxutils import escape

OAI_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">\n'
)


def _spread(key: str, salt: str) -> int:
    """A stable pseudo-random number 0..9999 for a paper, so every run serves the same signals."""
    return int.from_bytes(hashlib.sha256(f"{salt}:{key}".encode()).digest()[:4], "big") % 10_000


@dataclass(frozen=True)
class CorpusPaper:
    id: str
    title: str
    authors: list[str]
    categories: list[str]
    abstract: str
    comment: str | None
    listed: date


@dataclass
class Corpus:
    """Consecutive days of the arXiv corpus, papers keyed by listing day."""

    days: list[date]
    papers: list[CorpusPaper]

    @classmethod
    def load(cls, path: Path, first_day: date, days: int, per_day: int | None = None) -> Corpus:
        """The papers listed on `days` calendar days from `first_day` (at most `per_day` a day, if given)."""
        wanted = [first_day + timedelta(n) for n in range(days)]
        last = wanted[-1]
        taken: Counter[date] = Counter()
        papers = []
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                row = json.loads(line)
                listed = date.fromisoformat(row["listing_date"])
                if not first_day <= listed <= last or (per_day is not None and taken[listed] >= per_day):
                    continue
                taken[listed] += 1
                papers.append(CorpusPaper(row["id"], row["title"], row["authors"], row["categories"],
                                          row["abstract"], row.get("comment"), listed))  # fmt: skip
        papers.sort(key=lambda p: p.id)  # OAI-PMH lists in identifier order
        return cls(wanted, papers)

    def announced(self, today: date) -> list[CorpusPaper]:
        return [p for p in self.papers if p.listed <= today]

    def picks(self, day: date) -> list[CorpusPaper]:
        """Hugging Face's picks of a day: about one in eight of its papers."""
        return [p for p in self.papers if p.listed == day and _spread(p.id, "pick") < 1250]

    def upvotes(self, paper: CorpusPaper, today: date) -> int:
        age = max(0, (today - paper.listed).days)
        return 1 + _spread(paper.id, "votes") % 40 + age * (1 + _spread(paper.id, "rate") % 12)

    def stars(self, paper: CorpusPaper, today: date) -> int | None:
        if _spread(paper.id, "repo") >= 4000:
            return None
        return _spread(paper.id, "stars") % 200 + max(0, (today - paper.listed).days) * (_spread(paper.id, "g") % 30)

    def citations(self, paper: CorpusPaper, today: date) -> int:
        age = max(0, (today - paper.listed).days)
        return (age * (_spread(paper.id, "cites") % 5)) // 3


@dataclass
class Fault:
    service: str  # "oai", "hf", "openalex", "s2"
    kind: str  # "503", "timeout", "truncated", "kill"
    nth: int = 1  # fires on the nth matching request after it was added


@dataclass
class Faults:
    pending: list[Fault] = field(default_factory=list)
    fired: list[Fault] = field(default_factory=list)
    _seen: Counter[str] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, fault: Fault) -> None:
        with self._lock:
            self.pending.append(fault)
            self._seen[fault.service] = 0

    def take(self, service: str) -> Fault | None:
        with self._lock:
            self._seen[service] += 1
            for fault in self.pending:
                if fault.service == service and self._seen[service] >= fault.nth:
                    self.pending.remove(fault)
                    self.fired.append(fault)
                    return fault
        return None


def _author_xml(name: str) -> str:
    forenames, _, keyname = name.rpartition(" ")
    inner = f"<keyname>{escape(keyname)}</keyname>" + (
        f"<forenames>{escape(forenames)}</forenames>" if forenames else ""
    )
    return f"<author>{inner}</author>"


def oai_record(paper: CorpusPaper) -> str:
    """One record in arXiv's `arXiv` metadata format, as the recorded pages have them."""
    created = paper.listed - timedelta(days=1)
    comment = f"<comments>{escape(paper.comment)}</comments>" if paper.comment else ""
    sets = " ".join(f"<setSpec>{c.split('.')[0]}</setSpec>" for c in dict.fromkeys(paper.categories[:1]))
    return (
        f"<record><header><identifier>oai:arXiv.org:{paper.id}</identifier>"
        f"<datestamp>{paper.listed.isoformat()}</datestamp>{sets}</header>"
        '<metadata><arXiv xmlns="http://arxiv.org/OAI/arXiv/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://arxiv.org/OAI/arXiv/ http://arxiv.org/OAI/arXiv.xsd">'
        f"<id>{paper.id}</id><created>{created.isoformat()}</created>"
        f"<authors>{''.join(_author_xml(a) for a in paper.authors)}</authors>"
        f"<title>{escape(paper.title)}</title>{comment}"
        f"<categories>{escape(' '.join(paper.categories))}</categories>"
        "<license>http://arxiv.org/licenses/nonexclusive-distrib/1.0/</license>"
        f"<abstract>{escape(paper.abstract)}</abstract></arXiv></metadata></record>"
    )


class DailyServices:
    """The four services over one corpus; see the module docstring."""

    def __init__(self, corpus: Corpus, page_size: int = 1000, timeout_delay: float = 3.0) -> None:
        self.corpus, self.page_size, self.timeout_delay = corpus, page_size, timeout_delay
        self.today = corpus.days[0]
        self.faults = Faults()
        self.on_kill: Callable[[], None] = lambda: None
        self.served: Counter[str] = Counter()
        self._stopping = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._httpd.handle_error = lambda request, address: None  # type: ignore[method-assign]
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> DailyServices:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    @property
    def base(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    # -- the answers ------------------------------------------------------------------------------
    def now(self) -> datetime:
        return datetime.combine(self.today, time(6, 0), tzinfo=UTC)

    def oai(self, query: dict[str, str]) -> tuple[int, str]:
        stamp = self.now().strftime("%Y-%m-%dT%H:%M:%SZ")
        head = f"{OAI_HEAD}<responseDate>{stamp}</responseDate>"
        if query.get("verb") != "ListRecords":
            error = '<error code="badVerb">only ListRecords</error>'
            return 400, f"{head}<request>{self.base}/oai</request>{error}</OAI-PMH>"
        if "resumptionToken" in query:
            try:
                start, until, asof, offset = query["resumptionToken"].split("|")
            except ValueError:
                return 200, f'{head}<request verb="ListRecords">{self.base}/oai</request>' \
                            '<error code="badResumptionToken">unknown token</error></OAI-PMH>'  # fmt: skip
        else:
            if query.get("metadataPrefix") != "arXiv":
                return 200, f'{head}<request>{self.base}/oai</request>' \
                            '<error code="cannotDisseminateFormat">only arXiv</error></OAI-PMH>'  # fmt: skip
            start, until, asof, offset = query.get("from", ""), query.get("until", ""), self.today.isoformat(), "0"
        last = min(date.fromisoformat(until), date.fromisoformat(asof)) if until else date.fromisoformat(asof)
        first = date.fromisoformat(start) if start else date.min
        listing = [p for p in self.corpus.papers if first <= p.listed <= last]
        request = f'<request verb="ListRecords" metadataPrefix="arXiv">{self.base}/oai</request>'
        if not listing:
            return 200, f'{head}{request}<error code="noRecordsMatch">no records</error></OAI-PMH>'
        at = int(offset)
        page = listing[at : at + self.page_size]
        after = at + len(page)
        token = f"{start}|{until}|{asof}|{after}" if after < len(listing) else ""
        records = "".join(oai_record(p) for p in page)
        closing = f'<resumptionToken cursor="{at}" completeListSize="{len(listing)}">{token}</resumptionToken>'
        return 200, f"{head}{request}<ListRecords>{records}{closing}</ListRecords></OAI-PMH>"

    def hf(self, query: dict[str, str]) -> list[dict[str, Any]]:
        day = date.fromisoformat(query["date"])
        limit, number = int(query.get("limit", 50)), int(query.get("p", 0))
        picks = self.corpus.picks(day) if day <= self.today else []
        return [self._hf_item(p) for p in picks[number * limit : (number + 1) * limit]]

    def _hf_item(self, paper: CorpusPaper) -> dict[str, Any]:
        stars = self.corpus.stars(paper, self.today)
        published = datetime.combine(paper.listed - timedelta(days=1), time(17, 8, 18)).isoformat() + ".000Z"
        on_daily = datetime.combine(paper.listed, time(3, 55, 12)).isoformat() + ".777Z"
        body = {
            "id": paper.id,
            "authors": [
                {"_id": f"{_spread(paper.id + a, 'a'):024x}", "name": a, "hidden": False} for a in paper.authors
            ],
            "mediaUrls": [],
            "publishedAt": published,
            "submittedOnDailyAt": on_daily,
            "title": paper.title,
            "summary": paper.abstract,
            "upvotes": self.corpus.upvotes(paper, self.today),
            "discussionId": f"{_spread(paper.id, 'd'):024x}",
            "projectPage": "",
            "githubRepo": f"https://github.com/lab{_spread(paper.id, 'o')}/{paper.id}" if stars is not None else None,
            "githubStars": stars,
            "ai_keywords": [],
        }
        return {
            "paper": body,
            "publishedAt": published,
            "title": paper.title,
            "summary": paper.abstract,
            "mediaUrls": [],
            "numComments": _spread(paper.id, "comments") % 6,
            "submittedBy": {"_id": "65a103d5230f8846b1b99cfa", "fullname": "A Submitter", "user": "submitter"},
            "isAuthorParticipating": False,
        }

    def _known(self, arxiv_id: str) -> CorpusPaper | None:
        found = self._by_id().get(arxiv_id.lower())
        return found if found is not None and found.listed <= self.today else None

    def _by_id(self) -> dict[str, CorpusPaper]:
        if not hasattr(self, "_ids"):
            self._ids = {p.id.lower(): p for p in self.corpus.papers}
        return self._ids

    def openalex(self, query: dict[str, str]) -> dict[str, Any]:
        wanted = query.get("filter", "").removeprefix("doi:").split("|")
        results = []
        for doi in wanted:
            paper = self._known(doi.lower().removeprefix("10.48550/arxiv."))
            if paper is None:
                continue
            count = self.corpus.citations(paper, self.today)
            results.append({
                "id": f"https://openalex.org/W{_spread(paper.id, 'w')}{paper.id.replace('.', '')}",
                "doi": f"https://doi.org/10.48550/arxiv.{paper.id}",
                "ids": {"openalex": f"https://openalex.org/W{paper.id.replace('.', '')}",
                        "doi": f"https://doi.org/10.48550/arxiv.{paper.id}"},
                "cited_by_count": count,
                "counts_by_year": [{"year": self.today.year, "cited_by_count": count}] if count else [],
                "publication_year": paper.listed.year,
            })  # fmt: skip
        meta = {"count": len(results), "db_response_time_ms": 12, "page": int(query.get("page", 1)),
                "per_page": int(query.get("per-page", 25)), "groups_count": None}  # fmt: skip
        return {"meta": meta, "results": results, "group_by": []}

    def s2(self, body: bytes) -> list[dict[str, Any] | None]:
        answer: list[dict[str, Any] | None] = []
        for wanted in json.loads(body).get("ids", []):
            paper = self._known(str(wanted).removeprefix("ARXIV:"))
            if paper is None:
                answer.append(None)
                continue
            count = self.corpus.citations(paper, self.today)
            answer.append({
                "paperId": hashlib.sha1(paper.id.encode()).hexdigest(),
                "externalIds": {"ArXiv": paper.id, "DOI": f"10.48550/arXiv.{paper.id}",
                                "CorpusId": _spread(paper.id, "c") * 1000 + 7},
                "citationCount": count,
                "influentialCitationCount": count // 10,
                "year": paper.listed.year,
            })  # fmt: skip
        return answer

    # -- HTTP ---------------------------------------------------------------------------------------
    def _handler(self) -> type[BaseHTTPRequestHandler]:
        services = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self._answer()

            def do_POST(self) -> None:
                self._answer()

            def _answer(self) -> None:
                parts = urlsplit(self.path)
                query = dict(parse_qsl(parts.query, keep_blank_values=True))
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                service = {"/oai": "oai", "/api/daily_papers": "hf", "/works": "openalex",
                           "/graph/v1/paper/batch": "s2"}.get(parts.path)  # fmt: skip
                if service is None:
                    return self._send(404, b"not found", "text/plain")
                services.served[service] += 1
                fault = services.faults.take(service)
                if fault and fault.kind == "503":
                    return self._send(503, b"Retry after 1 second", "text/plain", {"Retry-After": "1"})
                if fault and fault.kind == "timeout" and services._stopping.wait(services.timeout_delay):
                    return None
                if fault and fault.kind == "kill":
                    services.on_kill()
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return None
                if service == "oai":
                    status, text = services.oai(query)
                    payload = text.encode("utf-8")
                    if fault and fault.kind == "truncated":
                        payload = payload[: len(payload) // 2]
                    return self._send(status, payload, "text/xml;charset=UTF-8")
                data: Any = {"hf": lambda: services.hf(query), "openalex": lambda: services.openalex(query),
                             "s2": lambda: services.s2(body)}[service]()  # fmt: skip
                return self._send(200, json.dumps(data).encode(), "application/json")

            def _send(self, status: int, payload: bytes, kind: str, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        return Handler
