"""The trending formula: decay, citation velocity, and the reasons each entry gives."""

from datetime import date, timedelta

import pytest

from paperradar.errors import InputError
from paperradar.models import CitationCount
from paperradar.models.signal import Signal
from paperradar.rank.periods import Period
from paperradar.rank.trending import Evidence, Weights, Window, citation_gain, rank, trend

END = date(2024, 5, 10)


def test_upvotes_stars_and_listing_explain_the_score():
    evidence = Evidence(
        "p", date(2024, 5, 8),
        [Signal("huggingface", "hf_upvotes", 12, END), Signal("huggingface", "github_stars", 340, END)],
    )  # fmt: skip
    result = trend(evidence, Window.of("week", END), Weights())
    assert result.reasons == ("12 Hugging Face upvotes", "340 GitHub stars", "listed 2 days ago")
    assert result.score == pytest.approx(sum(result.parts.values()))


def test_older_signals_count_less_by_the_half_life():
    fresh = trend(Evidence("a", signals=[Signal("hf", "hf_upvotes", 50, END)]), Window.of("week", END), Weights())
    old = Evidence("b", signals=[Signal("hf", "hf_upvotes", 50, date(2024, 5, 7))])
    assert trend(old, Window.of("week", END), Weights()).score == pytest.approx(fresh.score / 2)


def test_signals_outside_the_window_do_not_count():
    evidence = Evidence("a", signals=[Signal("hf", "hf_upvotes", 50, date(2024, 5, 1))])
    assert trend(evidence, Window.of("week", END), Weights()).score == 0


def test_citation_velocity_is_the_gain_within_the_window_per_source():
    snapshots = [
        CitationCount(10, "openalex", date(2024, 4, 1)),
        CitationCount(50, "openalex", date(2024, 5, 9)),
        CitationCount(900, "s2", date(2024, 5, 9)),  # one read of another source: no gain known
    ]
    assert citation_gain(snapshots, Window.of("month", END)) == (40, "openalex")
    reasons = trend(Evidence("a", snapshots=snapshots), Window.of("month", END), Weights()).reasons
    assert reasons == ("+40 citations in 30 days (openalex)",)


def test_weights_change_the_order():
    upvoted = Evidence("up", signals=[Signal("hf", "hf_upvotes", 100, END)])
    cited = Evidence("cited", snapshots=[CitationCount(0, "x", date(2024, 5, 5)), CitationCount(60, "x", END)])
    window = Window.of("week", END)
    assert [t.paper_id for t in rank([upvoted, cited], window, Weights())] == ["up", "cited"]
    assert [t.paper_id for t in rank([upvoted, cited], window, Weights(citations=5))] == ["cited", "up"]


def test_bad_window_is_an_input_error():
    with pytest.raises(InputError, match="window"):
        Window.of("year", END)


@pytest.mark.parametrize(
    ("kind", "slug", "start", "end"),
    [
        ("daily", "2024-05-31", date(2024, 5, 31), date(2024, 5, 31)),
        ("weekly", "2024-W22", date(2024, 5, 27), date(2024, 6, 2)),
        ("monthly", "2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("weekly", "2020-W53", date(2020, 12, 28), date(2021, 1, 3)),
    ],
)
def test_periods_parse_and_round_trip(kind, slug, start, end):
    period = Period.parse(kind, slug)
    assert (period.start, period.end, period.slug) == (start, end, slug)


@pytest.mark.parametrize("slug", ["2024-13-01", "2024-02-30", "yesterday", "", "2021-W53", "9" * 40])
def test_bad_period_slugs_are_input_errors(slug):
    with pytest.raises(InputError):
        Period.parse("daily" if slug.count("-") == 2 else "weekly", slug)


def test_votes_and_saves_here_count_decayed_each_and_say_so():
    window = Window.of("week", END)
    today = trend(Evidence("a", engagement=[("vote", END)] * 3 + [("save", END)]), window, Weights())
    assert today.reasons == ("3 votes here this week", "1 save here this week")
    older = trend(Evidence("a", engagement=[("vote", END - timedelta(days=3))] * 3), window, Weights())
    assert 0 < older.parts["votes"] < today.parts["votes"]
    outside = trend(Evidence("a", engagement=[("vote", END - timedelta(days=8))]), window, Weights())
    assert outside.score == 0 and outside.reasons == ()
    assert "votes" not in trend(Evidence("a", engagement=[("vote", END)]), window, Weights(votes=0)).parts


@pytest.mark.parametrize("listed", [date(2024, 5, 3), date(2024, 4, 30), date(2024, 5, 9), None])
def test_a_paper_without_signals_scores_as_one_whose_signals_fall_outside_the_window(listed):
    """Papers with no signals take a shorter path; it must agree with the full formula."""
    window, weights = Window.of("week", date(2024, 5, 3)), Weights()
    stale = Signal("huggingface", "hf_upvotes", 50, date(2024, 1, 1))
    bare, full = trend(Evidence("a", listed), window, weights), trend(Evidence("a", listed, [stale]), window, weights)
    assert (bare.score, bare.reasons, bare.parts) == (full.score, full.reasons, full.parts)


def test_a_days_list_sees_the_citations_gained_in_the_30_days_before():
    snapshots = [
        CitationCount(5, "openalex", END - timedelta(days=45)),  # the baseline: the newest read before the 30 days
        CitationCount(20, "openalex", END - timedelta(days=12)),
        CitationCount(35, "openalex", END),
    ]
    assert citation_gain(snapshots, Window.of("day", END)) == (30, "openalex")
    # A read older than 30 days is only ever a baseline: alone, it gains nothing.
    assert citation_gain(snapshots[:1], Window.of("day", END)) == (0, None)
    reasons = trend(Evidence("a", snapshots=snapshots), Window.of("day", END), Weights()).reasons
    assert reasons == ("+30 citations in 30 days (openalex)",)
