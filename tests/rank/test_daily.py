"""The daily feed and trending through the Library, on a small corpus with listing dates and signals."""

from datetime import date

import pytest

from feed_corpus import load
from paperradar.errors import InputError
from paperradar.models import Filters


@pytest.fixture
def feed_library(library):
    load(library.store)
    return library


def test_the_newest_day_by_default_ordered_by_trend(feed_library):
    found = feed_library.daily()
    assert found.period and found.period.slug == "2024-05-03"
    assert found.page.hits[0].paper.arxiv_id == "2405.00004"  # upvoted beats unvoted
    assert found.previous and found.previous.slug == "2024-05-01" and found.next is None


def test_a_day_puts_the_most_upvoted_first_and_says_why(feed_library):
    found = feed_library.daily("daily", "2024-05-01")
    assert [h.paper.arxiv_id for h in found.page.hits] == ["2405.00002", "2405.00001", "2405.00003"]
    assert found.page.hits[0].why == ("80 Hugging Face upvotes", "340 GitHub stars", "listed today")
    assert found.page.total == 3 and found.previous and found.previous.slug == "2024-04-20"
    assert found.next and found.next.slug == "2024-05-03"


def test_weeks_months_and_category_filter(feed_library):
    week = feed_library.daily("weekly", "2024-W18")  # 29 April – 5 May
    assert week.page.total == 5 and week.previous and week.previous.slug == "2024-W16"
    month = feed_library.daily("monthly", "2024-05", filters=Filters(categories=("cs.CL",)))
    assert {h.paper.arxiv_id for h in month.page.hits} == {"2405.00001", "2405.00003", "2405.00004"}
    assert month.previous is None  # no cs.CL paper before May


def test_paging_and_an_empty_day(feed_library):
    first, second = (feed_library.daily("monthly", "2024-05", limit=2, offset=o).page.hits for o in (0, 2))
    assert len(first) == 2 and not {h.paper.id for h in first} & {h.paper.id for h in second}
    empty = feed_library.daily("daily", "2024-05-02")
    assert empty.page.hits == [] and empty.previous and empty.next


def test_an_empty_library_has_no_period(library):
    found = library.daily()
    assert found.period is None and found.page.hits == []


def test_trending_month_counts_citation_velocity(feed_library):
    page = feed_library.trending("month", day=date(2024, 5, 3))
    by_id = {h.paper.arxiv_id: h for h in page.hits}
    assert "+40 citations in 30 days (openalex)" in by_id["2404.00006"].why
    assert page.hits[0].paper.arxiv_id == "2405.00002"
    assert [h.score for h in page.hits] == sorted((h.score for h in page.hits), reverse=True)


def test_trending_defaults_to_the_newest_data_and_rejects_bad_windows(feed_library):
    assert feed_library.trending("week").title == "Trending this week (to 2024-05-03)"
    with pytest.raises(InputError):
        feed_library.trending("fortnight")
    with pytest.raises(InputError):
        feed_library.daily("daily", "2024-02-31")
