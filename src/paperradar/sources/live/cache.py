"""Where conditional GETs keep bodies between runs: the ResponseCache protocol and an in-memory one.

A store-backed cache only has to offer get/put keyed by URL (secrets already masked by the client).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class CachedBody:
    """A body kept for conditional requests, with the validators the server gave it."""

    content: bytes
    etag: str | None = None
    last_modified: str | None = None


class ResponseCache(Protocol):
    """Where conditional GETs keep bodies; keys are URLs with secrets masked."""

    def get(self, key: str) -> CachedBody | None: ...

    def put(self, key: str, entry: CachedBody) -> None: ...


class MemoryCache:
    """A bounded in-process ResponseCache that forgets the least recently used body first."""

    def __init__(self, max_entries: int = 256) -> None:
        self._entries: OrderedDict[str, CachedBody] = OrderedDict()
        self._max = max_entries

    def get(self, key: str) -> CachedBody | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, key: str, entry: CachedBody) -> None:
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)
