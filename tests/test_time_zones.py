"""The suite's date-sensitive tests pass whatever the server's time zone (issue 15, item 9): trending,
best-of, the daily feeds and the digest's composition, run again in subprocesses with TZ set."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
DATE_SENSITIVE = ["rank", "digest/test_compose.py", "digest/test_personal.py"]


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Asia/Tokyo"])
def test_the_date_sensitive_tests_pass_in_another_time_zone(zone):
    files = [str(TESTS / name) for name in DATE_SENSITIVE]
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *files],
                         env={**os.environ, "TZ": zone}, capture_output=True, text=True, timeout=1200,
                         cwd=TESTS.parent)  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert " passed" in run.stdout and " skipped" not in run.stdout.splitlines()[-1]
