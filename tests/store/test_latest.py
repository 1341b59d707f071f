"""The newest papers (/latest, and the recommender's background sample) on both backends: read in order
off an index rather than by sorting the table, and paged by key, so a walk sees every paper once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from paperradar.ingest.batch import merge_batch
from paperradar.models import Filters, Paper
from paperradar.store.base import latest_key
from paperradar.store.sqlite.store import SQLiteStore


def _add(store, papers: list[Paper]) -> list[str]:
    with store.transaction():
        return [outcome.paper.id or "" for outcome in merge_batch(store, papers)]


def _corpus(days: int, per_day: int, undated: int) -> list[Paper]:
    """Several papers a day over `days` days, some dated by publication alone, and some undated."""
    start = date(2024, 1, 1)
    papers = [
        Paper(title=f"Paper {d}-{n}", listing_date=start + timedelta(days=d))
        if n % 3
        else Paper(title=f"Paper {d}-{n}", published=start + timedelta(days=d))
        for d in range(days)
        for n in range(per_day)
    ]
    return papers + [Paper(title=f"Undated paper {n}") for n in range(undated)]


def _plans(store, monkeypatch, call) -> list[str]:
    """How the backend plans each statement `call` runs (SQLite's EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN)."""
    statements: list[tuple[str, tuple]] = []
    if isinstance(store, SQLiteStore):
        connection = store._conn()

        class Recording:
            def execute(self, sql, parameters=()):
                statements.append((sql, tuple(parameters)))
                return connection.execute(sql, parameters)

        monkeypatch.setattr(store, "_conn", lambda: Recording())
        call()
        monkeypatch.undo()
        explain = "EXPLAIN QUERY PLAN "
        return [" / ".join(row[3] for row in connection.execute(explain + sql, p)) for sql, p in statements]
    rows = store._rows

    def recording(sql, parameters=None):
        statements.append((sql, tuple(parameters or ())))
        return rows(sql, parameters)

    monkeypatch.setattr(store, "_rows", recording)
    call()
    monkeypatch.undo()
    store._rows("ANALYZE papers")
    return ["\n".join(line for (line,) in rows("EXPLAIN " + sql, p)) for sql, p in statements]


def _in_index_order(plan: str) -> bool:
    """Whether a plan reads papers through an index in the order asked, with no sort and no table scan."""
    sqlite_scans = [step for step in plan.split(" / ") if step.startswith("SCAN ") and " USING " not in step]
    return not sqlite_scans and not any(word in plan for word in ("TEMP B-TREE", "Sort", "Seq Scan"))


def test_latest_reads_papers_off_an_index_in_its_order_without_sorting_the_table(empty_store, monkeypatch):
    # Before its own index, every page of /latest scanned and sorted the whole table (168-267 ms at 74.7k papers).
    store = empty_store
    _add(store, _corpus(days=300, per_day=10, undated=300))
    first = store.latest(Filters(), 25)
    deep = store.latest(Filters(), 25, after=latest_key(*first[-1]))
    undated = store.latest(Filters(), 25, after=(None, store.latest(Filters(), 1, offset=3290)[0][0]))
    assert len(deep) == 25 and deep[0][1] <= first[-1][1] and len(undated) == 9
    (last_dated,) = store.latest(Filters(), 1, offset=2995)
    calls = {
        "first page": lambda: store.latest(Filters(), 25),
        "by offset": lambda: store.latest(Filters(), 25, offset=500),
        "after a dated paper": lambda: store.latest(Filters(), 25, after=latest_key(*first[-1])),
        "into the undated": lambda: store.latest(Filters(), 25, after=latest_key(*last_dated)),
        "after an undated paper": lambda: store.latest(Filters(), 25, after=(None, undated[0][0])),
    }
    for name, call in calls.items():
        for plan in _plans(store, monkeypatch, call):
            assert _in_index_order(plan), (name, plan)
    (seek,) = _plans(store, monkeypatch, calls["after a dated paper"])
    # the cursor's day bounds the index range: the page starts where the last ended, not at the top
    assert "SEARCH p USING INDEX papers_latest (<expr><?)" in seek or "Index Cond: (ROW(COALESCE(" in seek, seek


def test_walking_latest_by_key_sees_every_paper_once_in_order_while_papers_arrive(empty_store):
    store = empty_store
    before = set(_add(store, _corpus(days=12, per_day=5, undated=8)))
    walked: list[str] = []
    after = None
    for turn in range(100):
        page = store.latest(Filters(), 7, after=after)
        if not page:
            break
        walked += [pid for pid, _ in page]
        after = latest_key(*page[-1])
        # Between pages: a paper newer than any, one on the day the page ended, one older than any, one undated.
        day = after[0] or date(2024, 1, 1)
        _add(store, [Paper(title=f"Newest {turn}", listing_date=date(2030, 1, 1)),
                     Paper(title=f"Same day {turn}", listing_date=day),
                     Paper(title=f"Oldest {turn}", published=date(1990, 1, 1) - timedelta(days=turn)),
                     Paper(title=f"Undated {turn}")])  # fmt: skip
    else:
        pytest.fail("the walk never reached the end")
    final = [pid for pid, _ in store.latest(Filters(), 10_000)]
    assert len(walked) == len(set(walked))  # no paper twice, as an offset would repeat on every insert
    assert before <= set(walked)  # none of the papers there at the start was skipped
    assert walked == [pid for pid in final if pid in set(walked)]  # in the listing's order
    oldest = {p.id for p in store.papers(final) if p.title.startswith("Oldest")}
    assert oldest & set(walked)  # papers added below the walk's place are met when it gets there


def test_after_goes_on_under_filters_and_past_the_end(empty_store):
    store = empty_store
    _add(store, [Paper(title=f"Paper {n}", year=2020 + n % 2, listing_date=date(2024, 1, 1 + n)) for n in range(20)])
    only = Filters.for_year(2021)
    walked, after = [], None
    while page := store.latest(only, 3, after=after):
        walked += [pid for pid, _ in page]
        after = latest_key(*page[-1])
    assert walked == [pid for pid, _ in store.latest(only, 100)] and len(walked) == 10
    assert store.latest(only, 3, after=after) == []
