"""Table: every HubSpot status / policy → one action, with call counts and no real sleeps.

Actions: ``retry`` (the next attempt succeeds after a wait), ``end_cycle`` (a spent budget,
or a wait longer than the cycle has left: ``BudgetExhausted``, not retried), ``auth`` and
``fatal`` (not retried).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from structlog.testing import capture_logs

from connectors.hubspot.errors import classify_status
from connectors.hubspot.retry import call_with_retries
from syncd.errors import AuthError, BudgetExhausted, FatalApiError

OP = "POST /crm/v3/objects/contacts/search"


def body(**fields) -> bytes:
    return json.dumps({"status": "error", "message": "m", **fields}).encode()


class Waits(list):
    """``sleep`` for the retry layer: records waits; ``remaining`` is the cycle's time left."""

    def __init__(self, remaining: float = 1800.0) -> None:
        super().__init__()
        self._remaining = remaining

    def __call__(self, seconds: float) -> None:
        self.append(seconds)

    def remaining(self) -> float:
        return self._remaining


TEN_S = body(errorType="RATE_LIMIT", policyName="TEN_SECONDLY_ROLLING")
TABLE = [
    # status, body, headers, cycle time left, action, calls, waits
    (429, TEN_S, {"X-HubSpot-RateLimit-Interval-Milliseconds": "10000"}, 1800, "retry", 2, [10.0]),
    (429, body(errorType="RATE_LIMIT", policyName="SECONDLY"), {}, 1800, "retry", 2, [1.0]),
    (429, TEN_S, {"Retry-After": "120"}, 60, "end_cycle", 1, []),
    (429, body(errorType="RATE_LIMIT", policyName="DAILY"), {}, 1800, "end_cycle", 1, []),
    (429, body(errorType="RATE_LIMIT", policyName="DAILY"), {"Retry-After": "3600"}, 86400, "end_cycle", 1, []),
    (500, body(category="INTERNAL_ERROR"), {}, 1800, "retry", 2, None),
    (502, b"<html>bad gateway</html>", {}, 1800, "retry", 2, None),
    (503, body(category="SERVICE_UNAVAILABLE"), {}, 1800, "retry", 2, None),
    (504, body(category="GATEWAY_TIMEOUT"), {}, 1800, "retry", 2, None),
    (408, b"", {}, 1800, "retry", 2, None),
    (423, body(category="LOCKED"), {}, 1800, "retry", 2, None),
    (400, body(category="RATE_LIMITS"), {"Retry-After": "2"}, 1800, "retry", 2, [2.0]),
    (401, body(category="INVALID_AUTHENTICATION"), {}, 1800, "auth", 1, []),
    (403, body(category="MISSING_SCOPES"), {}, 1800, "auth", 1, []),
    (400, body(category="VALIDATION_ERROR"), {}, 1800, "fatal", 1, []),
    (404, body(category="OBJECT_NOT_FOUND"), {}, 1800, "fatal", 1, []),
    (409, body(category="CONFLICT"), {}, 1800, "fatal", 1, []),
]
RAISES = {"end_cycle": BudgetExhausted, "auth": AuthError, "fatal": FatalApiError}


@pytest.mark.parametrize(("status", "raw", "headers", "left", "action", "calls", "waits"), TABLE,
                         ids=[f"{r[0]}-{r[4]}-{i}" for i, r in enumerate(TABLE)])
def test_status_to_action(status, raw, headers, left, action, calls, waits):
    made, sleep = [], Waits(left)

    def call():
        made.append(1)
        if len(made) == 1:
            raise classify_status(status, raw, headers, operation=OP)
        return "ok"

    with capture_logs() as logs:
        if action == "retry":
            assert call_with_retries(call, attempts=5, sleep=sleep) == "ok"
        else:
            with pytest.raises(RAISES[action]) as raised:
                call_with_retries(call, attempts=5, sleep=sleep)
    assert len(made) == calls
    if waits is not None:
        assert list(sleep) == waits
    else:
        assert len(sleep) == 1 and 0 <= sleep[0] <= 30
    retries = [e for e in logs if e["event"] == "hubspot.retry"]
    assert len(retries) == (1 if action == "retry" else 0)
    for e in retries:
        assert e["status"] == status and e["reason"] and "code" in e
    if action == "end_cycle":
        assert raised.value.limit and raised.value.resets_at > datetime.now(UTC)
