"""Open a file for streaming, gzip or plain, and report how far through it a reader is."""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from pathlib import Path

from paperradar.errors import InputError


class TextFile:
    """Lines of a (possibly gzipped) UTF-8 file, with progress in bytes of the file on disk."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._raw = path.open("rb")
        except OSError as exc:
            raise InputError(f"{path}: cannot open ({exc.strerror or exc})") from exc
        self.size = path.stat().st_size
        magic = self._raw.peek(2)[:2] if hasattr(self._raw, "peek") else b""
        self._stream: io.BufferedIOBase = gzip.GzipFile(fileobj=self._raw) if magic == b"\x1f\x8b" else self._raw

    def raw_lines(self) -> Iterator[tuple[int, bytes]]:
        """(line number, undecoded line) from 1; a corrupt or cut-off gzip stream is an error naming the line."""
        number = 0
        try:
            for number, raw in enumerate(self._stream, start=1):
                yield number, raw
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(f"{self.path}:{number + 1}: cannot read further ({exc})") from exc

    def lines(self) -> Iterator[tuple[int, str]]:
        """(line number, line) from 1. Lines are decoded one at a time so an error names its exact line."""
        for number, raw in self.raw_lines():
            try:  # a byte-order mark opens what Excel's "CSV UTF-8" and some editors write: not part of the text
                yield number, raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(f"{self.path}:{number}: not UTF-8 text ({exc.reason})") from exc

    def text(self) -> Iterator[str]:
        """Just the lines, for readers such as csv that count lines themselves."""
        for _number, line in self.lines():
            yield line

    def bytes_read(self) -> int:
        try:
            return self._raw.tell()
        except (OSError, ValueError):
            return self.size

    def close(self) -> None:
        self._stream.close()
        self._raw.close()


def first_line(path: Path) -> str:
    """The first non-blank line, for format detection."""
    source = TextFile(path)
    try:
        for _number, line in source.lines():
            if line.strip():
                return line
        return ""
    finally:
        source.close()
