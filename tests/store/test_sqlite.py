"""The SQLite store: schema, keyword search safety, rankings and persistence."""

import sqlite3

import pytest

from paperradar.errors import ConfigError, StoreError
from paperradar.models import Filters, KeywordQuery, Paper
from paperradar.search.query import parse
from paperradar.store import open_store
from paperradar.store.sqlite.migrate import migrations


def test_schema_is_migrated_and_wal_is_on(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'a.db'}")
    conn = store._conn()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations()[-1][0]
    store.close()
    again = open_store(f"sqlite:///{tmp_path / 'a.db'}")  # re-opening applies nothing twice
    assert again.count() == 0
    again.close()


def test_unknown_database_urls_are_config_errors():
    with pytest.raises(ConfigError, match="unsupported database URL scheme 'mysql'"):
        open_store("mysql://localhost/x")


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open the database"):
        open_store(f"sqlite:///{path}")


def test_writes_need_a_transaction(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'a.db'}")
    with pytest.raises(StoreError, match=r"inside store\.transaction"):
        store.insert_papers([Paper(title="x", id="p1")])
    store.close()


@pytest.mark.parametrize(
    "text",
    ['"unbalanced', "AND OR NOT", "a AND", "(((", "*", "NEAR(a b)", "title:x", "col : x", "'; DROP TABLE papers; --",
     "\x00\x01\x1f", "😀 🚀", "a" * 10_000, "^start", "-", '""', "ü ß é", "x:y:z", "{title}: lora"],
)  # fmt: skip
def test_no_user_text_can_raise_an_fts_error(seeded, text):
    seeded.search(text)  # must not raise
    assert seeded.stats().papers == 450


def test_title_matches_rank_above_abstract_matches(seeded):
    ranking = seeded.store.keyword(parse("lottery ticket"), 5)
    assert seeded.store.papers([ranking[0][0]])[0].title.startswith("The Lottery Ticket Hypothesis")
    assert [s for _, s in ranking] == sorted((s for _, s in ranking), reverse=True)


def test_phrases_exclusions_and_fields(seeded):
    store = seeded.store
    lottery = store.keyword(KeywordQuery(phrases=("lottery ticket",)), 50)
    assert lottery
    without = store.keyword(KeywordQuery(phrases=("lottery ticket",), excluded=("pruning",)), 50)
    assert len(without) < len(lottery)
    by_title = store.keyword(KeywordQuery(fields=(("title", "diffusion"),)), 100)
    titles = [p.title.lower() for p in store.papers([pid for pid, _ in by_title])]
    assert titles and all("diffusion" in t for t in titles)


def test_filters_apply_to_rankings(seeded):
    assert seeded.store.count(Filters.for_year(2021)) == 100
    top = seeded.store.by_citations(Filters(min_citations=10_000), 50)
    assert [s for _, s in top] == sorted((s for _, s in top), reverse=True) and all(s >= 10_000 for _, s in top)


def test_updated_text_is_reindexed(tmp_path):
    from paperradar.service import Library
    from paperradar.settings import load_settings

    library = Library.open(load_settings(database_url=f"sqlite:///{tmp_path / 'r.db'}"))
    from paperradar.ingest.importer import upsert

    with library.store.transaction():
        upsert(library.store, Paper(title="Quantum widgets", abstract="short"))
    with library.store.transaction():
        upsert(library.store, Paper(title="Quantum widgets", abstract="a longer abstract about zebras"))
    library.sync_indexes()  # as an import does after its writes
    assert library.search("zebras").hits and not library.search("short").hits
    conn = library.store._conn()
    conn.execute("INSERT INTO papers_fts(papers_fts) VALUES ('integrity-check')")  # raises if the index drifted
    library.close()


def test_committed_data_survives_a_killed_process(tmp_path):
    import subprocess
    import sys

    db = tmp_path / "k.db"
    script = (
        "import os, sys\n"
        "from paperradar.store import open_store\n"
        "from paperradar.ingest.importer import upsert\n"
        "from paperradar.models import Paper\n"
        f"s = open_store('sqlite:///{db}')\n"
        "with s.transaction():\n"
        "    upsert(s, Paper(title='Committed paper', year=2020))\n"
        "s._conn().execute('BEGIN IMMEDIATE')\n"
        "upsert(s, Paper(title='Never committed', year=2020))\n"
        "os._exit(9)\n"
    )
    subprocess.run([sys.executable, "-c", script], check=False)
    store = open_store(f"sqlite:///{db}")
    assert [p.title for p in store.iter_papers()] == ["Committed paper"]
    assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.close()


def test_a_lower_numbered_migration_merged_later_is_still_applied(tmp_path):
    import sqlite3

    from paperradar.store.sqlite import migrate

    path = tmp_path / "m.db"
    shipped = migrate.migrations()
    conn = sqlite3.connect(path, isolation_level=None)
    real = migrate.migrations
    try:
        migrate.migrations = lambda: [m for m in shipped if m[0] != 2]  # a checkout without migration 2
        migrate.apply_migrations(conn)
        assert "signals" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        migrate.migrations = real
    assert migrate.apply_migrations(conn) == [shipped[1][1]]  # the merged one, and only it
    assert "signals" in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert migrate.apply_migrations(conn) == []
    conn.close()
