"""Call accounting: WSGI middleware counting calls per system, endpoint and status code.

The emulators name what they served in the WSGI environ after handling a call:
``sandbox.system`` ("hubspot" / "salesforce"), ``sandbox.endpoint`` ("<METHOD> <route
template>") and, optionally, ``sandbox.records`` (records returned). A call the emulator did
not name (an injected fault, an unknown route) is counted under "<METHOD> <path>".
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from syncd.clock import Clock, SystemClock

__all__ = ["CallAccounting"]


class _Counter:
    __slots__ = ("calls", "records", "statuses", "faults")

    def __init__(self) -> None:
        self.calls = 0
        self.records: int | None = None  # None until the emulator reports any
        self.faults = 0
        self.statuses: dict[str, int] = {}

    def add(self, status: str, records: int | None, fault: bool) -> None:
        self.calls += 1
        if records is not None:
            self.records = (self.records or 0) + records
        self.faults += fault
        self.statuses[status] = self.statuses.get(status, 0) + 1

    def to_dict(self) -> dict[str, Any]:
        out = {"calls": self.calls, "injected_faults": self.faults,
               "by_status": dict(sorted(self.statuses.items()))}
        return out if self.records is None else {**out, "records": self.records}


class CallAccounting:
    """Thread-safe call counters; ``wrap(system, app)`` counts every call to ``app``."""

    def __init__(self, *, clock: Clock | None = None) -> None:
        self._clock = clock or SystemClock()
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """Forget every count; ``since`` becomes now."""
        with self._lock:
            self._since: datetime = self._clock.now()
            self._systems: dict[str, _Counter] = {}
            self._endpoints: dict[tuple[str, str], _Counter] = {}

    def record(self, system: str, endpoint: str, status: int | str, *,
               records: int | None = None, fault: bool = False) -> None:
        """Count one call (the middleware calls this; tests and tools may too)."""
        code = str(status)
        with self._lock:
            self._systems.setdefault(system, _Counter()).add(code, records, fault)
            self._endpoints.setdefault((system, endpoint), _Counter()).add(code, records, fault)

    def snapshot(self) -> dict[str, Any]:
        """``{"since", "total_calls", "systems": {system: {calls, injected_faults, by_status,
        [records,] endpoints: {endpoint: {...}}}}}``; ``records`` only where reported."""
        with self._lock:
            systems = {name: c.to_dict() for name, c in sorted(self._systems.items())}
            for (system, endpoint), counter in sorted(self._endpoints.items()):
                systems[system].setdefault("endpoints", {})[endpoint] = counter.to_dict()
            total = sum(c.calls for c in self._systems.values())
            return {"since": self._since.isoformat(), "total_calls": total, "systems": systems}

    def calls(self, system: str, endpoint: str | None = None) -> int:
        """Calls counted for ``system`` (and ``endpoint``, if given)."""
        with self._lock:
            counter = (self._systems.get(system) if endpoint is None
                       else self._endpoints.get((system, endpoint)))
            return counter.calls if counter else 0

    def wrap(self, system: str, app: Callable) -> Callable:
        """WSGI middleware counting each call to ``app`` once its status is known."""
        def middleware(environ: dict, start_response: Callable) -> Iterable[bytes]:
            seen: list[str] = []

            def counting_start_response(status: str, headers: list, exc_info=None):
                seen.append(status.split(" ", 1)[0])
                return start_response(status, headers, exc_info)

            try:
                return app(environ, counting_start_response)
            finally:
                endpoint = environ.get("sandbox.endpoint") or \
                    f"{environ.get('REQUEST_METHOD', '?')} {environ.get('PATH_INFO', '')}"
                self.record(environ.get("sandbox.system", system), endpoint,
                            seen[-1] if seen else "error",
                            records=environ.get("sandbox.records"),
                            fault="sandbox.fault" in environ)
        return middleware
