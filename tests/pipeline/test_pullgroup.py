"""Pulled pages stored several per transaction: in order, bounded, never ahead of the echo check."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime

import pytest

from syncd.models import EngagementEvent, EngagementKind, HubSpotContact
from syncd.ports import PullBatch
from syncd.store import open_store
from syncd.sync.pullgroup import PullGroups
from syncd.testing import MemoryStateStore

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def contacts(*ids: str) -> PullBatch:
    return PullBatch(contacts=[HubSpotContact(id=i, properties={"email": f"{i}@x.io"}, updated_at=NOW) for i in ids])


def events(cid: str, n: int, start: int = 0) -> PullBatch:
    return PullBatch(events=[EngagementEvent(id=f"e:{cid}:{k}", contact_id=cid, kind=EngagementKind.EMAIL_OPEN,
                                             occurred_at=NOW) for k in range(start, start + n)])


class Recording(MemoryStateStore):
    """Counts the batches of each transaction the pull commits (saved, then committed)."""

    def __init__(self) -> None:
        super().__init__()
        self.transactions: list[int] = []
        self._open = 0

    @contextmanager
    def pull_writer(self, *, now):
        store = self

        class Writer:
            def save(self, batch, quiet):
                store._open += 1
                return store.save_pull_batch(batch, now=now, quiet=quiet)

            def commit(self):
                if store._open:
                    store.transactions.append(store._open)
                    store._open = 0
                return 0
        writer = Writer()
        try:
            yield writer
        finally:
            writer.commit()


def run(store, batches, max_rows=10) -> PullGroups:
    with PullGroups(store, now=NOW, max_rows=max_rows) as groups:
        for batch in batches:
            groups.before(batch)
            groups.add(batch, set())
    return groups


def test_pages_are_stored_together_up_to_the_row_bound():
    store = Recording()
    groups = run(store, [contacts("1", "2"), events("1", 3), events("2", 3), events("1", 4, 3), events("2", 1, 3)])
    assert store.transactions == [3, 2]  # 8 rows held, 4 more would pass 10: the fourth page starts a group
    assert groups.new_events == 11 and store.counts()["engagement"] == 11


def test_a_page_naming_a_held_contact_closes_the_group_before_it_is_checked():
    store = Recording()
    with PullGroups(store, now=NOW) as groups:
        for batch in (contacts("1", "2"), contacts("3"), contacts("2")):
            groups.before(batch)
            seen = store.contact_properties([c.id for c in batch.contacts])  # what the echo check reads
            assert set(seen) == ({"2"} if batch.contacts[0].id == "2" else set())
            groups.add(batch, set())
    assert store.transactions == [2, 1]


def test_what_was_held_is_stored_when_the_pull_fails():
    store = Recording()

    def pull():
        yield contacts("1")
        yield events("1", 2)
        raise ConnectionError("HubSpot went away")
    with pytest.raises(ConnectionError):
        run(store, pull())
    assert store.transactions == [2]
    assert [c.id for c in store.pending_contacts()] == ["1"] and store.counts()["engagement"] == 2


def test_a_transaction_is_committed_once_it_names_max_names_contacts():
    """Contacts held in one transaction are bounded apart from its rows: the names of the
    open transaction are kept in memory."""
    store = Recording()
    with PullGroups(store, now=NOW, max_rows=1000, max_names=3) as groups:
        for batch in (contacts("1", "2"), contacts("3", "4"), events("1", 50), contacts("5")):
            groups.before(batch)
            groups.add(batch, set())
    assert store.transactions == [1, 3]  # 2 names + 2 more would pass 3; then the third name ends one


def test_new_events_counts_what_each_commit_stored(tmp_path):
    """On SQLite a transaction's events are stored at its commit: the group's count of new
    events includes them, the last commit's too (when the block is left)."""
    store = open_store(f"sqlite:///{tmp_path / 'state.db'}")
    groups = run(store, [contacts("1", "2"), events("1", 3), events("2", 3), events("1", 4, 2)], max_rows=8)
    assert groups.new_events == store.counts()["engagement"] == 9  # e:1:2 came twice
    store.close()
