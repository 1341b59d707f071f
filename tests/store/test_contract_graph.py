"""The citation-graph contract: edges, stubs and neighbourhoods behave alike on both backends."""

from __future__ import annotations

from datetime import date

from paperradar.ingest.importer import upsert
from paperradar.ingest.references import record_references
from paperradar.models import Paper, cited_work

DAY, LATER = date(2026, 3, 1), date(2026, 4, 1)


def _add(store, *papers):
    with store.transaction():
        return [upsert(store, p)[0].id for p in papers]


def _cite(store, paper_id, works, source="openalex", day=DAY, whole=True):
    with store.transaction():
        return record_references(store, paper_id, source, day, works, whole=whole)


def test_a_cited_corpus_paper_is_linked_and_an_unknown_work_kept_as_a_stub(empty_store):
    lora, bert = _add(empty_store, Paper(title="LoRA", arxiv_id="2106.09685", year=2021),
                      Paper(title="BERT", arxiv_id="1810.04805", year=2018))  # fmt: skip
    works = [
        cited_work(doi="https://doi.org/10.48550/arXiv.1810.04805", arxiv="1810.04805", openalex="W2896457183"),
        cited_work(openalex="https://openalex.org/W1", doi="10.1000/Stub.1", title="A stub", year=2001),
    ]
    assert _cite(empty_store, lora, works) == 2
    refs = empty_store.references(lora)
    assert [(e.work.paper_id, e.work.title, e.sources, e.as_of) for e in refs] == [
        (bert, None, ("openalex",), DAY),
        (None, "A stub", ("openalex",), DAY),
    ]
    assert refs[1].work.keys == ("doi:10.1000/stub.1", "openalex:W1")
    assert [(e.citing, e.sources) for e in empty_store.citing(bert)] == [(lora, ("openalex",))]
    assert empty_store.citing(lora) == []


def test_re_reading_adds_no_duplicate_edge_and_a_new_list_replaces_the_old(empty_store):
    (lora,) = _add(empty_store, Paper(title="LoRA", arxiv_id="2106.09685", year=2021))
    one, two = cited_work(openalex="W1"), cited_work(openalex="W2")
    assert _cite(empty_store, lora, [one, two]) == 2
    assert _cite(empty_store, lora, [one, two], day=LATER) == 0
    assert [e.as_of for e in empty_store.references(lora)] == [LATER, LATER]
    assert _cite(empty_store, lora, [two], day=LATER) == 0  # the source no longer lists W1
    assert [e.work.keys for e in empty_store.references(lora)] == [("openalex:W2",)]
    # Another source's edge to the same work is kept beside it, and a file's edges add to a list.
    assert _cite(empty_store, lora, [two, one], source="file", whole=False) == 2
    assert _cite(empty_store, lora, [one], source="file", whole=False) == 0
    assert [(e.work.keys, e.sources) for e in empty_store.references(lora)] == [
        (("openalex:W1",), ("file",)),
        (("openalex:W2",), ("file", "openalex")),
    ]


def test_a_stub_is_claimed_by_the_paper_imported_later(empty_store):
    (lora,) = _add(empty_store, Paper(title="LoRA", arxiv_id="2106.09685", year=2021))
    works = [
        cited_work(doi="10.5555/Attention", openalex="W3", title="Attention is all you need", year=2017),
        cited_work(title="Deep Residual Learning for Image Recognition", year=2016),
        cited_work(title="Deep Residual Learning for Image Recognition", year=1990, openalex="W9"),
    ]
    _cite(empty_store, lora, works)
    assert all(e.work.paper_id is None for e in empty_store.references(lora))
    attention, resnet = _add(
        empty_store,
        Paper(title="Attention Is All You Need", doi="10.5555/attention", year=2017),
        Paper(title="Deep residual learning for image recognition.", year=2016),
    )
    refs = empty_store.references(lora)
    assert [e.work.paper_id for e in refs] == [attention, resnet, None]  # a title claims only within its year
    assert [e.citing for e in empty_store.citing(attention)] == [lora]
    assert empty_store.reference_targets("openalex", DAY, 10) == [attention]  # read: lora; no key: resnet


def test_reference_targets_are_papers_never_read_or_read_before_the_day(empty_store):
    a, b = _add(empty_store, Paper(title="A", arxiv_id="2401.00001"), Paper(title="B", doi="10.1/b"))
    _add(empty_store, Paper(title="No key at all"))
    assert empty_store.reference_targets("openalex", DAY, 10) == [a, b]
    _cite(empty_store, a, [])  # an empty list is an answer
    assert empty_store.reference_targets("openalex", DAY, 10) == [b]
    assert empty_store.reference_targets("openalex", LATER, 10) == [a, b]
    assert empty_store.reference_targets("semanticscholar", DAY, 1) == [a]


