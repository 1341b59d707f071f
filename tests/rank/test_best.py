"""Best-of lists on the demo corpus equal the reference pages they were taken from."""

import gzip
import json
import re
from importlib import resources

import pytest

from paperradar.errors import InputError
from paperradar.rank.markdown import best_of_markdown
from support import shared_path


def _bundled(source: str) -> list[str]:
    with gzip.open(str(resources.files("paperradar.data") / "seed-papers.jsonl.gz"), "rt") as handle:
        rows = [json.loads(line) for line in handle]
    return [r["title"] for r in sorted((r for r in rows if r["source"] == source), key=lambda r: r["rank"])]


def _page_titles(name: str) -> list[tuple[str, int]]:
    """(title, citations) in page order, read from the reference page text itself."""
    lines = [line.strip() for line in shared_path("seeds", name).read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    found = []
    for i, line in enumerate(lines[:-1]):
        match = re.match(r"^(\d+)\. (.+)$", line)
        cites = re.match(r"^([\d\u202f\u00a0 ]+) citations$", lines[i + 1])
        if match and cites:
            found.append((match.group(2), int(re.sub(r"\D", "", cites.group(1)))))
    return found


def test_best_of_2021_is_the_seed_list_in_order(seeded):
    page = seeded.best(year=2021, limit=100)
    assert [h.paper.title for h in page.hits] == _bundled("best-2021")
    assert page.title == "The best AI papers of 2021"


def test_best_of_all_time_is_the_seed_list_in_order(seeded):
    assert [h.paper.title for h in seeded.best(limit=100).hits] == _bundled("best-2015-now")


@pytest.mark.parametrize(
    ("page", "kwargs"), [("000_9f7948fdc959b811.txt", {"year": 2021}), ("001_8136f1f648646b92.txt", {})]
)
def test_best_lists_equal_the_reference_pages(seeded, page, kwargs):
    expected = _page_titles(page)
    assert len(expected) == 100
    hits = seeded.best(limit=100, **kwargs).hits
    assert [(h.paper.title, h.paper.citations.count) for h in hits] == expected


def test_ranges_and_paging(seeded):
    first = seeded.best(since=2021, until=2021, limit=10).hits
    second = seeded.best(since=2021, until=2021, limit=10, offset=10).hits
    assert [h.paper.id for h in first + second] == [h.paper.id for h in seeded.best(year=2021, limit=20).hits]
    assert seeded.best(since=2022, limit=10).hits == []
    with pytest.raises(InputError, match="--since: 2022 is after --until 2021"):
        seeded.best(since=2022, until=2021)
    with pytest.raises(InputError, match="not both"):
        seeded.best(year=2021, since=2020)


def test_markdown_page_has_title_rank_citations_and_abstract(seeded):
    page = seeded.best(year=2021, limit=2)
    text = best_of_markdown(page.title, [h.paper for h in page.hits])
    assert text.startswith("# The best AI papers of 2021\n")
    assert "## 1. LoRA: Low-Rank Adaptation of Large Language Models" in text
    assert "14 774 citations" in text
    assert "An important paradigm of natural language processing" in text
    assert "## 2. Diffusion Models Beat GANs on Image Synthesis" in text
