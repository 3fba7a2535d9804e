"""Sessions and whole-call failures: one re-auth, clear auth errors, bounded call retries."""

from __future__ import annotations

import re

import pytest
import requests
import responses
from structlog.testing import capture_logs

from connectors.salesforce import SalesforceGateway
from syncd.errors import AuthError, BudgetExhausted, RetriableError, UnreachableError

from .conftest import DATA, INSTANCE, SECRET, TOKEN_URL, calls_to, query_body, settings, sf_error

QUERY = re.compile(rf"{re.escape(DATA)}/query/?")
EXPIRED = sf_error("INVALID_SESSION_ID", "Session expired or invalid", status=401)


def test_an_expired_session_is_renewed_once_and_the_call_repeated(mocked, gateway):
    mocked.get(QUERY, **EXPIRED)
    mocked.get(QUERY, json=query_body([]))
    assert gateway.lead_statuses() == []
    assert len(calls_to(mocked, "oauth2/token")) == 2
    assert len(calls_to(mocked, "/query")) == 2
    assert gateway.connection.logins == 2


def test_a_session_refused_right_after_renewal_is_an_auth_error(mocked, gateway, sleeps):
    mocked.get(QUERY, **EXPIRED)
    with pytest.raises(AuthError, match="refused again right after a fresh login"):
        gateway.users()
    assert len(calls_to(mocked, "oauth2/token")) == 2  # no loop, no recursion
    assert len(calls_to(mocked, "/query")) == 2
    assert sleeps == []


def test_a_given_session_that_expires_cannot_be_renewed(mocked, sleeps):
    gateway = SalesforceGateway(settings(auth="session", session_id="00Dx!given",
                                         instance_url=INSTANCE), sleep=sleeps)
    mocked.get(QUERY, **EXPIRED)
    with pytest.raises(AuthError, match="cannot renew"):
        gateway.users()
    assert calls_to(mocked, "oauth2/token") == []


@pytest.mark.parametrize(("error", "description"), [
    ("invalid_client", "invalid client credentials"),
    ("invalid_grant", "authentication failure"),
    ("unsupported_grant_type", "grant type not supported"),
])
def test_a_refused_login_is_an_auth_error_naming_the_fix_without_the_secret(error, description,
                                                                              sleeps):
    gateway = SalesforceGateway(settings(), sleep=sleeps)
    with responses.RequestsMock() as rsps:
        rsps.post(TOKEN_URL, status=400, json={"error": error, "error_description": description})
        with pytest.raises(AuthError) as caught:
            gateway.users()
    text = str(caught.value)
    assert error in text and description in text and "client_secret" in text
    assert SECRET not in text and SECRET not in repr(gateway.settings)
    assert caught.value.code == error and sleeps == []


def test_the_token_request_carries_the_grant_of_the_auth_setting(mocked, sleeps):
    gateway = SalesforceGateway(settings(auth="password", username="u@x.test", password="pw",
                                         security_token="TOK"), sleep=sleeps)
    mocked.get(QUERY, json=query_body([]))
    gateway.users()
    form = dict(p.split("=") for p in calls_to(mocked, "oauth2/token")[0].request.body.split("&"))
    assert form["grant_type"] == "password" and form["password"] == "pwTOK"


@pytest.mark.parametrize("failure", [
    sf_error("SERVER_UNAVAILABLE", "down", status=503),
    dict(status=500, body="<html>proxy error</html>"),
    dict(body=requests.exceptions.ReadTimeout("read timed out")),
])
def test_short_lived_failures_are_retried_a_bounded_number_of_times(mocked, gateway, sleeps,
                                                                    failure):
    mocked.get(QUERY, **failure)
    with capture_logs() as logs, pytest.raises(RetriableError):
        gateway.users()
    assert len(calls_to(mocked, "/query")) == 3  # call_retry_attempts
    assert len(sleeps) == 2 and 2 <= sleeps[0] <= 4 and 4 <= sleeps[1] <= 6
    retries = [e for e in logs if e["event"] == "salesforce.retry"]
    assert [e["attempt"] for e in retries] == [1, 2]
    assert all(e["operation"] == "query" and e["retrying"] == "call" for e in retries)


def test_a_transient_failure_then_success_returns_the_answer(mocked, gateway, sleeps):
    mocked.get(QUERY, **sf_error("SERVER_UNAVAILABLE", "down", status=503))
    mocked.get(QUERY, json=query_body([{"Id": "0055e000001AAAAAAA", "Username": "u"}]))
    assert gateway.users()[0]["Username"] == "u"
    assert len(sleeps) == 1


def test_the_daily_request_limit_is_not_retried_in_a_loop(mocked, gateway, sleeps):
    mocked.get(QUERY, **sf_error("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.",
                                 status=403))
    with pytest.raises(BudgetExhausted) as caught:
        gateway.users()
    assert caught.value.retry_after == pytest.approx(3600.0, abs=5)
    assert len(calls_to(mocked, "/query")) == 1 and sleeps == []


def test_a_connection_failure_is_unreachable_and_not_retried(mocked, gateway, sleeps):
    mocked.replace(mocked.POST, TOKEN_URL,
                   body=requests.exceptions.ConnectionError("Connection refused"))
    with pytest.raises(UnreachableError, match="cannot connect.*salesforce.login_url"):
        gateway.users()
    assert sleeps == []
