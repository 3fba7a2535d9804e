"""SQLite's writer guard: an exclusive ``flock`` on ``<db>.lock``, held for the process's life.

The lock file names its holder (pid, host, since) so a refused process can say who holds
it. ``flock`` locks vanish with the process (SIGKILL included), so a crash never leaves a
stale lock behind. The check before each commit also verifies that the lock file at the
path is still the one locked (deleting it would let a second writer lock a new file).
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
from contextlib import contextmanager
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.engine import Connection

from syncd.store.guard import Holder, LeaseLost, StoreHeld

__all__ = ["FileLockGuard"]


class FileLockGuard:
    """``WriterGuard`` for a SQLite database file."""

    def __init__(self, database: str | Path) -> None:
        self.database = Path(database)
        self.path = self.database.with_name(self.database.name + ".lock")
        self.holder = Holder()
        self.lost = threading.Event()
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    @property
    def epoch(self) -> int | None:
        return 1 if self._fd is not None else None

    def acquire(self) -> None:
        if not self.try_acquire():
            raise StoreHeld(str(self.database), self.current())

    def try_acquire(self) -> bool:
        if self._fd is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        except BaseException:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps(self.holder.to_dict()).encode())
        os.fsync(fd)
        self._fd = fd
        self.lost.clear()
        return True

    def renew(self) -> None:
        self._verify()

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            os.ftruncate(fd, 0)
        except OSError:
            pass
        os.close(fd)  # closing drops the flock

    def check(self, conn: Connection) -> None:
        self._verify()

    def _verify(self) -> None:
        if self._fd is None:
            raise LeaseLost(f"this process does not hold the writer lock on {self.database}; "
                            "its change was not saved")
        try:
            same = os.stat(self.path).st_ino == os.fstat(self._fd).st_ino
        except FileNotFoundError:
            same = False
        if not same:
            self.lost.set()
            raise LeaseLost(f"the lock file {self.path} was removed or replaced while this "
                            "process held it; its change was not saved. Stop every syncd on "
                            "this state store and start one again.")

    def current(self) -> Holder | None:
        """The holder named in the lock file while someone holds the lock."""
        if self._fd is not None:
            return self.holder
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            return None
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return _read_holder(self.path)
            fcntl.flock(fd, fcntl.LOCK_UN)
            return None
        finally:
            os.close(fd)

    @contextmanager
    def migrating(self, writer: bool) -> Iterator[bool]:
        """Writers migrate under their lock; a reader migrates only if nobody holds it
        (taking it for the moment), else the holder has migrated already."""
        if writer or self._fd is not None:
            self.acquire()
            yield True
            return
        got = self.try_acquire()
        try:
            yield got
        finally:
            if got:
                self.release()


def _read_holder(path: Path) -> Holder | None:
    try:
        data = json.loads(path.read_text() or "{}")
    except (OSError, ValueError):
        return None
    return Holder.from_dict(data) if isinstance(data, dict) and data else None
