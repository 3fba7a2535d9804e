"""Store pulled pages several at a time: one transaction per group of pages, bounded in size.

A pull yields a batch per page (100–1,000 records); a transaction per page costs a commit
(an fsync on SQLite) and its bookkeeping each time, and the indexes of events (by id, by
contact) take inserts all over, so a page of them changed by many events in one
transaction is written once: the more events a transaction holds, the fewer times each
page is written (``bench/bench_store.py``). ``PullGroups`` saves each batch into the store's
open transaction as it comes (``StateStore.pull_writer``: nothing is held in memory here)
and commits once the transaction holds ``max_rows`` contacts and events, or names
``max_names`` contacts (the names of the open transaction are held, to find a batch that
names one of them again). Each batch still carries its own cursors, so a cursor is never
stored without the data it covers. A batch that names a contact saved in the open
transaction commits it first: the echo check of that batch (``echo_of_own_writes``) reads
the contact as stored. Leaving the ``with`` block commits what was saved, also when the
pull failed (then the error goes on).
"""

from __future__ import annotations

from collections.abc import Collection
from contextlib import ExitStack
from datetime import datetime

from syncd.ports import PullBatch, StateStore

__all__ = ["PullGroups"]


def _names(batch: PullBatch) -> set[str]:
    return {c.id for c in batch.contacts} | {i for pair in batch.merges for i in pair} | set(batch.deleted)


class PullGroups:
    """``with PullGroups(store, now=now) as groups:`` then per batch ``groups.before(batch)``,
    the echo check, ``groups.add(batch, quiet)``; ``groups.new_events`` counts what was new."""

    def __init__(self, store: StateStore, *, now: datetime, max_rows: int = 200_000,
                 max_names: int = 20_000) -> None:
        self.store, self.now, self.max_rows, self.max_names = store, now, max_rows, max_names
        self.new_events = 0
        self._names: set[str] = set()
        self._rows = 0
        self._exit = ExitStack()

    def __enter__(self) -> PullGroups:
        self._writer = self._exit.enter_context(self.store.pull_writer(now=self.now))
        return self

    def __exit__(self, *exc) -> None:
        with self._exit:  # the writer ends also when the last commit fails
            self.flush()  # what was saved is kept, also when the pull failed; its error goes on

    def before(self, batch: PullBatch) -> None:
        """Commit the open transaction first if ``batch`` names one of its contacts or
        would make it too large."""
        names = _names(batch)
        if self._rows and (self._rows + len(batch.contacts) + len(batch.events) > self.max_rows
                           or len(self._names) + len(names) > self.max_names
                           or not self._names.isdisjoint(names)):
            self.flush()

    def add(self, batch: PullBatch, quiet: Collection[str]) -> None:
        self.new_events += self._writer.save(batch, quiet)
        self._names |= _names(batch)
        self._rows += len(batch.contacts) + len(batch.events)
        if self._rows >= self.max_rows or len(self._names) >= self.max_names:
            self.flush()

    def flush(self) -> None:
        self.new_events += self._writer.commit()
        self._names, self._rows = set(), 0
