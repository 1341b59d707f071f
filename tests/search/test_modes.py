"""Search modes on the seed corpus (hashing stand-in vectors): filters and hard parts hold in every mode."""

import pytest

from paperradar.errors import InputError
from paperradar.models import Filters
from paperradar.search.fusion import reciprocal_rank_fusion

MODES = ["lexical", "semantic", "hybrid"]


def test_fusion_rewards_agreement_and_names_the_retrievers():
    fused = reciprocal_rank_fusion({"lexical": [("a", 9.0), ("b", 5.0)], "semantic": [("b", 0.9), ("c", 0.8)]})
    assert [f.paper_id for f in fused] == ["b", "a", "c"]
    assert fused[0].found_by == ("lexical", "semantic") and fused[2].found_by == ("semantic",)


def test_hybrid_results_say_which_retrievers_found_them(seeded):
    hits = seeded.search("lottery ticket hypothesis pruning", limit=10).hits
    assert hits[0].paper.title.startswith("The Lottery Ticket Hypothesis")
    assert set(hits[0].found_by) == {"lexical", "semantic"}
    assert all(set(hit.found_by) <= {"lexical", "semantic"} for hit in hits)


@pytest.mark.parametrize("mode", MODES)
def test_filters_hold_in_every_mode(seeded, mode):
    hits = seeded.search("neural networks", limit=30, filters=Filters.for_year(2021), mode=mode).hits
    assert hits and all(hit.paper.year == 2021 for hit in hits)
    cited = seeded.search("language models", limit=30, filters=Filters(min_citations=5000), mode=mode).hits
    assert cited and all(hit.paper.citations.count >= 5000 for hit in cited)


@pytest.mark.parametrize("mode", MODES)
def test_exclusions_phrases_and_fields_hold_in_every_mode(seeded, mode):
    hits = seeded.search("lottery ticket -pruning", limit=30, mode=mode).hits
    assert all("prun" not in (hit.paper.title + hit.paper.abstract).lower() for hit in hits)
    phrase = seeded.search('"reinforcement learning" agents', limit=20, mode=mode).hits
    assert phrase and all("reinforcement learning" in (h.paper.title + " " + h.paper.abstract).lower() for h in phrase)
    titled = seeded.search("ti:diffusion images", limit=20, mode=mode).hits
    assert titled and all("diffusion" in hit.paper.title.lower() for hit in titled)


def test_semantic_mode_finds_papers_without_the_query_words(seeded):
    lexical = {h.paper.id for h in seeded.search("attention transformer", limit=50, mode="lexical").hits}
    semantic = seeded.search("attention transformer", limit=50, mode="semantic").hits
    assert semantic and all(hit.found_by == ("semantic",) for hit in semantic)
    assert lexical != {h.paper.id for h in semantic}


def test_an_unknown_mode_names_the_parameter(seeded):
    with pytest.raises(InputError, match="mode"):
        seeded.search("x", mode="fuzzy")


def test_similar_papers_exclude_the_paper_and_work_for_a_paper_without_a_vector(seeded):
    from paperradar.ingest.importer import upsert
    from paperradar.models import Paper

    lottery = seeded.search("lottery ticket hypothesis", limit=1).hits[0].paper
    similar = seeded.similar(lottery.id, limit=20).hits
    assert len(similar) == 20 and lottery.id not in {hit.paper.id for hit in similar}
    with seeded.store.transaction():
        fresh, _, _ = upsert(seeded.store, Paper(title="Winning tickets in sparse pruned networks", year=2025))
    assert seeded.similar(fresh.id, limit=5).hits, "a paper imported a minute ago has neighbours at once"


def test_similar_with_a_focus_ranks_papers_alike_in_that_respect(seeded):
    lottery = seeded.search("lottery ticket hypothesis", limit=1).hits[0].paper
    plain = [h.paper.id for h in seeded.similar(lottery.id, limit=10).hits]
    focused = seeded.similar(lottery.id, limit=10, focus="diffusion models generate images by denoising").hits
    assert len(focused) == 10 and lottery.id not in {h.paper.id for h in focused}
    assert [h.paper.id for h in focused] != plain
    assert any("diffusion" in (h.paper.title + h.paper.abstract).lower() for h in focused[:3])
    with pytest.raises(InputError, match="focus"):
        seeded.similar(lottery.id, focus="x" * 5000)
