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
