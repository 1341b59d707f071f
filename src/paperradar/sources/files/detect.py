"""Choose the reader for a file: by the --format asked for, else by its name and first line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from paperradar.errors import InputError
from paperradar.sources.base import Source
from paperradar.sources.files.arxiv_snapshot import ArxivSnapshotSource
from paperradar.sources.files.csv_file import CsvSource
from paperradar.sources.files.jsonl import JsonlSource
from paperradar.sources.files.reading import first_line

FORMATS: dict[str, Callable[[Path], Source]] = {
    "jsonl": JsonlSource,
    "csv": CsvSource,
    "arxiv-snapshot": ArxivSnapshotSource,
}
# Fields only the arXiv snapshot has; a native file naming them would be unusual.
_SNAPSHOT_MARKERS = ("authors_parsed", "versions", "submitter")


def detect_format(path: Path) -> str:
    name = path.name.lower().removesuffix(".gz")
    if name.endswith(".csv"):
        return "csv"
    line = first_line(path)
    if not line.strip():
        return "jsonl"
    try:
        first = json.loads(line)
    except json.JSONDecodeError:
        raise InputError(
            f"{path}:1: cannot tell the format (not a JSON line, and the name does not end in .csv)",
            hint="pass --format jsonl, csv or arxiv-snapshot",
        ) from None
    if isinstance(first, dict) and all(marker in first for marker in _SNAPSHOT_MARKERS):
        return "arxiv-snapshot"
    return "jsonl"


def open_source(path: Path, fmt: str = "auto") -> Source:
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if fmt == "auto":
        fmt = detect_format(path)
    if fmt not in FORMATS:
        raise InputError(f"--format: unknown format {fmt!r}", hint="use auto, " + ", ".join(FORMATS))
    return FORMATS[fmt](path)
