"""Table: every Salesforce status / error code → one action, with call counts, no real sleeps.

Whole calls: ``retry`` (the next attempt succeeds after a wait), ``reauth`` (one new login,
then the call again), ``end_cycle`` (the org's daily allocation, or a wait longer than the
cycle has left: ``BudgetExhausted``, never retried), ``auth`` and ``fatal`` (not retried).
Rows of a batch write: ``retry_row`` (sent again alone) or ``reject_row`` (reported, never
sent again).
"""

from __future__ import annotations

import json
import re

import pytest
from structlog.testing import capture_logs

from connectors.salesforce import SalesforceGateway
from syncd.errors import AuthError, BudgetExhausted, FatalApiError

from .conftest import DATA, calls_to, query_body, settings, sf_error

QUERY = re.compile(rf"{re.escape(DATA)}/query/?")
UPSERT_URL = f"{DATA}/composite/sobjects/Lead/HubSpot_Id__c"


class Waits(list):
    def __init__(self, remaining: float = 1800.0) -> None:
        super().__init__()
        self._remaining = remaining

    def __call__(self, seconds: float) -> None:
        self.append(seconds)

    def remaining(self) -> float:
        return self._remaining


CALLS = [
    # status, code, message, cycle time left, action, query calls, logins, waits
    (503, "SERVER_UNAVAILABLE", "down", 1800, "retry", 2, 1, 1),
    (500, "UNKNOWN_EXCEPTION", "ErrorId 1804325813-4242", 1800, "retry", 2, 1, 1),
    (400, "UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access", 1800, "retry", 2, 1, 1),
    (400, "QUERY_TIMEOUT", "took too long", 1800, "retry", 2, 1, 1),
    (403, "REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded.", 1800, "retry", 2, 1, 1),
    (403, "REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded.", 30, "end_cycle", 1, 1, 0),
    (403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.", 86400, "end_cycle", 1, 1, 0),
    (401, "INVALID_SESSION_ID", "Session expired or invalid", 1800, "reauth", 2, 2, 0),
    (403, "INSUFFICIENT_ACCESS", "no access", 1800, "auth", 1, 1, 0),
    (400, "MALFORMED_QUERY", "unexpected token", 1800, "fatal", 1, 1, 0),
    (400, "INVALID_FIELD", "No such column", 1800, "fatal", 1, 1, 0),
    (404, "NOT_FOUND", "gone", 1800, "fatal", 1, 1, 0),
]
RAISES = {"end_cycle": BudgetExhausted, "auth": AuthError, "fatal": FatalApiError}


@pytest.mark.parametrize(("status", "code", "message", "left", "action", "queries", "logins", "waits"),
                         CALLS, ids=[f"{c[1]}-{c[4]}" for c in CALLS])
def test_call_error_to_action(mocked, status, code, message, left, action, queries, logins, waits):
    sleep = Waits(left)
    gateway = SalesforceGateway(settings(), sleep=sleep)
    mocked.get(QUERY, **sf_error(code, message, status=status))
    mocked.get(QUERY, json=query_body([]))
    with capture_logs() as logs:
        if action in ("retry", "reauth"):
            assert gateway.users() == []
        else:
            with pytest.raises(RAISES[action]) as raised:
                gateway.users()
    assert len(calls_to(mocked, "/query")) == queries
    assert len(calls_to(mocked, "oauth2/token")) == logins
    assert len(sleep) == waits and all(w <= left for w in sleep)
    retries = [e for e in logs if e["event"] == "salesforce.retry"]
    assert [(e["code"], e["status"]) for e in retries] == [(code, status)] * waits
    assert all(message.split()[0] in e["reason"] for e in retries)
    if action == "end_cycle":
        assert raised.value.code == code and raised.value.limit
        assert "busy" not in str(raised.value)


ROWS = [
    ("UNABLE_TO_LOCK_ROW", "retry_row"),
    ("SERVER_UNAVAILABLE", "retry_row"),
    ("DUPLICATES_DETECTED", "reject_row"),
    ("STRING_TOO_LONG", "reject_row"),
    ("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "reject_row"),
    ("CANNOT_UPDATE_CONVERTED_LEAD", "reject_row"),
    ("FIELD_CUSTOM_VALIDATION_EXCEPTION", "reject_row"),
    ("ENTITY_IS_DELETED", "reject_row"),
]


@pytest.mark.parametrize(("code", "action"), ROWS, ids=[r[0] for r in ROWS])
def test_row_error_to_action(mocked, code, action):
    sleep, sent = Waits(), []

    def answer(request):
        records = json.loads(request.body)["records"]
        sent.append([r["HubSpot_Id__c"] for r in records])
        first = len(sent) == 1
        return 200, {}, json.dumps([
            {"success": False, "errors": [{"statusCode": code, "message": f"{code} reason", "fields": []}]}
            if r["HubSpot_Id__c"] == "2" and first else
            {"id": "00Q5e00000000" + r["HubSpot_Id__c"].rjust(5, "0"), "success": True, "created": False,
             "errors": []} for r in records])

    mocked.add_callback("PATCH", UPSERT_URL, callback=answer)
    gateway = SalesforceGateway(settings(), sleep=sleep)
    with capture_logs() as logs:
        results = gateway.upsert("Lead", "HubSpot_Id__c", [{"HubSpot_Id__c": str(i)} for i in range(4)])
    row = results[2]
    assert len(results) == 4 and sent[0] == ["0", "1", "2", "3"]
    if action == "retry_row":
        assert sent == [["0", "1", "2", "3"], ["2"]] and len(sleep) == 1
        assert row.ok
        retry = next(e for e in logs if e["event"] == "salesforce.retry")
        assert retry["codes"] == {code: 1} and code in retry["reason"]
    else:
        assert sent == [["0", "1", "2", "3"]] and sleep == []
        assert not row.ok and not row.retriable and row.error_code == code
        assert row.message == f"{code} reason"
    assert all(r.ok for i, r in enumerate(results) if i != 2)
