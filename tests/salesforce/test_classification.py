"""The error table: every status / code a sync meets lands in the right syncd error kind."""

from __future__ import annotations

import pytest
import requests
from simple_salesforce.exceptions import (SalesforceExpiredSession, SalesforceGeneralError,
                                          SalesforceMalformedRequest, SalesforceRefusedRequest)

from connectors.salesforce.errors import ROW_REJECTED, ROW_RETRIABLE, Verdict, classify, make_error
from connectors.salesforce.translate import translate
from syncd.errors import AuthError, BudgetExhausted, FatalApiError, RetriableError, UnreachableError


@pytest.mark.parametrize(("status", "code", "verdict"), [
    (503, "SERVER_UNAVAILABLE", Verdict.RETRY),
    (400, "UNABLE_TO_LOCK_ROW", Verdict.RETRY),
    (403, "REQUEST_LIMIT_EXCEEDED", Verdict.BUDGET),
    (500, None, Verdict.RETRY),
    (502, "SOMETHING_NEW", Verdict.RETRY),
    (429, None, Verdict.RETRY),
    (401, "INVALID_SESSION_ID", Verdict.REAUTH),
    (401, None, Verdict.REAUTH),
    (400, "invalid_client", Verdict.AUTH),
    (400, "invalid_grant", Verdict.AUTH),
    (403, "INSUFFICIENT_ACCESS", Verdict.AUTH),
    (403, None, Verdict.AUTH),
    (400, "MALFORMED_QUERY", Verdict.FATAL),
    (400, "INVALID_FIELD", Verdict.FATAL),
    (404, "NOT_FOUND", Verdict.FATAL),
    (400, "SOMETHING_NEW", Verdict.FATAL),
    (None, None, Verdict.UNREACHABLE),
])
def test_classify_by_code_then_status(status, code, verdict):
    assert classify(status, code) is verdict


@pytest.mark.parametrize(("verdict", "kind"), [
    (Verdict.RETRY, RetriableError), (Verdict.BUDGET, BudgetExhausted),
    (Verdict.REAUTH, AuthError), (Verdict.AUTH, AuthError),
    (Verdict.FATAL, FatalApiError), (Verdict.UNREACHABLE, UnreachableError),
])
def test_each_verdict_has_one_error_kind(verdict, kind):
    error = make_error(verdict, operation="query", message="m", status=400, code="C")
    assert type(error) is kind
    assert (error.system, error.operation, error.status, error.code) == (
        "salesforce", "query", 400, "C")


@pytest.mark.parametrize(("message", "kind", "wait"), [
    ("TotalRequests Limit exceeded.", BudgetExhausted, 3600.0),
    ("ConcurrentPerOrgLongTxn Limit exceeded.", RetriableError, 60.0),
])
def test_request_limit_ends_the_cycle_for_the_daily_allocation(message, kind, wait):
    verdict = classify(403, "REQUEST_LIMIT_EXCEEDED", message)
    error = make_error(verdict, operation="query", message=message, code="REQUEST_LIMIT_EXCEEDED")
    assert type(error) is kind and error.retry_after == pytest.approx(wait, abs=2)


def _sdk(cls, status, code):
    return cls("https://x/services/data", status, "query",
               [{"errorCode": code, "message": "msg"}])


@pytest.mark.parametrize(("exc", "kind", "code"), [
    (_sdk(SalesforceMalformedRequest, 400, "MALFORMED_QUERY"), FatalApiError, "MALFORMED_QUERY"),
    (_sdk(SalesforceExpiredSession, 401, "INVALID_SESSION_ID"), AuthError, "INVALID_SESSION_ID"),
    (_sdk(SalesforceRefusedRequest, 403, "REQUEST_LIMIT_EXCEEDED"), BudgetExhausted,
     "REQUEST_LIMIT_EXCEEDED"),
    (_sdk(SalesforceGeneralError, 503, "SERVER_UNAVAILABLE"), RetriableError, "SERVER_UNAVAILABLE"),
    (requests.exceptions.SSLError("certificate verify failed"), UnreachableError, None),
    (requests.exceptions.ConnectTimeout("connect timeout"), UnreachableError, None),
    (requests.exceptions.ConnectionError("refused"), UnreachableError, None),
    (requests.exceptions.ReadTimeout("read timeout"), RetriableError, None),
    (ValueError("Expecting value: line 1"), RetriableError, None),
])
def test_sdk_and_transport_exceptions_become_syncd_errors(exc, kind, code):
    _verdict, error = translate(exc, "query")
    assert type(error) is kind
    assert error.code == code
    assert "Salesforce query failed" in str(error)


def test_unreachable_errors_point_at_the_settings_to_check():
    _verdict, error = translate(requests.exceptions.SSLError("bad cert"), "login")
    assert "salesforce.ca_bundle" in str(error) and "TLS" in str(error)


def test_unknown_exceptions_are_not_swallowed():
    with pytest.raises(KeyError):
        translate(KeyError("bug"), "query")


def test_row_codes_are_either_retried_or_rejected_never_both():
    assert "UNABLE_TO_LOCK_ROW" in ROW_RETRIABLE
    assert {"DUPLICATES_DETECTED", "STRING_TOO_LONG", "CANNOT_UPDATE_CONVERTED_LEAD",
            "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "FIELD_CUSTOM_VALIDATION_EXCEPTION",
            "ENTITY_IS_DELETED", "REQUIRED_FIELD_MISSING", "DUPLICATE_VALUE"} <= ROW_REJECTED
    assert not ROW_RETRIABLE & ROW_REJECTED
