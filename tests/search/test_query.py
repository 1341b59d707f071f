"""The query parser: documented syntax works, anything else is plain text."""

from hypothesis import given, settings
from hypothesis import strategies as st

from paperradar.models import Filters
from paperradar.search.query import parse
from paperradar.store.sqlite.fts import match_expression


def test_plain_words_drop_stopwords():
    q = parse("the lottery ticket hypothesis")
    assert q.terms == ("lottery", "ticket", "hypothesis")


def test_documented_syntax():
    q = parse('"low rank" -pruning ti:diffusion au:"Kaiming He" cat:cs.CV year:2019-2021 GPT-4')
    assert q.phrases == ("low rank",)
    assert "GPT 4" in q.terms, "hyphenated words stay one term, not a requirement"
    assert q.text == "low rank diffusion GPT-4", "the free text the semantic side reads"
    assert q.excluded == ("pruning",)
    assert q.fields == (("title", "diffusion"), ("authors", "Kaiming He"))
    assert q.filters.categories == ("cs.CV",)
    assert (q.filters.year_from, q.filters.year_to) == (2019, 2021)


def test_year_forms():
    assert parse("year:2021").filters == Filters(year_from=2021, year_to=2021)
    assert parse("year:2019-").filters == Filters(year_from=2019, year_to=None)
    assert parse("year:soon").terms == ("year", "soon")


def test_operators_and_unknown_prefixes_are_text():
    q = parse("BERT: AND OR NOT (x) *")
    assert q.terms == ("BERT", "NOT", "x")  # operators are words like any other (and "and", "or" stopwords)
    assert parse("http://example.com").terms == ("http", "example", "com")


def test_only_stopwords_are_kept_rather_than_searching_nothing():
    assert parse("the of").terms == ("the", "of")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses_to_a_safe_expression(text):
    q = parse(text)
    expression = match_expression(q)
    if expression is not None:
        # Outside quoted strings only our own operators and column names may appear.
        outside = expression
        for piece in q.phrases + q.terms + tuple(v for _, v in q.fields) + q.excluded:
            outside = outside.replace('"' + piece.replace('"', '""') + '"', "")
        assert set(outside.replace("AND", "").replace("NOT", "").replace("OR", "").split()) <= {
            "(",
            ")",
            ":",
            "title",
            "authors",
            "abstract",
        } | {"()"} or not outside.strip(" ()")


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_any_text_searches_without_error(seeded_store_library, text):
    seeded_store_library.search(text)
