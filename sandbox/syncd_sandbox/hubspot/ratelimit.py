"""HubSpot's rate limits: a rolling 10-second window, a daily count and a search limit per
second, all per token and measured on the injected clock."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from datetime import datetime

from .errors import ApiError
from .settings import HubSpotSettings
from .timeutil import to_ms

__all__ = ["RateLimiter"]

INTERVAL_MS = 10_000


class RateLimiter:
    """Counts accepted requests; a rejected (429) request is not counted."""

    def __init__(self, settings: HubSpotSettings, now: Callable[[], datetime]):
        self.settings, self.now = settings, now
        self._lock = threading.Lock()
        self._window: dict[str, deque[int]] = {}
        self._search: dict[str, deque[int]] = {}
        self._daily: dict[tuple[str, str], int] = {}

    def admit(self, token: str, *, search: bool) -> dict[str, str]:
        """Count one request or raise a 429 ``ApiError``; returns the rate-limit headers
        (none for search, which HubSpot answers without them)."""
        s = self.settings
        at = self.now()
        ms, day = to_ms(at), at.date().isoformat()
        with self._lock:
            window = _trim(self._window.setdefault(token, deque()), ms - INTERVAL_MS)
            searches = _trim(self._search.setdefault(token, deque()), ms - 1000)
            used_today = self._daily.get((token, day), 0)
            if s.daily_limit is not None and used_today >= s.daily_limit:
                raise _limited("You have reached your daily limit.", "DAILY",
                               self._headers(0, len(window)) if not search else {})
            if search and s.search_per_second is not None and len(searches) >= s.search_per_second:
                raise _limited("You have reached your secondly limit.", "SECONDLY", {})
            if not search and s.rate_limit_per_10s is not None and len(window) >= s.rate_limit_per_10s:
                raise _limited("You have reached your ten_secondly_rolling limit.",
                               "TEN_SECONDLY_ROLLING", self._headers(used_today, len(window)))
            # Search has its own per-second limit and does not use the 10-second window.
            (searches if search else window).append(ms)
            self._daily[(token, day)] = used_today + 1
            return {} if search else self._headers(used_today + 1, len(window))

    def _headers(self, used_today: int, in_window: int) -> dict[str, str]:
        s, out = self.settings, {}
        if s.daily_limit is not None:
            out["X-HubSpot-RateLimit-Daily"] = str(s.daily_limit)
            out["X-HubSpot-RateLimit-Daily-Remaining"] = str(max(s.daily_limit - used_today, 0))
        if s.rate_limit_per_10s is not None:
            out["X-HubSpot-RateLimit-Interval-Milliseconds"] = str(INTERVAL_MS)
            out["X-HubSpot-RateLimit-Max"] = str(s.rate_limit_per_10s)
            out["X-HubSpot-RateLimit-Remaining"] = str(max(s.rate_limit_per_10s - in_window, 0))
        return out


def _trim(times: deque[int], cutoff: int) -> deque[int]:
    while times and times[0] <= cutoff:
        times.popleft()
    return times


def _limited(message: str, policy: str, headers: dict[str, str]) -> ApiError:
    error = ApiError.of(429, "RATE_LIMITS", message, errorType="RATE_LIMIT", policyName=policy)
    error.headers = headers
    return error
