"""Helpers the tests import: where fixtures and the reference data are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(os.environ.get("PAPERRADAR_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))


def shared_path(*parts: str) -> Path:
    """A file of the reference data, or a skip saying why it is missing (a user's clone has no ../shared)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"reference data not present: {path} (it lives in ../shared beside the checkout)")
    return path
