"""Native CSV files: a header row naming schema fields (fields.py), one paper per row."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path

from paperradar.errors import InputError
from paperradar.sources.base import BadRecord, Record
from paperradar.sources.files.fields import MAX_ABSTRACT, FieldError, to_paper
from paperradar.sources.files.reading import TextFile

csv.field_size_limit(min(sys.maxsize, MAX_ABSTRACT * 4))
# Only an abstract may hold line breaks, and no record runs on for this many lines: past either, a quote
# opened in one row was never closed and has swallowed the rows after it, which must stop the import.
MULTILINE_FIELDS = {"abstract"}
MAX_RECORD_LINES = 200


class CsvSource:
    format = "csv"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = str(path)
        self._file: TextFile | None = None

    def read(self) -> Iterator[Record | BadRecord]:
        self._file = TextFile(self.path)
        try:
            reader = csv.DictReader(self._file.text())
            if not reader.fieldnames or "title" not in reader.fieldnames:
                raise InputError(f"{self.path}:1: the header row has no 'title' column", hint="see docs/formats.md")
            line = 1
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    raise InputError(f"{self.path}:{reader.line_num}: malformed CSV ({exc})") from exc
                location = f"{self.path}:{line + 1}"  # the row's first line; quoted newlines span more
                _check_unbalanced(row, location, reader.line_num - line)
                line = reader.line_num
                if None in row:
                    yield BadRecord(location, "more values than the header has columns")
                    continue
                try:
                    yield Record(to_paper({k: v for k, v in row.items() if v != ""}), location)
                except FieldError as exc:
                    yield BadRecord(location, str(exc))
        finally:
            self._file.close()

    def progress(self) -> tuple[int, int | None]:
        if self._file is None:
            return 0, self.path.stat().st_size
        return self._file.bytes_read(), self._file.size


def _check_unbalanced(row: dict, location: str, lines: int) -> None:
    """Refuse a record that an unclosed quote has merged with the rows after it."""
    swallowing = [k for k, v in row.items() if k not in MULTILINE_FIELDS and isinstance(v, str) and "\n" in v]
    if swallowing or lines > MAX_RECORD_LINES:
        field = f"its {swallowing[0]} field holds line breaks" if swallowing else f"it runs on for {lines} lines"
        raise InputError(f"{location}: {field}: a quote opened on this line is never closed",
                         hint="close the quote, or double a quote inside a quoted field (\"\")")  # fmt: skip
