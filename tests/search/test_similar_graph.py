"""Similar papers with the citation graph: closeness from the edges, fused into the embedding ranking."""

from datetime import date

from paperradar.models import CitedWork
from paperradar.search.similar import DIRECT_LINK, graph_closeness, with_graph


def test_closeness_counts_direct_links_and_shared_neighbours():
    closeness = dict(graph_closeness(["cited"], ["citing"], co_cited=[("prior", 3.0), ("cited", 1.0)],
                                     coupled=[("derived", 2.0)]))  # fmt: skip
    assert closeness == {"cited": DIRECT_LINK + 1.0, "citing": DIRECT_LINK, "prior": 3.0, "derived": 2.0}


def test_the_graph_lifts_linked_papers_within_the_embedding_pool_only():
    embedding = [(f"p{n}", 1.0 - n / 100) for n in range(30)]
    fused = [pid for pid, _ in with_graph(embedding, [("p12", 2.0), ("elsewhere", 9.0)], limit=10)]
    assert fused.index("p12") < 7, "a paper the embedding ranks 13th and the paper cites rises into the top 10"
    assert "elsewhere" not in fused, "a linked paper the embedding did not find never enters"
    assert fused[0] == "p0" and len(fused) == 10
    assert [pid for pid, _ in with_graph(embedding, [], limit=10)] == [f"p{n}" for n in range(10)]


def test_similar_papers_rise_when_the_paper_cites_them(seeded):
    lottery = seeded.search("lottery ticket hypothesis", limit=1).hits[0].paper
    before = [h.paper.id for h in seeded.similar(lottery.id, limit=10).hits]
    pool = [h.paper.id for h in seeded.similar(lottery.id, limit=60).hits]
    far = pool[11:14]  # near, just outside the top 10 by embedding alone
    with seeded.store.transaction():
        seeded.store.set_references(lottery.id, "openalex", date(2026, 12, 1),
                                    [CitedWork((f"arxiv:{pid}",), paper_id=pid) for pid in far])  # fmt: skip
    after = [h.paper.id for h in seeded.similar(lottery.id, limit=10).hits]
    assert set(far) <= set(after) and before != after
    assert lottery.id not in after and len(after) == 10
