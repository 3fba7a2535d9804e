"""Store pulled pages several at a time: one transaction per group of pages, bounded in size.

A pull yields a batch per page (100–1,000 records); a transaction per page costs a commit
(an fsync on SQLite) and its bookkeeping each time, and the index of events by contact
takes inserts all over, so a page of it changed by many events in one transaction is
written once: 20,000 rows a transaction cost about a third less store CPU than 5,000
(``bench/README.md``). ``PullGroups`` saves each batch into the store's open transaction
as it comes (``StateStore.pull_writer``: nothing is held in memory) and commits once the
transaction holds ``max_rows`` contacts and events. Each batch still carries its own
cursors, so a cursor is never stored without the data it covers. A batch that names a
contact saved in the open transaction commits it first: the echo check of that batch
(``echo_of_own_writes``) reads the contact as stored. Leaving the ``with`` block commits
what was saved, also when the pull failed (then the error goes on).
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

    def __init__(self, store: StateStore, *, now: datetime, max_rows: int = 20000) -> None:
        self.store, self.now, self.max_rows = store, now, max_rows
        self.new_events = 0
        self._names: set[str] = set()
        self._rows = 0
        self._exit = ExitStack()

    def __enter__(self) -> PullGroups:
        self._writer = self._exit.enter_context(self.store.pull_writer(now=self.now))
        return self

    def __exit__(self, *exc) -> bool | None:
        return self._exit.__exit__(*exc)

    def before(self, batch: PullBatch) -> None:
        """Commit the open transaction first if ``batch`` names one of its contacts or
        would make it too large."""
        if self._rows and (self._rows + len(batch.contacts) + len(batch.events) > self.max_rows
                           or not self._names.isdisjoint(_names(batch))):
            self.flush()

    def add(self, batch: PullBatch, quiet: Collection[str]) -> None:
        self.new_events += self._writer.save(batch, quiet)
        self._names |= _names(batch)
        self._rows += len(batch.contacts) + len(batch.events)
        if self._rows >= self.max_rows:
            self.flush()

    def flush(self) -> None:
        self._writer.commit()
        self._names, self._rows = set(), 0
