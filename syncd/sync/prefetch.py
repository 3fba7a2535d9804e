"""Read ahead: a source's batches are fetched on a worker thread while the caller stores the
ones before them, so HubSpot's answers and rate-limit waits overlap syncd's own work.

``with ReadAhead(lambda: source.pull(...), depth=4) as batches: for batch in batches: …``

The source's iterator runs wholly on the worker (created, advanced and closed there); the
caller's thread keeps everything else (the state store's connection in particular). At most
``depth`` batches wait in the queue: a slow store holds the reads back (back-pressure) and
memory stays bounded. A source error reaches the caller at the place the failing batch would
have been, after the batches read before it; leaving the ``with`` block early (the caller
failed, or stopped reading) asks the worker to stop after the read in hand and waits for it,
so no read outlives the cycle. ``depth=0`` reads on the caller's thread, one batch at a time
(the pipeline off: the same batches in the same order).
"""

from __future__ import annotations

import contextvars
import queue
import threading
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

__all__ = ["ReadAhead"]

T = TypeVar("T")
_END = object()


class ReadAhead(Generic[T]):
    def __init__(self, open_source: Callable[[], Iterator[T]], *, depth: int = 4,
                 name: str = "syncd-read-ahead") -> None:
        if depth < 0:
            raise ValueError("depth must be 0 (no read-ahead) or more")
        self._open, self.depth, self._name = open_source, depth, name
        self._queue: queue.Queue = queue.Queue(maxsize=max(depth, 1))
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._inline: Iterator[T] | None = None

    def __enter__(self) -> ReadAhead[T]:
        if self.depth == 0:
            self._inline = self._open()
        else:  # the worker sees the caller's log context (run id)
            context = contextvars.copy_context()
            self._thread = threading.Thread(target=context.run, args=(self._produce,), name=self._name,
                                            daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[T]:
        if self._inline is not None:
            yield from self._inline
            return
        while True:
            item, error = self._queue.get()
            if item is _END:
                if error is not None:
                    raise error
                return
            yield item

    def close(self) -> None:
        """Stop reading and wait for the worker (it finishes the read in hand)."""
        if self._inline is not None:
            close = getattr(self._inline, "close", None)
            if close is not None:
                close()
            return
        self._stop.set()
        if self._thread is not None:
            while self._thread.is_alive():
                self._drain()
                self._thread.join(timeout=0.05)

    def _drain(self) -> None:
        try:
            while True:
                self._queue.get_nowait()
        except queue.Empty:
            return

    def _produce(self) -> None:
        try:
            source = self._open()
            try:
                for item in source:
                    if not self._put((item, None)):
                        return
            finally:
                close = getattr(source, "close", None)
                if close is not None:
                    close()
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
