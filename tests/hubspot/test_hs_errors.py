"""One classification table, one retry layer (no real sleeps), errors over real HTTP."""

from __future__ import annotations

import socket

import pytest
import urllib3.exceptions as u3
from hubspot.crm.contacts.exceptions import ApiException, NotFoundException
from structlog.testing import capture_logs

from connectors.hubspot.errors import classify
from connectors.hubspot.retry import call_with_retries
from syncd.errors import AuthError, BudgetExhausted, FatalApiError, RetriableError, UnreachableError


def _api_exc(status: int, body: bytes = b"", headers: dict | None = None) -> ApiException:
    exc = ApiException(status=status, reason="x")
    exc.body, exc.headers = body, headers or {}
    return exc


RATE_BODY = b'{"status":"error","errorType":"RATE_LIMIT","policyName":"TEN_SECONDLY_ROLLING","message":"m"}'


@pytest.mark.parametrize("exc, kind, retry_after", [
    (_api_exc(429, RATE_BODY, {"X-HubSpot-RateLimit-Interval-Milliseconds": "10000"}), RetriableError, 10.0),
    (_api_exc(429, b'{"policyName":"DAILY"}', {"Retry-After": "7"}), BudgetExhausted, 7.0),
    (_api_exc(502), RetriableError, None),
    (_api_exc(503, b"<html>"), RetriableError, None),
    (_api_exc(401, b'{"category":"INVALID_AUTHENTICATION"}'), AuthError, None),
    (_api_exc(403, b'{"category":"MISSING_SCOPES"}'), AuthError, None),
    (_api_exc(400, b'{"category":"VALIDATION_ERROR","message":"bad"}'), FatalApiError, None),
    (NotFoundException(status=404, reason="nf"), FatalApiError, None),
    (_api_exc(0), UnreachableError, None),
    (u3.MaxRetryError(None, "/", u3.NewConnectionError(None, "refused")), UnreachableError, None),
    (u3.ReadTimeoutError(None, "/", "read timed out"), RetriableError, None),
    (u3.ProtocolError("reset"), RetriableError, None),
    (KeyError("surprise"), FatalApiError, None),
])
def test_every_failure_is_classified_by_one_table(exc, kind, retry_after):
    error = classify(exc, operation="POST /crm/v3/objects/contacts/search")
    assert type(error) is kind
    assert error.system == "hubspot" and error.operation.endswith("/search")
    if issubclass(kind, RetriableError):
        assert error.retry_after == pytest.approx(retry_after, abs=1) if retry_after else error.retry_after is None


def _flaky(failures: list[Exception]):
    calls = []

    def fn():
        calls.append(1)
        if failures:
            raise failures.pop(0)
        return "ok"
    return fn, calls


def test_retries_wait_as_told_and_log_each_retry():
    waits: list[float] = []
    fn, calls = _flaky([RetriableError("slow", retry_after=10.0, system="hubspot", operation="op", status=429),
                        RetriableError("5xx", system="hubspot", operation="op", status=502)])
    with capture_logs() as logs:
        assert call_with_retries(fn, attempts=5, sleep=waits.append) == "ok"
    assert len(calls) == 3
    assert waits[0] == 10.0 and 0 <= waits[1] <= 30
    assert [e["event"] for e in logs] == ["hubspot.retry", "hubspot.retry"]
    assert logs[0]["status"] == 429 and logs[0]["attempt"] == 1


def test_retries_stop_after_the_bound_and_reraise():
    fn, calls = _flaky([RetriableError("5xx", system="hubspot", operation="op") for _ in range(9)])
    with pytest.raises(RetriableError):
        call_with_retries(fn, attempts=3, sleep=lambda s: None)
    assert len(calls) == 3


def test_non_retriable_errors_are_not_retried():
    fn, calls = _flaky([AuthError("no", system="hubspot", operation="op")])
    with pytest.raises(AuthError):
        call_with_retries(fn, attempts=5, sleep=lambda s: None)
    assert len(calls) == 1


def test_wrong_token_is_an_auth_error_over_http(portal):
    connector = portal.connector(token="wrong")
    with pytest.raises(AuthError) as info:
        list(connector.pull({}, properties=[], now=portal.clock.now()))
    assert info.value.status == 401


def test_an_unreachable_host_is_reported_as_such():
    from hs_portal import TOKEN

    from connectors.hubspot import HubSpotClientSettings, HubSpotConnector
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound but not listening: connection refused
        connector = HubSpotConnector(HubSpotClientSettings(base_url=f"http://127.0.0.1:{port}", token=TOKEN,
                                                           max_attempts=1), sleep=lambda s: None)
        with pytest.raises(UnreachableError):
            list(connector.pull({}, properties=[], now=__import__("hs_portal").NOW))


def test_server_rate_limits_are_retried_after_the_advertised_interval():
    from hs_portal import small_seed, start_portal
    portal, served = start_portal(small_seed(), rate_limit_per_10s=3)
    try:
        waits: list[float] = []

        def sleep(seconds: float) -> None:  # the emulator's clock moves instead of ours
            waits.append(seconds)
            portal.tick(seconds=seconds)
        from hs_portal import TOKEN

        from connectors.hubspot import HubSpotClientSettings, HubSpotConnector
        connector = HubSpotConnector(HubSpotClientSettings(base_url=portal.url, token=TOKEN,
                                                           rate_limit_per_10s=None, search_per_second=None,
                                                           daily_limit=None), sleep=sleep)
        portal.cycle(connector)
        assert waits and all(w == 10.0 for w in waits)
        assert portal.audit()["missed"] == 0
    finally:
        served.shutdown()
