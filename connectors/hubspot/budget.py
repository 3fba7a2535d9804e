"""Client-side API budget: stay under the portal's 10-second window, the search limit per
second and a share of the daily limit, on an injected monotonic clock and sleep."""

from __future__ import annotations

import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Mapping

from syncd.errors import BudgetExhausted

from .errors import next_daily_reset

__all__ = ["ApiBudget"]


class ApiBudget:
    """Sliding-window limiter plus per-endpoint call accounting.

    ``acquire`` blocks (through ``sleep``) until a call fits both windows; when the daily
    budget is spent it raises ``BudgetExhausted`` instead of waiting hours, so the cycle
    ends cleanly and the next one is scheduled after midnight UTC.

    HubSpot counts a call when it arrives, somewhere between our send and its answer. A
    call counts here from its send until ``answered`` says the answer came; from then on it
    counts from the answer. So the calls a window holds here are never fewer than
    HubSpot's, and syncd never provokes a 429 itself.

    Calls under the 10-second window are also spread over it: at most a tenth of its limit
    in any one second. A lane reading flat out keeps the same pace (19 a second on a
    Professional portal) but no longer spends the whole window in one burst and then holds
    every slot for the rest of it; a second lane's call (the search lane's association
    reads) gets the next slot to free, a fraction of a second away instead of up to 8 s.
    """

    def __init__(self, *, per_10s: int | None, search_per_second: int | None,
                 daily_limit: int | None, share: float = 1.0, monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.per_10s, self.search_per_second = per_10s, search_per_second
        self.daily_limit, self.share = daily_limit, share
        self._portal_used: int | None = None  # portal-wide calls today, as HubSpot reports
        self._monotonic, self._sleep = monotonic, sleep
        self._window: deque[list[float]] = deque()  # [time] cells: send time, then answer time
        self._search: deque[list[float]] = deque()
        self._lock = threading.Lock()
        self.calls: Counter[str] = Counter()
        self._mine = threading.local()  # calls counted from each thread
        self.daily_remaining: int | None = None  # as last reported by HubSpot

    def acquire(self, endpoint: str, *, search: bool) -> list[float]:
        """Wait until one more call to ``endpoint`` is allowed, then count it; pass the
        returned cell to ``answered`` when the answer arrives."""
        self._check_daily(endpoint)
        while True:
            with self._lock:
                wait = self._wait_needed(search)
                if wait <= 0:
                    cell = [self._monotonic()]
                    (self._search if search else self._window).append(cell)
                    self.calls[endpoint] += 1
                    self._mine.calls = getattr(self._mine, "calls", 0) + 1
                    if self._portal_used is not None:
                        self._portal_used += 1
                    return cell
            self._sleep(wait)

    def answered(self, cell: list[float]) -> None:
        """The call counted in ``cell`` was answered: it counts from now."""
        with self._lock:
            cell[0] = self._monotonic()

    def _wait_needed(self, search: bool) -> float:
        now = self._monotonic()
        if search:
            _expire(self._search, now - 1.0)
            return _wait(self._search, self.search_per_second, 1.0, now)
        _expire(self._window, now - 10.0)
        if self.per_10s is None:
            return 0.0
        return max(_wait(self._window, self.per_10s, 10.0, now),
                   _wait(self._window, -(-self.per_10s // 10), 1.0, now))

    def _check_daily(self, endpoint: str) -> None:
        left = self.remaining()
        if left is not None and left <= 0:
            raise BudgetExhausted(
                f"syncd's share of HubSpot's daily API limit is spent ({self.share:.0%} of "
                f"{self.daily_limit}); the next cycle after midnight UTC continues",
                limit="syncd's share of the HubSpot daily limit (hubspot.daily_budget_share)",
                resets_at=next_daily_reset(), system="hubspot", operation=endpoint,
                code="DAILY_BUDGET_SHARE")

    def total(self) -> int:
        """Calls counted so far."""
        return sum(self.calls.values())

    def thread_total(self) -> int:
        """Calls counted so far from the calling thread (a stream's own, when several read at once)."""
        return getattr(self._mine, "calls", 0)

    def observe(self, headers: Mapping[str, str] | None) -> None:
        """Read ``X-HubSpot-RateLimit-*`` headers: the portal's own count wins over ours,
        because other integrations spend the same daily limit."""
        h = {k.lower(): v for k, v in (headers or {}).items()}
        left, daily = h.get("x-hubspot-ratelimit-daily-remaining"), h.get("x-hubspot-ratelimit-daily")
        if left is not None and daily is not None and str(left).isdigit() and str(daily).isdigit():
            self.daily_limit = int(daily)
            self._portal_used = int(daily) - int(left)

    def remaining(self) -> int | None:
        """Calls syncd may still make today: its share of the daily limit minus calls used."""
        if self.daily_limit is None:
            return None
        used = self._portal_used if self._portal_used is not None else sum(self.calls.values())
        return max(int(self.daily_limit * self.share) - used, 0)


def _expire(cells: deque[list[float]], before: float) -> None:
    """Drop the cells at the front that counted no later than ``before``."""
    while cells and cells[0][0] <= before:
        cells.popleft()


def _wait(cells: deque[list[float]], limit: int | None, span: float, now: float) -> float:
    """Seconds until one more call fits ``limit`` calls per ``span`` among ``cells``."""
    if limit is None:
        return 0.0
    live = sorted(c[0] for c in cells if c[0] > now - span)
    if len(live) < limit:
        return 0.0
    return live[len(live) - limit] + span - now + 0.001
