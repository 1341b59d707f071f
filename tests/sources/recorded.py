"""Where the live-source tests find responses: recorded samples in api-samples, and our own fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = Path(os.environ.get("PAPERRADAR_SHARED") or Path(__file__).resolve().parents[2].parent / "shared")
SAMPLES = SHARED / "data" / "api-samples"


def sample(relative: str) -> bytes:
    """A recorded response body from api-samples, or a skip saying where it was looked for."""
    path = SAMPLES / relative
    if not path.is_file():
        pytest.skip(f"recorded sample {relative} not found under {SAMPLES} (set PAPERRADAR_SHARED)")
    return path.read_bytes()


def samples(folder: str, pattern: str) -> list[Path]:
    found = sorted((SAMPLES / folder).glob(pattern))
    if not found:
        pytest.skip(f"no recorded samples {folder}/{pattern} under {SAMPLES} (set PAPERRADAR_SHARED)")
    return found


def fixture(name: str) -> bytes:
    """One of our own fixtures, written to the services' documented formats."""
    return (FIXTURES / name).read_bytes()
