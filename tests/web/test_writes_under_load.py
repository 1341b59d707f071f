"""Writes never block logins: `serve --workers 2` on SQLite, while `paperradar import` of a large file and
`paperradar sync citations` write beside it, answers every login, sign-up and save. The server waits
at most one second for another process's write lock (PAPERRADAR_REQUEST_LOCK_WAIT=1) and answers 503
past it, so a request that had to wait longer fails this test rather than passing slowly."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from servers import running_server
from sources.recorded import fixture
from sources.replay import ReplayServer, Reply

PASSWORD = "correct horse battery"
RECORDS = 25_000  # several seconds of import, on a fast machine


def _write_corpus(path: Path) -> None:
    with path.open("w") as out:
        for n in range(RECORDS):
            record = {"id": f"2501.{n:05d}", "title": f"A study of load number {n} in attention models",
                      "abstract": "We measure how writes share one database with the readers of a web site. " * 3,
                      "authors": ["Ada Lovelace", f"Author {n % 97}"], "year": 2025, "categories": "cs.LG"}  # fmt: skip
            out.write(json.dumps(record) + "\n")


@pytest.fixture
def replay() -> Iterator[ReplayServer]:
    with ReplayServer() as server:
        server.script("/works", Reply(body=fixture("openalex_works_doi_2312.07559.json")), repeat=True)
        yield server


def _cli(env: dict[str, str], *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "paperradar", *args], env=env, capture_output=True, text=True,
                          timeout=300, **kwargs)  # fmt: skip


def _token(client: httpx.Client, path: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text).group(1)


def test_logins_sign_ups_and_saves_go_through_while_an_import_and_a_sync_write(tmp_path, replay):
    env = {**os.environ, "PAPERRADAR_HOME": str(tmp_path / "home"), "PAPERRADAR_WEB_WORKERS": "2",
           "PAPERRADAR_REQUEST_LOCK_WAIT": "1", "PAPERRADAR_SECRET_KEY": "k" * 32, "PAPERRADAR_EMBEDDER": "hashing",
           "PAPERRADAR_CONTACT_EMAIL": "operator@example.org", "PAPERRADAR_OPENALEX_URL": replay.base,
           "PAPERRADAR_OPENALEX_API_KEY": "oa-secret", "PAPERRADAR_HTTP_MIN_INTERVAL": "0"}  # fmt: skip
    env.pop("PAPERRADAR_DATABASE_URL", None)
    assert _cli(env, "demo", "--json").returncode == 0
    corpus = tmp_path / "large.jsonl"
    _write_corpus(corpus)

    with running_server(env, tmp_path / "server.log") as url:
        jobs = (["import", str(corpus), "--json"], ["sync", "citations", "--source", "openalex"])
        pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
        writers = [subprocess.Popen([sys.executable, "-m", "paperradar", *job], env=env, **pipes) for job in jobs]
        answers: list[tuple[str, int]] = []
        try:
            with httpx.Client(base_url=url, timeout=60) as probe:
                while probe.get("/api/stats").json()["papers"] < 2_500:  # the import is writing by now
                    assert writers[0].poll() is None, writers[0].communicate()
            for n in range(6):  # each account signs up, then logs in afresh and saves a paper
                email = f"reader{n}@example.org"
                with httpx.Client(base_url=url, timeout=60) as newcomer:
                    said = newcomer.post("/signup", data={"email": email, "password": PASSWORD,
                                                          "csrf_token": _token(newcomer, "/signup")})  # fmt: skip
                    answers.append(("sign-up", said.status_code))
                with httpx.Client(base_url=url, timeout=60, follow_redirects=True) as client:
                    said = client.post("/login", data={"email": email, "password": PASSWORD,
                                                       "csrf_token": _token(client, "/login")})  # fmt: skip
                    answers.append(("login", said.status_code))
                    paper = client.get("/api/latest", params={"limit": 1}).json()["results"][0]["id"]
                    saved = client.post("/library/save", data={"paper_id": paper, "csrf_token": _token(client, "/")})
                    answers.append(("save", saved.status_code))
            still_importing = writers[0].poll() is None
        finally:
            outputs = [writer.communicate(timeout=300) for writer in writers]
    assert [a for a in answers if a[1] != 200] == [], answers  # 200 after the redirects; a 503 would show here
    assert still_importing, "the import ended before the requests did: make the corpus larger"
    assert [w.returncode for w in writers] == [0, 0], outputs
    assert json.loads(outputs[0][0])["added"] == RECORDS
