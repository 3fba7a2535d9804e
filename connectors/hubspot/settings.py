"""Settings of the HubSpot connector: where to connect, how hard to pull, how much to spend."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

__all__ = ["HubSpotClientSettings"]


@dataclass(frozen=True, slots=True, kw_only=True)
class HubSpotClientSettings:
    """Everything the connector needs to know, validated when built.

    ``overlap`` re-reads recently modified contacts (clock skew, late commits);
    ``late_window`` re-reads engagement that occurred that long before a stream's
    high-water mark, so events that become visible late are still seen once; that
    re-read (a sweep) runs every ``late_sweep_every``, cycles between read from
    ``overlap`` below the mark (0: every cycle sweeps).
    ``daily_budget_share`` is the share of the portal's daily limit syncd may spend.
    """

    base_url: str = "https://api.hubapi.com"
    token: str
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    rate_limit_per_10s: int | None = 100
    daily_limit: int | None = 250_000
    daily_budget_share: float = 0.5
    search_per_second: int | None = 4
    overlap: timedelta = timedelta(minutes=5)
    late_window: timedelta = timedelta(hours=24)
    late_sweep_every: timedelta = timedelta(hours=1)
    deletion_scan_every: timedelta = timedelta(hours=1)
    search_page_size: int = 200
    event_page_size: int = 1000
    email_event_page_size: int = 1000
    form_page_size: int = 50
    batch_size: int = 100
    association_batch_size: int = 1000
    max_attempts: int = 5
    hand_raise_forms: tuple[str, ...] = ()
    stream_lanes: bool = False  # read the search streams beside the others (two workers)

    def __post_init__(self) -> None:
        problems = []
        if not self.token:
            problems.append("token: is empty; set the private-app or OAuth access token")
        if not self.base_url.startswith(("http://", "https://")):
            problems.append(f"base_url: {self.base_url!r} must start with http:// or https://")
        if not 0 < self.daily_budget_share <= 1:
            problems.append(f"daily_budget_share: {self.daily_budget_share} must be in (0, 1]")
        for name in ("overlap", "late_window", "late_sweep_every", "deletion_scan_every"):
            if getattr(self, name) < timedelta(0):
                problems.append(f"{name}: must not be negative")
        limits = {"search_page_size": 200, "event_page_size": 1000, "email_event_page_size": 1000,
                  "form_page_size": 50, "batch_size": 100, "association_batch_size": 1000}
        for name, high in limits.items():
            if not 1 <= getattr(self, name) <= high:
                problems.append(f"{name}: {getattr(self, name)} must be from 1 to {high}")
        if self.max_attempts < 1:
            problems.append("max_attempts: must be at least 1")
        if problems:
            raise ValueError("HubSpot settings: " + "; ".join(problems))

    @property
    def daily_budget(self) -> int | None:
        """Calls syncd may make per day (its share of the portal's daily limit)."""
        return None if self.daily_limit is None else int(self.daily_limit * self.daily_budget_share)
