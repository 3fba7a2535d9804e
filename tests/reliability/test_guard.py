"""Contract of the writer guard, on SQLite (file lock) and PostgreSQL (fenced lease).

One writer per state store: a second writer is refused at once, naming the holder; a
writer that lost the store cannot commit (fencing); migrations never race.
"""

from __future__ import annotations

import os
import socket
import threading
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from syncd.store import open_store
from syncd.store.guard import LeaseLost, StoreHeld

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def _expire(store) -> None:
    """What a pause past the lease's expiry looks like (PostgreSQL), or what removing the
    lock file does (SQLite): the store is free for another writer."""
    if store.engine.dialect.name == "postgresql":
        with store.engine.connect().execution_options(syncd_unfenced=True) as conn, conn.begin():
            conn.execute(sa.text("UPDATE leases SET expires_at = expires_at - interval '1 hour'"))
    else:
        os.unlink(store.guard.path)


def test_a_second_writer_is_refused_naming_the_holder(store_url):
    first = open_store(store_url)
    try:
        assert first.guard.held and first.guard.epoch is not None
        with pytest.raises(StoreHeld) as refused:
            open_store(store_url)
        message = str(refused.value)
        assert f"pid {os.getpid()}" in message and socket.gethostname() in message
        assert refused.value.exit_code == 2
        assert first.guard.current().token == first.guard.holder.token
    finally:
        first.close()


def test_released_store_can_be_taken_and_the_epoch_only_grows(store_url):
    first = open_store(store_url)
    epoch = first.guard.epoch
    first.close()
    assert first.guard.epoch is None
    second = open_store(store_url)
    try:
        assert second.guard.held and second.guard.epoch >= epoch
        if second.engine.dialect.name == "postgresql":
            assert second.guard.epoch == epoch + 1
        second.save_cursor("s", {"at": 1}, now=NOW)
        assert second.load_cursor("s") == {"at": 1}
    finally:
        second.close()


def test_a_writer_that_lost_the_store_cannot_commit(store_url):
    old = open_store(store_url)
    old.save_cursor("s", {"by": "old"}, now=NOW)
    _expire(old)
    new = open_store(store_url)
    try:
        with pytest.raises(LeaseLost):
            old.save_cursor("s", {"by": "old, after losing the store"}, now=NOW)
        assert old.guard.lost.is_set()
        new.save_cursor("s", {"by": "new"}, now=NOW)
        assert new.load_cursor("s") == {"by": "new"}
        with pytest.raises(LeaseLost):  # and it stays refused
            old.save_cursor("t", {"by": "old"}, now=NOW)
        assert new.load_cursor("t") is None
    finally:
        old.close()
        new.close()


def test_renewal_extends_and_fails_after_a_takeover(store_url):
    old = open_store(store_url)
    old.guard.renew()
    _expire(old)
    new = open_store(store_url)
    try:
        with pytest.raises(LeaseLost):
            old.guard.renew()
        new.guard.renew()
    finally:
        old.close()
        new.close()


def test_a_reader_opens_beside_the_writer_but_cannot_commit(store_url):
    writer = open_store(store_url)
    writer.save_cursor("s", {"v": 1}, now=NOW)
    reader = open_store(store_url, writer=False)
    try:
        assert reader.load_cursor("s") == {"v": 1} and not reader.guard.held
        with pytest.raises(LeaseLost):
            reader.save_cursor("s", {"v": 2}, now=NOW)
        assert writer.load_cursor("s") == {"v": 1}
    finally:
        reader.close()
        writer.close()


def test_two_writers_starting_together_never_race_the_migration(store_url):
    """Today's failure: 'table contacts already exists' / UniqueViolation on a fresh store."""
    barrier, results = threading.Barrier(4), []

    def start() -> None:
        barrier.wait()
        try:
            results.append(open_store(store_url))
        except StoreHeld as exc:
            results.append(exc)
        except Exception as exc:  # noqa: BLE001 - the failure this test guards against
            results.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    stores = [r for r in results if not isinstance(r, Exception)]
    errors = [r for r in results if isinstance(r, Exception)]
    try:
        assert len(stores) == 1, results
        assert len(errors) == 3 and all(isinstance(e, StoreHeld) for e in errors), errors
        stores[0].save_cursor("s", {"ok": True}, now=NOW)
    finally:
        for s in stores:
            s.close()


def test_syncd_once_beside_a_writer_exits_2_naming_it(config_path, capsys):
    from syncd.cli import main

    holder = open_store(f"sqlite:///{config_path.parent / 'state.db'}")
    try:
        assert main(["once", "--config", str(config_path)]) == 2
    finally:
        holder.close()
    err = capsys.readouterr().err
    assert err.startswith("syncd: the state store ") and "unexpected" not in err
    assert f"pid {os.getpid()} on host {socket.gethostname()}" in err and "Traceback" not in err
    assert str(config_path.parent / "state.db") in err
