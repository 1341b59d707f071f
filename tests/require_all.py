"""A pytest plugin: with PAPERRADAR_REQUIRE_ALL=1 (CI sets it) a skip is a failure, and every run ends by
saying how many cases skipped. Locally the suite skips, saying why, what the machine lacks (a PostgreSQL
server, pgvector, chromium, ../shared); CI must run every part or fail, never go green with parts left out."""

from __future__ import annotations

import os

import pytest

VARIABLE = "PAPERRADAR_REQUIRE_ALL"


def _required() -> bool:
    return os.environ.get(VARIABLE, "") not in ("", "0")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    if _required() and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"{VARIABLE}=1 forbids skipping, and this case would have skipped: {reason}"


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    skipped = len(terminalreporter.stats.get("skipped", []))
    hint = "" if not skipped or _required() else f" (set {VARIABLE}=1 to make each of them a failure)"
    terminalreporter.write_line(f"paperradar: {skipped} skipped{hint}")
