"""`paperradar import` into a database a running `paperradar serve` answers from: the import waits
for another writer of the keyword index (within index_write_wait), never ends in a traceback, and
the server finds the new papers without restarting."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import tantivy

from paperradar.store import text_index
from paperradar.store.text_index import TextIndex
from servers import running_server

PAPER = {"title": "Quokka colonies observed from drones", "abstract": "Counting quokkas on Rottnest.", "year": 2024}


def _import(env: dict[str, str], path: Path, **popen) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "paperradar", "import", str(path)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)  # fmt: skip


def _hold_writer(folder: Path, release: threading.Event, held: threading.Event) -> threading.Thread:
    """Another writer of the keyword index (another import, or a server catching up) holding its lock."""

    def hold() -> None:
        TextIndex(folder)  # the index as the server made it
        writer = tantivy.Index(text_index._schema(), path=str(folder), reuse=True).writer(15_000_000, 1)
        held.set()
        release.wait(120)
        writer.wait_merging_threads()  # frees the lock

    thread = threading.Thread(target=hold)
    thread.start()
    assert held.wait(30)
    return thread


def test_an_import_into_a_served_database_waits_for_the_index_writer_and_is_searchable(seeded_db, tmp_path):
    database = tmp_path / "live.db"
    shutil.copy(seeded_db, database)
    source = tmp_path / "new.jsonl"
    source.write_text(json.dumps(PAPER) + "\n")
    env = {**os.environ, "PAPERRADAR_DATABASE_URL": f"sqlite:///{database}", "PAPERRADAR_HOME": str(tmp_path)}
    with running_server(env, tmp_path / "server.log") as url:
        release, held = threading.Event(), threading.Event()
        holder = _hold_writer(tmp_path / "live.db.text", release, held)
        try:
            importing = _import(env, source)
            # Hold the lock until the import has committed its paper and reached its index sync.
            with contextlib.suppress(subprocess.TimeoutExpired):
                importing.wait(timeout=8)
        finally:
            release.set()
            holder.join(60)
        _, err = importing.communicate(timeout=120)
        assert importing.returncode == 0, err
        assert "Traceback" not in err
        found = httpx.get(url + "/api/search", params={"q": "quokka", "mode": "lexical"}, timeout=30).json()
        assert [hit["title"] for hit in found["results"]] == [PAPER["title"]]


def test_an_import_that_cannot_get_the_index_says_so_in_one_line_and_keeps_its_papers(seeded_db, tmp_path):
    database = tmp_path / "busy.db"
    shutil.copy(seeded_db, database)
    source = tmp_path / "new.jsonl"
    source.write_text(json.dumps(PAPER) + "\n")
    env = {**os.environ, "PAPERRADAR_DATABASE_URL": f"sqlite:///{database}", "PAPERRADAR_HOME": str(tmp_path),
           "PAPERRADAR_INDEX_WRITE_WAIT": "1"}  # fmt: skip
    release, held = threading.Event(), threading.Event()
    holder = _hold_writer(tmp_path / "busy.db.text", release, held)
    try:
        _, err = _import(env, source).communicate(timeout=120)
    finally:
        release.set()
        holder.join(60)
    assert "Traceback" not in err and "keyword index" in err and "busy" in err
    shown = subprocess.run([sys.executable, "-m", "paperradar", "search", "quokka", "--mode", "lexical", "--json"],
                           env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    assert PAPER["title"] in shown.stdout, "the papers stayed saved, and the next process indexed them"
