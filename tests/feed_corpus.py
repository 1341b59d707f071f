"""A small corpus with listing dates, Hugging Face signals and dated citation snapshots, for the
daily feed, trending and feeds (the seed corpus has no listing dates)."""

from __future__ import annotations

from datetime import date

from paperradar.ingest.importer import upsert
from paperradar.models import CitationCount, Paper
from paperradar.models.signal import Signal
from paperradar.store.base import Store

HOSTILE = '<script>alert("x")</script> & ]]> "quoted"'

OLD = "2404.00006"

# (arXiv id, title, listing day, categories)
PAPERS = [
    ("2405.00001", "Sparse attention for long documents", date(2024, 5, 1), ["cs.CL"]),
    ("2405.00002", "Diffusion models that draw hands", date(2024, 5, 1), ["cs.CV"]),
    ("2405.00003", "A quiet paper nobody upvoted", date(2024, 5, 1), ["cs.CL"]),
    ("2405.00004", "Agents that file their own bug reports", date(2024, 5, 3), ["cs.AI", "cs.CL"]),
    ("2405.00005", f"Hostile {HOSTILE} title", date(2024, 5, 3), ["cs.LG"]),
    ("2404.00006", "Last month's retrieval paper", date(2024, 4, 20), ["cs.IR"]),
]


def load(store: Store) -> None:
    """Write the papers and their signals; upvotes make the hands paper the day's top."""
    with store.transaction():
        for arxiv_id, title, day, categories in PAPERS:
            cites = None if arxiv_id == OLD else CitationCount(3, "openalex", date(2024, 5, 3))
            upsert(store, Paper(title=title, arxiv_id=arxiv_id, listing_date=day, published=day, year=day.year,
                                categories=categories, authors=["Ada Lovelace", "Alan Turing"],
                                abstract=f"Abstract of {title}. " * 5,
                                code_url="https://github.com/example/code" if arxiv_id.endswith("2") else None,
                                citations=cites))  # fmt: skip
        upvotes = {"2405.00001": 12, "2405.00002": 80, "2405.00004": 5}
        for pid, value in upvotes.items():
            store.add_signal(pid, Signal("huggingface", "hf_upvotes", value, date(2024, 5, 1)))
        store.add_signal("2405.00002", Signal("huggingface", "github_stars", 340, date(2024, 5, 1)))
        # The retrieval paper is old but gained 40 citations in May: it trends by citation velocity.
        for day, count in [(date(2024, 3, 20), 10), (date(2024, 5, 2), 30), (date(2024, 5, 3), 50)]:
            store.add_citation_snapshot(OLD, CitationCount(count, "openalex", day))
    store.sync_text_index()  # as an import does: searches read the keyword index, they never write it


# Papers a hostile or merely unusual source sends, listed on a day of their own (so the counts above hold).
HOSTILE_DAY = date(2024, 4, 10)
LONG_WORD = "x" * 10_000
LONG_TITLE = f"Overlong {LONG_WORD}"
RTL_TITLE = "نماذج اللغة الكبيرة للترجمة الآلية"
RTL_ABSTRACT = "מודלים של שפה גדולה מתרגמים טקסט בין שפות. " * 4


def load_hostile(store: Store) -> list[str]:
    """A 10,000-character word as a title, Arabic and Hebrew text, and `javascript:` links; their ids."""
    papers = [
        Paper(title=LONG_TITLE, arxiv_id="2404.00101", abstract=f"Abstract {LONG_WORD} end.", authors=[LONG_WORD]),
        Paper(title=RTL_TITLE, arxiv_id="2404.00102", abstract=RTL_ABSTRACT, authors=["דוד כהן", "ليلى حسن"]),
        Paper(title=f"Scripted {HOSTILE} links", arxiv_id="2404.00103", abstract=HOSTILE, authors=[HOSTILE],
              url="javascript:alert(1)", pdf_url="javascript:alert(2)", code_url="JavaScript:alert(3)"),
    ]  # fmt: skip
    with store.transaction():
        for paper in papers:
            paper.listing_date = paper.published = HOSTILE_DAY
            paper.year, paper.categories = 2024, ["cs.HC"]
            paper.citations = CitationCount(2, "openalex", HOSTILE_DAY)
            upsert(store, paper)
    store.sync_text_index()
    return [paper.arxiv_id or "" for paper in papers]
