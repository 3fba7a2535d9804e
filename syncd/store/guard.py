"""One writer per state store: the ``WriterGuard`` interface, its errors, and the fence.

Two implementations behind one interface:

- SQLite (``syncd.store.lock.FileLockGuard``): an exclusive OS lock (``flock``) on
  ``<db>.lock`` beside the database, held for the life of the process that writes.
- PostgreSQL (``syncd.store.lease.LeaseGuard``): a row in ``leases`` with a holder, an
  expiry and an ``epoch`` (the fencing token), bumped on every takeover.

``fence(engine, guard)`` makes every committing transaction on the engine call
``guard.check(conn)`` just before ``COMMIT``; a writer that lost the store (its lease taken
over while it was paused, its lock file replaced) has that commit refused with
``LeaseLost`` and nothing of the transaction is kept. Read-only transactions never commit,
so they are not checked. Migrations run under the same lock (SQLite) or under a
transaction-scoped advisory lock (PostgreSQL), never raced.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from syncd.errors import SyncdError

__all__ = ["UNFENCED", "Holder", "LeaseLost", "NoGuard", "StoreHeld", "WriterGuard", "fence",
           "open_guard", "writer_guard"]

UNFENCED = "syncd_unfenced"
"""Execution option marking the guard's own (and the migrations') transactions."""


@dataclass(frozen=True, kw_only=True)
class Holder:
    """Who holds (or asks for) the store: process id, host, since when, a unique token."""

    pid: int = field(default_factory=os.getpid)
    host: str = field(default_factory=socket.gethostname)
    since: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    token: str = field(default_factory=lambda: uuid.uuid4().hex)

    def describe(self) -> str:
        return f"pid {self.pid} on host {self.host} (since {self.since})"

    def to_dict(self) -> dict[str, Any]:
        return {"pid": self.pid, "host": self.host, "since": self.since, "token": self.token}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Holder:
        return cls(pid=int(data.get("pid") or 0), host=str(data.get("host") or "?"),
                   since=str(data.get("since") or "?"), token=str(data.get("token") or ""))


class StoreHeld(SyncdError):
    """Another process writes to this state store; exit 2, naming it."""

    exit_code = 2

    def __init__(self, where: str, holder: Holder | None) -> None:
        self.where, self.holder = where, holder
        who = holder.describe() if holder else "another process (its details are unreadable)"
        super().__init__(
            f"the state store {where} is in use by {who}. Only one syncd may write to a "
            f"state store at a time: stop that process first, or give this one its own "
            f"state.url. (syncd status and syncd explain may run alongside.)")


class LeaseLost(SyncdError):
    """This process no longer holds the store (taken over, expired, or lock file replaced);
    its pending commit was refused. The process must stop writing."""

    exit_code = 2


class WriterGuard(Protocol):
    """One writer per store. ``epoch`` is the fencing token while held (``None`` if not)."""

    holder: Holder
    lost: threading.Event
    """Set once the hold is known lost (taken over, lock file replaced): stop writing."""

    @property
    def epoch(self) -> int | None: ...

    @property
    def held(self) -> bool: ...

    def acquire(self) -> None:
        """Become the writer at once or raise ``StoreHeld`` naming the current holder."""

    def try_acquire(self) -> bool:
        """``acquire`` that answers ``False`` instead of raising (a standby polls this)."""

    def renew(self) -> None:
        """Extend the hold (a lease's expiry); raise ``LeaseLost`` if it was taken over."""

    def release(self) -> None:
        """Stop being the writer (idempotent); the next taker gets a higher epoch."""

    def check(self, conn: Connection) -> None:
        """Inside a transaction about to commit: raise ``LeaseLost`` unless still the writer."""

    def current(self) -> Holder | None:
        """Who holds the store now (any process), if anyone."""

    def migrating(self, writer: bool) -> Any:
        """Context manager: yields whether migrations may run now, under the lock (a file
        lock is taken for good by a writer, for the moment by a reader if it is free)."""


class NoGuard:
    """For an in-memory database: one process by construction, nothing to guard."""

    def __init__(self) -> None:
        self.holder = Holder()
        self.lost = threading.Event()
        self._held = False

    epoch = property(lambda self: 1 if self._held else None)
    held = property(lambda self: self._held)

    def acquire(self) -> None:
        self._held = True

    def try_acquire(self) -> bool:
        self._held = True
        return True

    def renew(self) -> None:
        return None

    def release(self) -> None:
        self._held = False

    def check(self, conn: Connection) -> None:
        return None

    def current(self) -> Holder | None:
        return self.holder if self._held else None

    def migrating(self, writer: bool):
        from contextlib import nullcontext

        return nullcontext(True)


def writer_guard(engine: Engine, **lease_options: Any) -> WriterGuard:
    """The guard for ``engine``'s database: a file lock (SQLite file), a lease (PostgreSQL)."""
    if engine.dialect.name == "postgresql":
        from syncd.store.lease import LeaseGuard

        return LeaseGuard(engine, **lease_options)
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and database != ":memory:":
        from syncd.store.lock import FileLockGuard

        return FileLockGuard(database)
    return NoGuard()


def fence(engine: Engine, guard: WriterGuard) -> None:
    """Check ``guard`` inside every transaction on ``engine`` just before it commits."""
    @sa.event.listens_for(engine, "commit")
    def _check(conn: Connection) -> None:
        if not conn.get_execution_options().get(UNFENCED):
            guard.check(conn)


def open_guard(engine: Engine, *, writer: bool, migrate, **lease_options: Any) -> WriterGuard:
    """Build the guard, run ``migrate(engine)`` under the lock, acquire the guard if
    ``writer`` (``StoreHeld`` if another process holds it), then fence the engine."""
    guard = writer_guard(engine, **lease_options)
    try:
        with guard.migrating(writer) as may_migrate:
            if may_migrate:
                migrate(engine)
        if writer:
            guard.acquire()
    except BaseException:
        guard.release()
        raise
    fence(engine, guard)
    return guard
