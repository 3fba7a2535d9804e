"""Run-time settings of the emulator (changed live by the sandbox admin API)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["HubSpotSettings"]


@dataclass
class HubSpotSettings:
    """Token and limits of one emulated portal; ``None`` limits mean unlimited.

    Defaults follow an Enterprise portal (190 requests per 10 s, 1M per day) and HubSpot's
    search limits (4 requests per second, 10,000 results per query).
    """

    token: str = "sandbox-hubspot-token"
    rate_limit_per_10s: int | None = 190
    daily_limit: int | None = 1_000_000
    search_per_second: int | None = 4
    search_total_cap: int = 10_000
