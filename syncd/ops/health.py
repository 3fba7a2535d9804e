"""What the daemon knows about its own health: the scheduler's heartbeat and the last cycle.

The scheduler's heartbeat job calls ``beat()``; the cycle job reports each outcome. The
probes read frozen snapshots, so a request never sees a half-updated state.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from syncd.errors import AuthError, UnreachableError

__all__ = ["SYSTEMS", "CycleOutcome", "HealthState", "unreachable_systems"]

SYSTEMS = ("hubspot", "salesforce")


@dataclass(frozen=True, slots=True, kw_only=True)
class CycleOutcome:
    """How one cycle ended: ``ok``, ``failed`` or ``stepped_down`` (lost the lease)."""

    status: str
    finished_at: datetime
    run_id: str | None = None
    error: str | None = None
    unreachable: frozenset[str] = frozenset()

    def api_reachable(self, system: str) -> bool:
        return system not in self.unreachable


def unreachable_systems(exc: BaseException) -> frozenset[str]:
    """The system a cycle could not reach or log in to, judged from its error's kind."""
    if isinstance(exc, UnreachableError | AuthError):
        return frozenset({exc.system})
    return frozenset()


class HealthState:
    """Thread-safe record of heartbeats (monotonic seconds) and the last cycle outcome."""

    def __init__(self, *, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._last_beat: float | None = None
        self._last_cycle: CycleOutcome | None = None

    def beat(self) -> None:
        """The scheduler ran its heartbeat job."""
        with self._lock:
            self._last_beat = self._monotonic()

    def beat_age(self) -> float | None:
        """Seconds since the last heartbeat, ``None`` before the first."""
        with self._lock:
            return None if self._last_beat is None else self._monotonic() - self._last_beat

    def cycle_finished(self, outcome: CycleOutcome) -> None:
        with self._lock:
            self._last_cycle = outcome

    @property
    def last_cycle(self) -> CycleOutcome | None:
        with self._lock:
            return self._last_cycle
