"""Read a source on a background thread while the main thread writes.

Parsing is Python and holds the GIL; SQLite releases it while it inserts and indexes, so the two
overlap on a second core. The queue is bounded, so memory stays constant however large the file.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
_DONE = object()


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def prefetch(items: Iterable[T], depth: int = 2_048) -> Iterator[T]:
    """Yield what `items` yields, produced ahead on a daemon thread; its exceptions re-raise here."""
    buffer: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        buffer.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            buffer.put(_DONE)
        except BaseException as exc:
            buffer.put(_Failure(exc))

    thread = threading.Thread(target=produce, name="paperradar-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            item = buffer.get()
            if item is _DONE:
                return
            if isinstance(item, _Failure):
                raise item.error
            yield item  # type: ignore[misc]
    finally:
        stop.set()  # the consumer stopped early (an error, --strict, Ctrl-C): let the producer end
        thread.join(timeout=5)
