"""The one place syncd waits between API calls, and what it is waiting for.

Both connectors get a ``Pacer`` as their ``sleep``: retry waits and rate-limit windows go
through it. Inside a cycle (``with pacer.cycle(stop=..., seconds=...)``) a wait

- longer than what is left of the cycle is refused with ``BudgetExhausted`` (the cycle
  ends cleanly; it never sleeps through its own time), and
- ends within a fraction of a second when the run's stop event is set (SIGTERM, timeout),
  raising ``CycleStopped``.

``status()`` is what the heartbeat file reports: ``idle``, ``cycle``, or ``waiting for API
budget`` (during a wait, and after a cycle ended on a spent budget until it resets), which
lets ``syncd healthcheck`` tell a patient daemon from a hung one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from syncd.errors import BudgetExhausted, CycleStopped

__all__ = ["WAITING", "Pacer"]

WAITING = "waiting for API budget"
OUTSIDE_CYCLE_LIMIT = 300.0
"""Longest wait outside a cycle (e.g. a backfill), for the same reason: never hours."""


class Pacer:
    """``sleep`` for the connectors, bounded by the cycle's time and its stop event."""

    def __init__(self, *, monotonic: Callable[[], float] = time.monotonic,
                 wall: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._monotonic, self._wall = monotonic, wall
        self._lock = threading.Lock()
        self._stop: threading.Event | None = None
        self._deadline: float | None = None
        self._cycle_started: datetime | None = None
        self._waiting_until: datetime | None = None
        self._spent: tuple[str, datetime] | None = None

    @contextmanager
    def cycle(self, *, stop: threading.Event | None, seconds: float) -> Iterator[None]:
        """Bound every wait by the next ``seconds`` and by ``stop``."""
        with self._lock:
            self._stop, self._deadline = stop, self._monotonic() + seconds
            self._cycle_started, self._spent = self._wall(), None
        try:
            yield
        finally:
            with self._lock:
                self._stop = self._deadline = self._cycle_started = None

    def remaining(self) -> float:
        """Seconds a wait may still take: what is left of the cycle (or the outside cap)."""
        deadline = self._deadline
        return OUTSIDE_CYCLE_LIMIT if deadline is None else deadline - self._monotonic()

    def __call__(self, seconds: float) -> None:
        """Wait ``seconds``; ``BudgetExhausted`` if longer than allowed, ``CycleStopped`` if
        the run is asked to stop meanwhile."""
        if seconds <= 0:
            return
        left = self.remaining()
        if seconds > left:
            raise BudgetExhausted.outlasting(None, seconds, left)
        stop = self._stop or threading.Event()
        with self._lock:
            self._waiting_until = self._wall() + timedelta(seconds=seconds)
        try:
            if stop.wait(seconds):
                raise CycleStopped("asked to stop while waiting for the API budget")
        finally:
            with self._lock:
                self._waiting_until = None

    def budget_spent(self, exc: BudgetExhausted) -> None:
        """The last cycle ended on a spent budget: report waiting until it resets."""
        with self._lock:
            self._spent = (exc.limit, exc.resets_at)

    def status(self) -> dict[str, Any]:
        """What the daemon is doing, for the heartbeat file."""
        now = self._wall()
        with self._lock:
            if self._waiting_until is not None:
                return {"state": WAITING, "until": self._waiting_until.isoformat(timespec="seconds"),
                        "cycle_started": _iso(self._cycle_started)}
            if self._cycle_started is not None:
                return {"state": "cycle", "cycle_started": _iso(self._cycle_started)}
            if self._spent is not None and self._spent[1] > now:
                return {"state": WAITING, "limit": self._spent[0],
                        "until": self._spent[1].isoformat(timespec="seconds")}
        return {"state": "idle"}


def _iso(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat(timespec="seconds")
