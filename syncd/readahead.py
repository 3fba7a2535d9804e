"""Read ahead: paged sources are read on worker threads while the caller handles the pages
already read, so answers and rate-limit waits overlap syncd's own work.

``with ReadAhead(lambda: source.pull(...), depth=4) as pages: for page in pages: …``

Each source's iterator runs wholly on its worker (created, advanced and closed there); the
caller's thread keeps everything else (the state store's connection in particular). At most
``depth`` pages wait in the queue: a slow caller holds the reads back (back-pressure) and
memory stays bounded. Several sources (``ReadAhead(a, b)``) are read side by side, each on
its own worker, their pages interleaved as they come (each source's own order kept). A
source's error reaches the caller after the pages read before it, and stops the others;
leaving the ``with`` block early (the caller failed, or stopped reading) asks every worker to
stop after the read in hand and waits for it, so no read outlives its caller. ``depth=0``
reads on the caller's thread, one page at a time, the sources one after the other (read-ahead
off: the same pages).
"""

from __future__ import annotations

import contextvars
import queue
import threading
from collections.abc import Callable, Generator, Iterator, Sequence
from typing import Generic, TypeVar

__all__ = ["ReadAhead"]

T = TypeVar("T")
_END = object()


class ReadAhead(Generic[T]):
    def __init__(self, *open_sources: Callable[[], Iterator[T]], depth: int = 4,
                 name: str = "syncd-read-ahead") -> None:
        if depth < 0:
            raise ValueError("depth must be 0 (no read-ahead) or more")
        if not open_sources:
            raise ValueError("ReadAhead needs at least one source")
        self._sources, self.depth, self._name = open_sources, depth, name
        self._queue: queue.Queue = queue.Queue(maxsize=max(depth, 1))
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._inline: Generator[T, None, None] | None = None

    def __enter__(self) -> ReadAhead[T]:
        if self.depth == 0:
            self._inline = _one_after_another(self._sources)
            return self
        for n, source in enumerate(self._sources):  # each worker sees the caller's log context
            context = contextvars.copy_context()
            name = self._name if len(self._sources) == 1 else f"{self._name}-{n}"
            thread = threading.Thread(target=context.run, args=(self._produce, source), name=name, daemon=True)
            self._threads.append(thread)
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[T]:
        if self._inline is not None:
            yield from self._inline
            return
        running = len(self._threads)
        while running:
            item, error = self._queue.get()
            if item is not _END:
                yield item
                continue
            if error is not None:
                self._stop.set()
                raise error
            running -= 1

    def close(self) -> None:
        """Stop reading and wait for the workers (each finishes the read in hand)."""
        if self._inline is not None:
            self._inline.close()
            return
        self._stop.set()
        for thread in self._threads:
            while thread.is_alive():
                self._drain()
                thread.join(timeout=0.05)

    def _drain(self) -> None:
        try:
            while True:
                self._queue.get_nowait()
        except queue.Empty:
            return

    def _produce(self, open_source: Callable[[], Iterator[T]]) -> None:
        try:
            source = open_source()
            try:
                for item in source:
                    if not self._put((item, None)):
                        return
            finally:
                _close(source)
        except BaseException as exc:  # noqa: BLE001 — handed to the caller's thread
            self._put((_END, exc))
            return
        self._put((_END, None))

    def _put(self, entry: tuple) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False


def _one_after_another(sources: Sequence[Callable[[], Iterator[T]]]) -> Generator[T, None, None]:
    """The sources read in turn on the caller's thread, each closed when left (read-ahead off)."""
    for open_source in sources:
        source = open_source()
        try:
            yield from source
        finally:
            _close(source)


def _close(source: Iterator) -> None:
    """Close a generator (its ``finally`` blocks run); a plain iterator needs nothing."""
    close = getattr(source, "close", None)
    if close is not None:
        close()
