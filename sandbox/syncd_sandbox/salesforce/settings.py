"""Run-time knobs of the emulated org (credentials, limits, fault injection)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SalesforceSettings"]


@dataclass
class SalesforceSettings:
    """Mutable on purpose: the sandbox admin API changes these while the app runs."""

    client_id: str = "sandbox-client-id"
    client_secret: str = "sandbox-client-secret"
    username: str = "integration@sandbox.example"
    password: str = "sandbox-password"
    session_ttl_seconds: float = 7200.0
    daily_api_limit: int = 100_000
    lock_error_rate: float = 0.0
    seed: int = 0
    bulk_records_per_poll: int | None = None
