"""The errors the core and the shell agree on.

Adapters classify every SDK exception once, into one of the ``ConnectorError`` kinds
below; code above the adapters never sees an SDK exception.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

__all__ = [
    "AuthError",
    "BudgetExhausted",
    "ConfigError",
    "ConfigIssue",
    "ConnectorError",
    "CycleStopped",
    "FatalApiError",
    "RetriableError",
    "SyncdError",
    "UnreachableError",
]


class SyncdError(Exception):
    """Base of every error syncd raises on purpose."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ConfigIssue:
    """One problem in a configuration or mapping file, precise enough to fix it."""

    file: str
    path: str
    message: str
    found: str | None = None
    expected: str | None = None
    hint: str | None = None

    def render(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        parts = [f"{where}: {self.message}"]
        if self.found is not None:
            parts.append(f"found {self.found}")
        if self.expected is not None:
            parts.append(f"expected {self.expected}")
        if self.hint:
            parts.append(self.hint)
        return "; ".join(parts)


class ConfigError(SyncdError):
    """Configuration or mappings are invalid; carries every issue found, not just the first."""

    def __init__(self, issues: list[ConfigIssue]) -> None:
        self.issues = list(issues)
        super().__init__(self.render())

    def render(self) -> str:
        head = f"{len(self.issues)} problem(s) in the configuration:"
        return "\n".join([head, *(f"  - {i.render()}" for i in self.issues)])


class ConnectorError(SyncdError):
    """A call to HubSpot or Salesforce failed; ``system`` and ``operation`` say which."""

    def __init__(self, message: str, *, system: str, operation: str, status: int | None = None,
                 code: str | None = None) -> None:
        super().__init__(message)
        self.system = system
        self.operation = operation
        self.status = status
        self.code = code


class RetriableError(ConnectorError):
    """Worth trying again later (rate limit, 5xx, lock, timeout); ``retry_after`` in seconds."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kw) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after


class AuthError(ConnectorError):
    """Credentials are wrong, expired beyond renewal, or lack a scope. Stops the cycle."""


class UnreachableError(ConnectorError):
    """The host could not be reached at all (DNS, refused connection, TLS failure)."""


class FatalApiError(ConnectorError):
    """The API refused the request in a way retrying cannot fix. Stops the cycle."""


class BudgetExhausted(RetriableError):
    """An API budget is spent (a daily limit), or the wait asked for would outlast the
    cycle. Never slept through: the cycle ends with what it did settled, and the next one
    is scheduled after ``resets_at``. ``limit`` names the limit for people."""

    def __init__(self, message: str, *, limit: str, resets_at: datetime, **kw) -> None:
        self.limit, self.resets_at = limit, resets_at
        left = max((resets_at - datetime.now(UTC)).total_seconds(), 0.0)
        super().__init__(message, retry_after=left, **kw)

    @classmethod
    def outlasting(cls, exc: BaseException | None, seconds: float, left: float) -> BudgetExhausted:
        """The error for a retry whose wait (``seconds``) is longer than the ``left`` seconds
        of the cycle, named after the error that asked for it."""
        system = getattr(exc, "system", None) or "api"
        name = getattr(exc, "code", None) or getattr(exc, "status", None) or type(exc).__name__
        return cls(f"{exc}; the wait it asks for ({seconds:.0f} s) is longer than what is left "
                   f"of this cycle ({max(left, 0):.0f} s)",
                   limit=f"{system} {name} (wait {seconds:.0f} s)",
                   resets_at=datetime.now(UTC) + timedelta(seconds=seconds), system=system,
                   operation=getattr(exc, "operation", None) or "wait",
                   status=getattr(exc, "status", None), code=getattr(exc, "code", None))


class CycleStopped(SyncdError):
    """The cycle was asked to stop (SIGTERM, its timeout) while waiting: it ends at once;
    what it committed stays, the rest is still pending."""