def test_prior_works_are_co_cited_by_the_neighbourhood_and_derivative_works_cite_it(empty_store):
    ids = _add(empty_store, *[Paper(title=f"Paper {n}", arxiv_id=f"2401.0000{n}", year=2024) for n in range(7)])
    p0, p1, p2, p3, p4, p5, p6 = ids

    def cites(citing, *cited):
        _cite(empty_store, citing, [cited_work(arxiv=c) for c in cited])

    cites(p0, p1, p2)  # the paper cites p1 and p2; p3 cites the paper
    cites(p3, p0, p1)
    cites(p1, p4)
    cites(p2, p4, p5)
    cites(p6, p1, p2, p3)  # cites three of p0's neighbours
    assert empty_store.co_cited(p0, 10) == [(p4, 2.0), (p1, 1.0), (p5, 1.0)]
    assert empty_store.coupled(p0, 10) == [(p6, 3.0), (p3, 1.0)]
    assert empty_store.co_cited(p0, 1) == [(p4, 2.0)]
    assert empty_store.co_cited(p0, 2) == [(p4, 2.0), (p1, 1.0)]  # a tie for the last place: by id
    assert empty_store.coupled(p0, 1) == [(p6, 3.0)] and empty_store.coupled(p0, 0) == []
    assert empty_store.co_cited("no-such-paper", 10) == [] and empty_store.references("no-such-paper") == []


def test_citers_of_a_library_are_those_citing_most_of_it_first(empty_store):
    ids = _add(empty_store, *[Paper(title=f"Citer {n}", arxiv_id=f"2402.0000{n}", year=2024) for n in range(5)])
    saved_a, saved_b, one, both, unrelated = ids
    _cite(empty_store, one, [cited_work(arxiv=saved_a)])
    _cite(empty_store, both, [cited_work(arxiv=saved_a), cited_work(arxiv=saved_b), cited_work(doi="10.1/out")])
    _cite(empty_store, unrelated, [cited_work(doi="10.1/elsewhere")])
    _cite(empty_store, saved_a, [cited_work(arxiv=saved_b)])  # a saved paper citing another counts too
    assert empty_store.citers_of([saved_a, saved_b], 10) == {both: [saved_a, saved_b], one: [saved_a],
                                                             saved_a: [saved_b]}  # fmt: skip
    assert list(empty_store.citers_of([saved_a, saved_b], 1)) == [both]
    assert empty_store.citers_of([], 10) == {} and empty_store.citers_of(["nope"], 10) == {}


def test_order_papers_ranks_by_citations_or_date_and_the_version_moves_with_edges(empty_store):
    from paperradar.models import CitationCount

    rows = [("2404.00001", 5, 2021), ("2404.00002", 50, 2019), ("2404.00003", None, 2024), ("2404.00004", 5, 2023)]
    ids = _add(empty_store, *[Paper(title=f"Ordered {a}", arxiv_id=a, year=y,
                                    citations=CitationCount(c, "openalex") if c is not None else None)
                              for a, c, y in rows])  # fmt: skip
    assert empty_store.order_papers(ids, "citations", 3) == [ids[1], ids[3], ids[0]]
    assert empty_store.order_papers(ids, "date", 2) == [ids[2], ids[3]]
    assert empty_store.order_papers([], "date", 2) == []
    before = empty_store.graph_version()
    _cite(empty_store, ids[0], [cited_work(arxiv=ids[1])])
    moved = empty_store.graph_version()
    assert moved != before
    _cite(empty_store, ids[0], [cited_work(arxiv=ids[1])], day=LATER)  # a re-read changes no edge
    assert empty_store.graph_version() == moved


def test_edges_among_a_set_are_the_citations_between_its_papers(empty_store):
    ids = _add(empty_store, *[Paper(title=f"Among {n}", arxiv_id=f"2405.0000{n}", year=2024) for n in range(4)])
    a, b, c, outside = ids
    _cite(empty_store, a, [cited_work(arxiv=b), cited_work(arxiv=outside), cited_work(doi="10.1/stub")])
    _cite(empty_store, c, [cited_work(arxiv=a)])
    _cite(empty_store, outside, [cited_work(arxiv=c)])
    assert empty_store.edges_among([a, b, c]) == sorted([(a, b), (c, a)])
    assert empty_store.edges_among([a]) == [] and empty_store.edges_among([]) == []
