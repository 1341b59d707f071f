"""Every mode, filter, the syntax and similar papers on the real 74.7k corpus (hashing vectors)."""

import pytest

from paperradar.models import Filters
from paperradar.service import Library
from paperradar.settings import load_settings
from support import shared_path

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def daily(tmp_path_factory):
    path = shared_path("data", "arxiv-daily-cs", "papers.jsonl.gz")
    library = Library.open(
        load_settings(database_url=f"sqlite:///{tmp_path_factory.mktemp('daily') / 'daily.db'}", embedder="hashing")
    )
    library.import_sources(library.sources([path]))
    library.embed_pending()
    yield library
    library.close()


@pytest.mark.parametrize("mode", ["lexical", "semantic", "hybrid"])
def test_modes_and_filters(daily, mode):
    filters = Filters(categories=("cs.CL",), year_from=2026, year_to=2026)
    hits = daily.search("speech recognition for low-resource languages", limit=50, filters=filters, mode=mode).hits
    assert len(hits) == 50
    assert all("cs.CL" in h.paper.categories and h.paper.year == 2026 for h in hits)


@pytest.mark.parametrize("mode", ["lexical", "semantic", "hybrid"])
def test_syntax(daily, mode):
    hits = daily.search('"flower pose" -tomato au:Shrestha', limit=10, mode=mode).hits
    assert hits and hits[0].paper.id == "2503.11692"
    assert all("tomato" not in (h.paper.title + h.paper.abstract).lower() for h in hits)


def test_known_paper_first_and_similar(daily):
    hits = daily.search("robots estimating the pose of flowers for precision pollination", limit=5).hits
    assert hits[0].paper.id == "2503.11692"
    similar = daily.similar("2503.11692", limit=100).hits
    assert len(similar) == 100 and "2503.11692" not in {h.paper.id for h in similar}
    cv = daily.similar("2503.11692", limit=20, filters=Filters(categories=("cs.RO",))).hits
    assert cv and all("cs.RO" in h.paper.categories for h in cv)
