"""Native JSON-lines files: one paper object per line (schema in fields.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from paperradar.sources.base import BadRecord, Record
from paperradar.sources.files.fields import FieldError, to_paper
from paperradar.sources.files.reading import TextFile


class JsonlSource:
    format = "jsonl"
    # How one decoded line becomes a Paper; formats that are JSON lines of another shape override it.
    convert = staticmethod(to_paper)

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = str(path)
        self._file: TextFile | None = None

    def read(self) -> Iterator[Record | BadRecord]:
        self._file = TextFile(self.path)
        try:
            for number, line in self._file.raw_lines():
                if not line.strip():
                    continue
                location = f"{self.path}:{number}"
                try:
                    paper = self.convert(json.loads(line))  # json reads UTF-8 bytes itself
                except (ValueError, RecursionError) as exc:  # JSONDecodeError and FieldError are ValueErrors
                    yield BadRecord(location, _reason(exc))
                    continue
                yield Record(paper, location)
        finally:
            self._file.close()

    def progress(self) -> tuple[int, int | None]:
        if self._file is None:
            return 0, self.path.stat().st_size
        return self._file.bytes_read(), self._file.size


def _reason(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"not valid JSON ({exc.msg} at column {exc.colno})"
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8 text ({exc.reason})"
    if isinstance(exc, FieldError):
        return str(exc)
    return f"cannot read the record ({exc})"[:300]
