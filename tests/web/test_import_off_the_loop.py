"""A BibTeX import posted to a one-process server is parsed and written in the thread pool, so other
visitors are answered while it runs: their pages do not queue behind the upload on the event loop.

The server runs in this process (uvicorn in a thread) so the import can be held at its midpoint until
a visitor's page has been answered: on the event loop that page could never be answered, and the
import would give up waiting and fail the upload."""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from paperradar.settings import load_settings
from paperradar.web.app import create_app
from servers import free_port

PASSWORD = "correct horse battery"
BIBTEX = "@article{lora,\n  title = {LoRA},\n  eprint = {2106.09685},\n  archivePrefix = {arXiv}\n}\n"


@pytest.fixture
def site(seeded_db: Path, tmp_path: Path) -> Iterator[tuple[str, object]]:
    shutil.copy(seeded_db, tmp_path / "site.db")
    app = create_app(load_settings(database_url=f"sqlite:///{tmp_path / 'site.db'}", home=tmp_path))
    app.state.library.accounts.add("reader@example.org", PASSWORD, admin=False)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        thread.join(0.05)
    yield f"http://127.0.0.1:{server.config.port}", app
    server.should_exit = True
    thread.join(30)


def _token(client: httpx.Client, path: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text).group(1)


@pytest.mark.parametrize("path", ["/api/me/import", "/library/import"])
def test_a_page_is_answered_while_a_bibtex_import_runs(site, path, monkeypatch):
    base, app = site
    shelf = app.state.library.shelf
    started, visitor_answered = threading.Event(), threading.Event()
    real_import = shelf.import_bibtex

    def held_import(*args, **kwargs):
        started.set()
        if not visitor_answered.wait(20):
            raise RuntimeError("no other request was answered while the import ran")
        return real_import(*args, **kwargs)

    monkeypatch.setattr(shelf, "import_bibtex", held_import)
    with httpx.Client(base_url=base, timeout=60) as client, httpx.Client(base_url=base, timeout=60) as visitor:
        login = {"email": "reader@example.org", "password": PASSWORD, "csrf_token": _token(client, "/login")}
        assert client.post("/login", data=login).status_code == 303
        token = _token(client, "/library")
        answers: dict[str, int] = {}

        def upload() -> None:
            answer = client.post(path, files={"file": ("library.bib", BIBTEX.encode(), "application/x-bibtex")},
                                 data={"csrf_token": token}, headers={"X-CSRF-Token": token})  # fmt: skip
            answers["upload"] = answer.status_code

        uploading = threading.Thread(target=upload)
        uploading.start()
        assert started.wait(30)
        answers["visitor"] = visitor.get("/api/stats").status_code
        visitor_answered.set()
        uploading.join(60)
    assert answers["visitor"] == 200
    assert answers["upload"] in (200, 303), answers  # the page form redirects to the library
