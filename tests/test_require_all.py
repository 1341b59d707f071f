"""The skip guard itself (tests/require_all.py): a run missing a part fails under PAPERRADAR_REQUIRE_ALL=1,
naming what is missing, and passes with the skip counted without it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
POSTGRES_CASE = "store/test_contract.py::test_the_seed_corpus_merges_476_records_into_450_papers[postgres]"
SHARED_CASE = "search/test_daily_corpus.py"


def _pytest(case: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "PAPERRADAR_REQUIRE_ALL"} | env
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", str(TESTS / case)],
                          cwd=TESTS.parent, env=environment, capture_output=True, text=True, timeout=300)  # fmt: skip


UNREACHABLE = {"PAPERRADAR_TEST_POSTGRES": "postgresql://postgres@127.0.0.1:1"}  # nothing listens on port 1
NO_SHARED = {"PAPERRADAR_SHARED": "/nonexistent/shared"}


MISSING = [
    (POSTGRES_CASE, UNREACHABLE, "no PostgreSQL server at"),
    (SHARED_CASE, NO_SHARED, "reference data not present"),
]


@pytest.mark.parametrize(("case", "env", "reason"), MISSING)
def test_a_missing_part_fails_the_run_when_everything_is_required(case, env, reason):
    done = _pytest(case, PAPERRADAR_REQUIRE_ALL="1", **env)
    assert done.returncode == 1, done.stdout
    assert "PAPERRADAR_REQUIRE_ALL=1 forbids skipping" in done.stdout and reason in done.stdout
    assert "paperradar: 0 skipped" in done.stdout


def test_without_the_variable_the_part_skips_and_the_count_is_printed():
    done = _pytest(POSTGRES_CASE, **UNREACHABLE)
    assert done.returncode == 0, done.stdout
    assert "no PostgreSQL server at" in done.stdout
    assert "paperradar: 1 skipped (set PAPERRADAR_REQUIRE_ALL=1 to make each of them a failure)" in done.stdout
