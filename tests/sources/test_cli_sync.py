"""The real CLI (`python -m paperradar`) syncing from the replay server, and the worker's schedule."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from paperradar.jobs.worker import next_run, run_forever
from paperradar.service import Library
from paperradar.settings import load_settings
from sources.recorded import fixture
from sources.replay import Reply

TOKEN = "6960524|1001"


def env_for(tmp_path: Path, replay) -> dict[str, str]:
    """The CLI's environment: a home of the test's own, every live source at the replay server."""
    env = {
        **os.environ,
        "PAPERRADAR_HOME": str(tmp_path / "home"),
        "PAPERRADAR_CONTACT_EMAIL": "operator@example.org",
        "PAPERRADAR_ARXIV_OAI_URL": replay.url("/oai"),
        "PAPERRADAR_ARXIV_API_URL": replay.url("/api/query"),
        "PAPERRADAR_HF_URL": replay.base,
        "PAPERRADAR_OPENALEX_URL": replay.base,
        "PAPERRADAR_S2_URL": replay.base,
        "PAPERRADAR_OPENALEX_API_KEY": "oa-secret",
        "PAPERRADAR_HTTP_MIN_INTERVAL": "0",
        "PAPERRADAR_HTTP_MAX_RETRIES": "0",  # the CLI really sleeps between retries; faults are tested in-process
        "PAPERRADAR_WORKER_RETRY_PAUSE": "0",  # the worker tries a stopped job again at once, not in 5 minutes
    }
    env.pop("PAPERRADAR_DATABASE_URL", None)
    return env


def run(tmp_path: Path, replay, *args: str, code: int = 0) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "paperradar", *args],
        capture_output=True,
        text=True,
        env=env_for(tmp_path, replay),
        timeout=60,
    )
    assert done.returncode == code, f"exit {done.returncode}\nstdout: {done.stdout}\nstderr: {done.stderr}"
    return json.loads(done.stdout)


def script_everything(replay, hf=None):
    page1 = Reply(body=fixture("oai_listrecords_arXiv_page1.xml"))
    replay.script("/oai", page1, match={"metadataPrefix": "arXiv"}, repeat=True)
    replay.script("/oai", Reply(body=fixture("oai_listrecords_arXiv_last_page_with_deleted.xml")), repeat=True)
    replay.script("/api/daily_papers", hf or Reply(body=fixture("hf_daily_2026-03-06.json")), repeat=True)
    replay.script("/works", Reply(body=fixture("openalex_works_doi_2312.07559.json")), repeat=True)
    replay.script("/api/query", Reply(body=fixture("atom2026_id_1707.08567.xml")), repeat=True)


def test_each_sync_command_ingests_and_a_second_run_changes_nothing(tmp_path, replay):
    script_everything(replay)
    keys = {"source", "fetched", "added", "updated", "signals", "errors", "complete"}
    arxiv = run(tmp_path, replay, "sync", "arxiv", "--set", "cs", "--from", "2026-03-01", "--json")
    assert set(arxiv) == keys | {"embedding"} and (arxiv["added"], arxiv["complete"]) == (3, True)
    assert arxiv["embedding"]["embedded"] == 3, "new papers are embedded for semantic search, as on import"
    hf = run(tmp_path, replay, "sync", "hf-daily", "--date", "2026-03-06", "--json")
    assert (hf["added"], hf["updated"]) == (1, 1) and hf["signals"] > 0  # Attention came from arXiv already
    query = run(tmp_path, replay, "sync", "arxiv", "--query", "id:1707.08567", "--max-results", "5", "--json")
    assert query["added"] == 1
    cites = run(tmp_path, replay, "sync", "citations", "--source", "openalex", "--json")
    assert set(cites) == keys and cites["complete"]
    assert "oa-secret" not in json.dumps(cites)

    shown = run(tmp_path, replay, "show", "2602.23229", "--json")
    kinds = {s["kind"]: s for s in shown["signals"]}
    assert kinds["hf_upvotes"]["value"] == 10 and kinds["hf_upvotes"]["source"] == "huggingface"
    assert kinds["github_stars"]["value"] == 9
    assert shown["citation_snapshots"] == []
    assert {s["kind"] for s in run(tmp_path, replay, "show", "1706.03762", "--json")["signals"]} >= {"hf_upvotes"}

    again_hf = run(tmp_path, replay, "sync", "hf-daily", "--date", "2026-03-06", "--json")
    assert (again_hf["added"], again_hf["updated"], again_hf["signals"]) == (0, 0, 0)
    again_cites = run(tmp_path, replay, "sync", "citations", "--json")
    assert (again_cites["added"], again_cites["updated"], again_cites["signals"]) == (0, 0, 0)
    assert run(tmp_path, replay, "stats", "--json")["papers"] == 5


def test_the_worker_runs_every_job_once_and_one_failure_does_not_stop_the_others(tmp_path, replay):
    script_everything(replay, hf=Reply(500, b"down"))
    results = run(tmp_path, replay, "worker", "--once", "--json", code=1)
    assert list(results) == ["arxiv", "hf-daily", "citations"]
    assert results["arxiv"]["complete"] and results["arxiv"]["added"] == 3
    assert not results["hf-daily"]["complete"] and "HTTP 500" in results["hf-daily"]["errors"][0]["reason"]
    assert results["citations"]["complete"]
    embedded = run(tmp_path, replay, "embed", "--json")
    assert (embedded["embedded"], embedded["pending_after"]) == (0, 0), "the worker embedded what arXiv added"


def test_a_sync_without_a_contact_address_is_refused(tmp_path, replay):
    env = {**os.environ, "PAPERRADAR_HOME": str(tmp_path)}
    env.pop("PAPERRADAR_CONTACT_EMAIL", None)
    done = subprocess.run([sys.executable, "-m", "paperradar", "sync", "citations"], capture_output=True, text=True,
                          env=env, timeout=60)  # fmt: skip
    assert done.returncode == 1 and "PAPERRADAR_CONTACT_EMAIL" in done.stderr
    assert replay.requests == []


def test_the_schedule_runs_each_job_at_its_time_and_survives_a_crash(tmp_path, monkeypatch):
    settings = load_settings(database_url=f"sqlite:///{tmp_path / 'w.db'}", contact_email="operator@example.org")
    library = Library.open(settings)
    clock = [datetime(2026, 3, 6, 0, 0, tzinfo=UTC)]
    ran: list[tuple[str, str]] = []

    def job(name):
        def call(*args, **kwargs):
            ran.append((name, clock[0].strftime("%H:%M")))
            if name == "arxiv":
                raise RuntimeError("arXiv exploded")
            from paperradar.sync import SyncSummary

            return SyncSummary(name)

        return call

    monkeypatch.setattr(library, "sync_arxiv", job("arxiv"))
    monkeypatch.setattr(library, "sync_hf_daily", job("hf-daily"))
    monkeypatch.setattr(library, "sync_citations", job("citations"))

    def sleep(seconds: float) -> None:
        from datetime import timedelta

        clock[0] += timedelta(seconds=seconds)

    run_forever(library, settings, now=lambda: clock[0], sleep=sleep, cycles=4)
    library.close()
    # The crashing job is tried again twice, five minutes apart (worker_retries, worker_retry_pause), then next day.
    retried = [("arxiv", "01:30"), ("arxiv", "01:35"), ("arxiv", "01:40")]
    assert ran == [*retried, ("citations", "03:00"), ("hf-daily", "07:00"), *retried]
    assert clock[0].day == 7


def test_next_run_is_today_when_still_ahead_else_tomorrow():
    from datetime import time

    now = datetime(2026, 3, 6, 2, 0, tzinfo=UTC)
    assert next_run(time(3, 0), now) == datetime(2026, 3, 6, 3, 0, tzinfo=UTC)
    assert next_run(time(1, 30), now) == datetime(2026, 3, 7, 1, 30, tzinfo=UTC)
