"""PostgreSQL's writer guard: a lease row with a fencing epoch.

``leases`` holds one row per guarded name: the holder (token, pid, host, since), ``epoch``
and ``expires_at`` (database time, so hosts' clocks do not matter). Acquiring takes the row
``FOR UPDATE``: free, expired or already ours → ours, and a takeover bumps ``epoch``;
otherwise ``StoreHeld`` names the holder. While held, a thread renews the lease every
``ttl / 3`` seconds. Every committing transaction first reads the row ``FOR SHARE`` and
refuses to commit unless it still carries our token and epoch: the share lock makes a
concurrent takeover wait until that commit is done, so a writer paused past its lease (and
taken over) can never commit afterwards.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from collections.abc import Iterator

import sqlalchemy as sa
import structlog
from sqlalchemy.engine import Connection, Engine

from syncd.store.guard import UNFENCED, Holder, LeaseLost, StoreHeld

__all__ = ["LeaseGuard", "migration_lock"]

log = structlog.get_logger("syncd.store")
_NOW = "(now() AT TIME ZONE 'UTC')"


def migration_lock(conn: Connection) -> None:
    """Serialise migrations of this schema across processes until the transaction ends."""
    conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtextextended("
                         "'syncd.migrate.' || current_schema(), 0))"))


class LeaseGuard:
    """``WriterGuard`` for a PostgreSQL state store."""

    def __init__(self, engine: Engine, *, name: str = "writer", ttl_seconds: float = 30.0,
                 renew_seconds: float | None = None) -> None:
        self.engine, self.name, self.ttl = engine, name, float(ttl_seconds)
        self.renew_every = renew_seconds if renew_seconds is not None else self.ttl / 3
        self.holder = Holder()
        self.lost = threading.Event()
        self._epoch: int | None = None
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None

    @property
    def epoch(self) -> int | None:
        return self._epoch

    @property
    def held(self) -> bool:
        return self._epoch is not None and not self.lost.is_set()

    def _begin(self):
        return self.engine.connect().execution_options(**{UNFENCED: True})

    def acquire(self) -> None:
        if not self.try_acquire():
            raise StoreHeld(f"{self.engine.url.render_as_string(hide_password=True)} "
                            f"(lease '{self.name}')", self.current())

    def try_acquire(self) -> bool:
        with self._begin() as conn, conn.begin():
            conn.execute(sa.text(
                f"INSERT INTO leases (name, epoch, expires_at) VALUES (:n, 0, {_NOW}) "
                "ON CONFLICT (name) DO NOTHING"), {"n": self.name})
            row = conn.execute(sa.text(
                f"SELECT token, epoch, expires_at <= {_NOW} AS expired FROM leases "
                "WHERE name = :n FOR UPDATE"), {"n": self.name}).one()
            ours = row.token == self.holder.token and row.epoch == self._epoch
            if not ours and row.token is not None and not row.expired:
                return False
            epoch = row.epoch if ours else row.epoch + 1
            conn.execute(sa.text(
                f"UPDATE leases SET token = :t, pid = :pid, host = :host, since = :since, "
                f"epoch = :e, acquired_at = {_NOW}, renewed_at = {_NOW}, "
                f"expires_at = {_NOW} + make_interval(secs => :ttl) WHERE name = :n"),
                {**self.holder.to_dict(), "t": self.holder.token, "e": epoch, "ttl": self.ttl,
                 "n": self.name})
        if not ours:
            log.info("lease.acquired", lease=self.name, epoch=epoch, pid=self.holder.pid,
                     host=self.holder.host)
        self._epoch = epoch
        self.lost.clear()
        self._start_renewing()
        return True

    def renew(self) -> None:
        if self._epoch is None or self.lost.is_set():
            raise LeaseLost(f"this process does not hold the lease '{self.name}'")
        with self._begin() as conn, conn.begin():
            done = conn.execute(sa.text(
                f"UPDATE leases SET renewed_at = {_NOW}, "
                f"expires_at = {_NOW} + make_interval(secs => :ttl) "
                "WHERE name = :n AND token = :t AND epoch = :e"),
                {"ttl": self.ttl, "n": self.name, "t": self.holder.token, "e": self._epoch})
        if done.rowcount != 1:
            self._lose("renew")

    def release(self) -> None:
        self._stop.set()
        renewer, self._renewer = self._renewer, None
        if renewer is not None and renewer is not threading.current_thread():
            renewer.join(timeout=5)
        epoch, self._epoch = self._epoch, None
        if epoch is None:
            return
        try:
            with self._begin() as conn, conn.begin():
                conn.execute(sa.text(
                    f"UPDATE leases SET token = NULL, expires_at = {_NOW} "
                    "WHERE name = :n AND token = :t AND epoch = :e"),
                    {"n": self.name, "t": self.holder.token, "e": epoch})
        except sa.exc.SQLAlchemyError as exc:  # the lease then simply expires
            log.warning("lease.release_failed", lease=self.name, error=str(exc).splitlines()[0])

    def check(self, conn: Connection) -> None:
        if self._epoch is None or self.lost.is_set():
            raise LeaseLost(f"this process does not hold the lease '{self.name}'; its change "
                            "was not saved")
        cur = conn.connection.cursor()
        try:
            cur.execute("SELECT token, epoch FROM leases WHERE name = %s FOR SHARE", (self.name,))
            row = cur.fetchone()
        finally:
            cur.close()
        if row is None or row[0] != self.holder.token or row[1] != self._epoch:
            self._lose("commit", now_epoch=row[1] if row else None)

    def _lose(self, when: str, now_epoch: int | None = None) -> None:
        self.lost.set()
        log.error("lease.lost", lease=self.name, epoch=self._epoch, current_epoch=now_epoch,
                  at=when)
        raise LeaseLost(f"the lease '{self.name}' (epoch {self._epoch}) was taken over by "
                        f"another process; this process stops writing and its change was "
                        "not saved")

    def current(self) -> Holder | None:
        with self._begin() as conn:
            row = conn.execute(sa.text(
                f"SELECT token, pid, host, since FROM leases WHERE name = :n "
                f"AND token IS NOT NULL AND expires_at > {_NOW}"), {"n": self.name}).first()
        if row is None:
            return None
        return Holder(pid=row.pid or 0, host=row.host or "?", since=row.since or "?",
                      token=row.token)

    @contextmanager
    def migrating(self, writer: bool) -> Iterator[bool]:
        """Always: ``migrate`` itself takes the advisory lock in its transaction."""
        yield True

    def _start_renewing(self) -> None:
        if self._renewer is not None and self._renewer.is_alive():
            return
        self._stop.clear()
        self._renewer = threading.Thread(target=self._keep, name=f"lease-{self.name}", daemon=True)
        self._renewer.start()

    def _keep(self) -> None:
        while not self._stop.wait(self.renew_every):
            try:
                self.renew()
            except LeaseLost:
                return
            except sa.exc.SQLAlchemyError as exc:  # try again; the fence protects commits
                log.warning("lease.renew_failed", lease=self.name,
                            error=str(exc).splitlines()[0])
