"""A month of the daily loop at real volume: 30 consecutive days of the arXiv corpus (cs, ~8.6k papers from
2026-06-02) replayed over local HTTP as arXiv OAI-PMH, Hugging Face daily papers, OpenAlex and Semantic
Scholar would serve them (tests/daily_replay.py), and the real `paperradar worker --once` run once per
simulated day (PAPERRADAR_CLOCK_START) against them and a local aiosmtpd server, for 100 subscribers
(10 with verified accounts, saved searches and libraries). Faults on some days: 503 + Retry-After, a
timeout, a truncated OAI page, an SMTP deferral (451), SIGKILL during the harvest and during the digest.

Printed per day: papers synced (in the store), sync, embed and digest seconds. The floor, measured in the
same run: the same papers as one `paperradar import` + `paperradar embed` into a new database. Over the
month: papers lost or duplicated, digests missing or sent twice, and whether trending over the week to
day 30 equals the same computation on a fresh copy of the data (`Library.copy` into a new database).

    PYTHONPATH=src .venv/bin/python bench/daily_loop.py [--days 30] [--database postgresql://...] [--embedder hashing]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from daily_loop import DailyLoop, start_sink  # noqa: E402
from daily_replay import Corpus, DailyServices  # noqa: E402
from paperradar.service import Library  # noqa: E402
from paperradar.settings import load_settings  # noqa: E402

CORPUS = ROOT.parent / "shared" / "data" / "arxiv-daily-cs" / "papers.jsonl.gz"
FIRST_DAY = date(2026, 6, 2)
# Faults by day number (1-based); the rest of the days run clean.
FAULTS = {2: ["503"], 4: ["timeout"], 8: ["truncated:1"], 11: ["smtp-defer"], 15: ["kill-sync:1"],
          22: ["kill-digest"], 29: ["503", "truncated:1", "kill-digest"]}  # fmt: skip


def floor(corpus: Corpus, database: str, workdir: Path, embedder: str) -> tuple[float, float]:
    """Seconds to import the same papers in one go, and to embed them (in process, as the worker's are timed)."""
    dump = workdir / "month.jsonl.gz"
    with gzip.open(dump, "wt", encoding="utf-8") as out:
        for p in corpus.papers:
            row = {"id": p.id, "title": p.title, "authors": p.authors, "categories": p.categories,
                   "abstract": p.abstract, "comment": p.comment, "listing_date": p.listed.isoformat()}  # fmt: skip
            out.write(json.dumps(row) + "\n")
    library = Library.open(load_settings(database_url=database, embedder=embedder))
    library.embedder  # noqa: B018 - load the model before the clock starts, as the worker's embed times exclude it
    started = time.perf_counter()
    library.import_sources(library.sources([dump]))
    imported = time.perf_counter() - started
    library.embed_pending()
    embedded = time.perf_counter() - started - imported
    library.close()
    return imported, embedded


def trending_matches(database: str, copy_to: str, day: date) -> tuple[bool, int]:
    """Trending over the week to `day` on the replayed database and on a fresh copy of it."""
    Library.copy(database, copy_to)
    ranked = []
    for url in (database, copy_to):
        library = Library.open(load_settings(database_url=url))
        page = library.trending("week", day, limit=500)
        ranked.append([(hit.paper.arxiv_id, round(hit.score, 9)) for hit in page.hits])
        library.close()
    return ranked[0] == ranked[1], len(ranked[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--per-day", type=int, default=None, help="At most this many papers a day (default all).")
    parser.add_argument("--database", default=None, help="A PostgreSQL server URL (databases made in it), else SQLite.")
    parser.add_argument("--embedder", default="hashing")
    parser.add_argument("--subscribers", type=int, default=100)
    options = parser.parse_args()

    corpus = Corpus.load(CORPUS, FIRST_DAY, options.days, options.per_day)
    workdir = Path(tempfile.mkdtemp(prefix="daily-loop-"))
    urls = _databases(options.database, workdir)
    sink, controller, port = start_sink()
    print(f"{len(corpus.papers)} papers listed {corpus.days[0]}..{corpus.days[-1]}; backend "
          f"{'postgres' if options.database else 'sqlite'}; embedder {options.embedder}; "
          f"{options.subscribers} subscribers", flush=True)  # fmt: skip
    with DailyServices(corpus, page_size=1000, timeout_delay=3.0) as services:
        loop = DailyLoop(urls["replay"], workdir, corpus, services, sink, port, options.subscribers,
                         personal=options.subscribers // 10, embedder=options.embedder)  # fmt: skip
        loop.prepare()
        header = "day         listed synced  sync_s (arxiv    hf citations) embed_s digest_s mails exits  faults"
        print(header, flush=True)
        total = {"sync": 0.0, "embed": 0.0, "digest": 0.0}
        started = time.perf_counter()
        for number, day in enumerate(corpus.days, start=1):
            report = loop.run_day(day, FAULTS.get(number, []))
            if number == 1:
                loop.save_libraries()
            listed = sum(1 for p in corpus.papers if p.listed == day)
            total["sync"] += report.sync_seconds
            total["embed"] += report.embed_seconds
            total["digest"] += report.digest_seconds
            jobs = report.job_seconds
            print(f"{day} {listed:6d} {report.synced:6d} {report.sync_seconds:7.1f} ({jobs['arxiv']:5.1f} "
                  f"{jobs['hf-daily']:5.1f} {jobs['citations']:9.1f}) {report.embed_seconds:7.2f} "
                  f"{report.digest_seconds:8.2f} {report.mails:5d} {','.join(map(str, report.exits)):6s} "
                  f"{' '.join(report.faults)}", flush=True)  # fmt: skip
        wall = time.perf_counter() - started
    controller.stop()
    imported, embedded = floor(corpus, urls["floor"], workdir, options.embedder)
    lost, duplicated = loop.papers_check()
    missing, twice = loop.digest_check(corpus.days)
    same, ranked = trending_matches(urls["replay"], urls["copy"], corpus.days[-1])
    print(
        f"month: sync {total['sync']:.1f} s, embed {total['embed']:.1f} s, digest {total['digest']:.1f} s; "
        f"wall {wall:.0f} s for {len(corpus.days)} worker days ({loop.killed} workers killed)"
    )
    print(f"floor: one import {imported:.1f} s + one embed {embedded:.1f} s of the same {len(corpus.papers)} papers")
    print(
        f"papers lost {len(lost)}, duplicated {len(duplicated)}; digests missing {len(missing)}, "
        f"sent twice {len(twice)} (of {len(corpus.days) * options.subscribers})"
    )
    print(f"trending week to {corpus.days[-1]} ({ranked} papers) equals a fresh copy's: {same}")
    if lost or duplicated or missing or twice:
        print("lost:", sorted(lost)[:10], "duplicated:", list(duplicated)[:10])
        print("missing:", missing[:10], "twice:", twice[:10])


def _databases(server: str | None, workdir: Path) -> dict[str, str]:
    names = ("replay", "floor", "copy")
    if server is None:
        return {name: f"sqlite:///{workdir / name}.db" for name in names}
    import psycopg

    suffix = workdir.name.replace("-", "_").lower()
    urls = {}
    with psycopg.connect(f"{server.rstrip('/')}/postgres", autocommit=True) as conn:
        for name in names:
            conn.execute(f"CREATE DATABASE bench_{name}_{suffix}")  # a name made here, not user input
            urls[name] = f"{server.rstrip('/')}/bench_{name}_{suffix}"
    print("PostgreSQL databases:", ", ".join(urls.values()), "(drop them after)", flush=True)
    return urls


if __name__ == "__main__":
    main()
