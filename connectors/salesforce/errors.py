"""The one table that turns Salesforce answers into syncd's error kinds.

Whole-request failures become a ``ConnectorError`` subclass; per-row failures of a batch
stay in ``WriteResult`` and are only *marked* retriable (``ROW_RETRIABLE``), so the caller
retries just those rows.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import Enum

from syncd.errors import (AuthError, BudgetExhausted, ConnectorError, FatalApiError,
                          RetriableError, UnreachableError)

__all__ = ["ROW_REJECTED", "ROW_RETRIABLE", "Verdict", "classify", "make_error",
           "request_limit_wait"]

SYSTEM = "salesforce"


class Verdict(Enum):
    RETRY = "retry"
    BUDGET = "budget"  # the org's daily allocation is spent: end the cycle, never wait
    REAUTH = "reauth"  # renew the session once, then it is an auth failure
    AUTH = "auth"
    FATAL = "fatal"
    UNREACHABLE = "unreachable"


CODE_TABLE: dict[str, Verdict] = {
    "UNABLE_TO_LOCK_ROW": Verdict.RETRY,
    "SERVER_UNAVAILABLE": Verdict.RETRY,
    "REQUEST_LIMIT_EXCEEDED": Verdict.BUDGET,  # a concurrency limit (by message): RETRY
    "QUERY_TIMEOUT": Verdict.RETRY,
    "INVALID_SESSION_ID": Verdict.REAUTH,
    "invalid_client": Verdict.AUTH,
    "invalid_client_id": Verdict.AUTH,
    "invalid_grant": Verdict.AUTH,
    "unsupported_grant_type": Verdict.AUTH,
    "INVALID_LOGIN": Verdict.AUTH,
    "API_DISABLED_FOR_ORG": Verdict.AUTH,
    "INSUFFICIENT_ACCESS": Verdict.AUTH,
    "MALFORMED_QUERY": Verdict.FATAL,
    "INVALID_FIELD": Verdict.FATAL,
    "INVALID_TYPE": Verdict.FATAL,
    "INVALID_QUERY_FILTER_OPERATOR": Verdict.FATAL,
    "JSON_PARSER_ERROR": Verdict.FATAL,
    "NOT_FOUND": Verdict.FATAL,
    "METHOD_NOT_ALLOWED": Verdict.FATAL,
    "INVALIDJOB": Verdict.FATAL,
}
"""Error codes decide first; the HTTP status only when the code is unknown."""

STATUS_TABLE: dict[int, Verdict] = {
    401: Verdict.REAUTH, 403: Verdict.AUTH, 408: Verdict.RETRY, 429: Verdict.RETRY,
}

ROW_RETRIABLE = frozenset({"UNABLE_TO_LOCK_ROW", "SERVER_UNAVAILABLE", "BULK_UNPROCESSED"})
"""Per-row codes worth sending again (only the failed rows), after a jittered wait."""

ROW_REJECTED = frozenset({
    "DUPLICATES_DETECTED", "STRING_TOO_LONG", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
    "CANNOT_UPDATE_CONVERTED_LEAD", "FIELD_CUSTOM_VALIDATION_EXCEPTION", "ENTITY_IS_DELETED",
    "REQUIRED_FIELD_MISSING", "DUPLICATE_VALUE", "DUPLICATE_EXTERNAL_ID", "INVALID_FIELD",
    "INVALID_EMAIL_ADDRESS", "NUMBER_OUTSIDE_VALID_RANGE", "MALFORMED_ID", "INVALID_ID_FIELD",
})
"""Per-row codes that are a verdict on the data: reported to RevOps, not retried."""

_HINTS = {
    Verdict.AUTH: "check salesforce.client_id / client_secret / username and the connected "
                  "app's policies",
    Verdict.UNREACHABLE: "check salesforce.login_url / instance_url, the network, and "
                         "salesforce.ca_bundle for private CAs or TLS-inspecting proxies",
}


SHORT_REQUEST_LIMITS = ("concurrentperorglongtxn", "concurrentrequests", "concurrent")
"""REQUEST_LIMIT_EXCEEDED messages of limits that clear within a minute (not the daily one)."""

BUDGET_RECHECK = timedelta(hours=1)
"""Salesforce's allocation is a rolling 24 hours and it sends no Retry-After: look again
after an hour."""


def classify(status: int | None, code: str | None, message: str = "") -> Verdict:
    """The verdict for one failed request: its error code first, then its HTTP status."""
    if code == "REQUEST_LIMIT_EXCEEDED" and _short_limit(message):
        return Verdict.RETRY
    if code in CODE_TABLE:
        return CODE_TABLE[code]
    if status is None:
        return Verdict.UNREACHABLE
    if status in STATUS_TABLE:
        return STATUS_TABLE[status]
    return Verdict.RETRY if status >= 500 else Verdict.FATAL


def _short_limit(message: str) -> bool:
    text = message.replace(" ", "").lower()
    return "totalrequests" not in text and any(name in text for name in SHORT_REQUEST_LIMITS)


def request_limit_wait(message: str) -> float:
    """Seconds to wait on REQUEST_LIMIT_EXCEEDED: the daily allocation resets slowly.

    Salesforce sends no Retry-After; the total-requests limit lasts up to a day, the
    concurrent-requests limit clears in a minute.
    """
    return 60.0 if _short_limit(message) else BUDGET_RECHECK.total_seconds()


def make_error(verdict: Verdict, *, operation: str, message: str, status: int | None = None,
               code: str | None = None) -> ConnectorError:
    """Build the syncd error for ``verdict``, with a hint on what to fix where one helps."""
    text = f"Salesforce {operation} failed: {code + ': ' if code else ''}{message}"
    if verdict in _HINTS:
        text += f" ({_HINTS[verdict]})"
    kw = dict(system=SYSTEM, operation=operation, status=status, code=code)
    if verdict is Verdict.BUDGET:
        return BudgetExhausted(text, limit="Salesforce daily API request limit",
                               resets_at=datetime.now(UTC) + BUDGET_RECHECK, **kw)
    if verdict is Verdict.RETRY:
        wait = request_limit_wait(message) if code == "REQUEST_LIMIT_EXCEEDED" else None
        return RetriableError(text, retry_after=wait, **kw)
    if verdict in (Verdict.AUTH, Verdict.REAUTH):
        return AuthError(text, **kw)
    if verdict is Verdict.UNREACHABLE:
        return UnreachableError(text, **kw)
    return FatalApiError(text, **kw)
