"""Every failure of a HubSpot call, classified once into ``syncd.errors`` kinds.

The table below is the whole policy: code above this adapter sees only
``RetriableError``, ``AuthError``, ``UnreachableError`` or ``FatalApiError``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
import urllib3.exceptions as u3

from syncd.errors import (AuthError, BudgetExhausted, ConnectorError, FatalApiError,
                          RetriableError, UnreachableError)

__all__ = ["POLICY_TABLE", "STATUS_TABLE", "classify", "classify_status", "next_daily_reset",
           "retry_after_seconds"]

# status → error kind; 5xx are matched by range below.
STATUS_TABLE: Mapping[int, type[ConnectorError]] = {
    401: AuthError, 403: AuthError, 408: RetriableError, 423: RetriableError,
    429: RetriableError,
}
# HubSpot categories that override the status (e.g. a 400 that is really a lock).
CATEGORY_TABLE: Mapping[str, type[ConnectorError]] = {
    "RATE_LIMITS": RetriableError, "INVALID_AUTHENTICATION": AuthError,
    "MISSING_SCOPES": AuthError, "REVOKED_AUTHENTICATION": AuthError,
}
# A 429's policy: the daily limit ends the cycle until it resets; the others are waited out.
POLICY_TABLE: Mapping[str, type[ConnectorError]] = {
    "DAILY": BudgetExhausted, "TEN_SECONDLY_ROLLING": RetriableError, "SECONDLY": RetriableError,
}
_CONNECT_ERRORS = (u3.NewConnectionError, u3.NameResolutionError, requests.ConnectionError)
_TIMEOUTS = (u3.TimeoutError, requests.Timeout, TimeoutError)


def retry_after_seconds(headers: Mapping[str, str] | None, body: Mapping[str, Any]) -> float | None:
    """Seconds to wait: Retry-After, else the rate-limit interval for a 10-second limit."""
    h = {k.lower(): v for k, v in (headers or {}).items()}
    try:
        if "retry-after" in h:
            return max(float(h["retry-after"]), 0.0)
        if body.get("policyName") in ("TEN_SECONDLY_ROLLING", "SECONDLY"):
            return float(h.get("x-hubspot-ratelimit-interval-milliseconds", 1000)) / 1000
    except ValueError:
        return None
    return None


def next_daily_reset(now: datetime | None = None) -> datetime:
    """When HubSpot's daily limit starts afresh: the next midnight (UTC)."""
    now = now or datetime.now(UTC)
    return datetime(now.year, now.month, now.day, tzinfo=UTC) + timedelta(days=1)


def _body(raw: Any) -> dict[str, Any]:
    if isinstance(raw, bytes | str) and raw:
        try:
            parsed = json.loads(raw)
        except ValueError:
            return {}
        return parsed if isinstance(parsed, dict) else {}
    return {}


def classify_status(status: int, raw_body: Any, headers: Mapping[str, str] | None, *,
                    operation: str) -> ConnectorError:
    """The error for an HTTP error response (status, body bytes, headers)."""
    body = _body(raw_body)
    category = str(body.get("category") or body.get("errorType") or "")
    policy = str(body.get("policyName") or "")
    kind = (POLICY_TABLE.get(policy) if status == 429 else None) or CATEGORY_TABLE.get(category) \
        or STATUS_TABLE.get(status)
    if kind is None:
        kind = RetriableError if 500 <= status <= 599 else FatalApiError
    message = f"HubSpot {operation} failed with {status}: {body.get('message') or 'no message'}"
    code = category or policy or None
    kw = {"system": "hubspot", "operation": operation, "status": status, "code": code}
    if kind is BudgetExhausted:
        wait = retry_after_seconds(headers, body)
        resets = (datetime.now(UTC) + timedelta(seconds=wait)) if wait else next_daily_reset()
        return BudgetExhausted(message, limit="HubSpot daily API limit", resets_at=resets, **kw)
    if kind is RetriableError:
        return RetriableError(message, retry_after=retry_after_seconds(headers, body), **kw)
    return kind(message, **kw)


def classify(exc: BaseException, *, operation: str) -> ConnectorError:
    """Turn any exception raised by the SDK, urllib3 or requests into a ``ConnectorError``."""
    if isinstance(exc, ConnectorError):
        return exc
    status = getattr(exc, "status", None)
    if status == 0:  # the SDK's wrapping of a TLS failure
        return UnreachableError(f"HubSpot TLS failure ({operation}): {getattr(exc, 'reason', exc)}",
                                system="hubspot", operation=operation)
    if isinstance(status, int) and status >= 100:
        return classify_status(status, getattr(exc, "body", None), getattr(exc, "headers", None),
                               operation=operation)
    reason = getattr(exc, "reason", None)
    inner = reason if isinstance(reason, BaseException) else exc
    kw = {"system": "hubspot", "operation": operation}
    # Connection errors first: urllib3's NewConnectionError is also a timeout subclass.
    if isinstance(inner, _CONNECT_ERRORS) or isinstance(exc, _CONNECT_ERRORS):
        return UnreachableError(f"HubSpot is unreachable ({operation}): {inner}", **kw)
    if isinstance(inner, _TIMEOUTS) or isinstance(exc, _TIMEOUTS):
        return RetriableError(f"HubSpot {operation} timed out: {inner}", **kw)
    if isinstance(exc, u3.MaxRetryError):
        return UnreachableError(f"HubSpot is unreachable ({operation}): {inner}", **kw)
    if isinstance(exc, u3.ProtocolError | requests.exceptions.ChunkedEncodingError):
        return RetriableError(f"HubSpot {operation}: connection dropped: {exc}", **kw)
    return FatalApiError(f"HubSpot {operation} failed: {type(exc).__name__}: {exc}", **kw)
