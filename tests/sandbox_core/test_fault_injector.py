"""Fault rules as WSGI middleware: status bodies and headers, rate, times/after, delays."""

from __future__ import annotations

import json
import threading
import time

import pytest
import requests
from werkzeug.test import Client

from syncd_sandbox.faults import FaultInjector, parse_faults
from syncd_sandbox.server import serve

from .conftest import echo_app


def client(spec: str, system: str = "hubspot", waits: list[float] | None = None):
    injector = FaultInjector(parse_faults(spec), wait=(waits.append if waits is not None else None),
                             hubspot_limits=lambda: (190, 1_000_000))
    return Client(injector.wrap(system, echo_app(system))), injector


def test_hubspot_429_has_the_rate_limit_body_and_headers() -> None:
    http, _ = client("hubspot:POST /crm/v3/objects/contacts/search:status=429")
    response = http.post("/crm/v3/objects/contacts/search", json={"limit": 10})
    body = response.get_json()
    assert response.status_code == 429
    assert {k: v for k, v in body.items() if k != "correlationId"} == {
        "status": "error", "message": "You have reached your ten_secondly_rolling limit.",
        "errorType": "RATE_LIMIT", "policyName": "TEN_SECONDLY_ROLLING"}
    assert len(body["correlationId"]) == 36
    assert response.headers["Retry-After"] == "1"
    assert response.headers["X-HubSpot-RateLimit-Max"] == "190"
    assert response.headers["X-HubSpot-RateLimit-Remaining"] == "0"
    assert response.headers["X-HubSpot-RateLimit-Daily"] == "1000000"
    assert response.headers["X-HubSpot-RateLimit-Interval-Milliseconds"] == "10000"
    assert http.get("/crm/v3/objects/contacts").status_code == 200  # other endpoint untouched


@pytest.mark.parametrize(("system", "status", "answered", "body"), [
    ("hubspot", 500, 500, {"status": "error", "category": "INTERNAL_ERROR"}),
    ("hubspot", 503, 503, {"status": "error", "category": "SERVICE_UNAVAILABLE"}),
    ("salesforce", 503, 503, [{"errorCode": "SERVER_UNAVAILABLE"}]),
    ("salesforce", 500, 500, [{"errorCode": "UNKNOWN_EXCEPTION"}]),
    ("salesforce", 502, 502, [{"errorCode": "SERVER_UNAVAILABLE"}]),
    ("salesforce", 429, 403, [{"errorCode": "REQUEST_LIMIT_EXCEEDED"}]),
])
def test_errors_come_in_each_vendors_shape(system, status, answered, body) -> None:
    http, _ = client(f"{system}:*:status={status}", system)
    response = http.get("/anything")
    got = response.get_json()
    assert response.status_code == answered
    if isinstance(body, list):
        assert [{"errorCode": e["errorCode"]} for e in got] == body
        assert all(e["message"] for e in got)
    else:
        assert {k: got[k] for k in body} == body
        assert got["message"] and got["correlationId"]


def test_a_rule_for_another_system_does_not_fire() -> None:
    http, _ = client("salesforce:*:status=503", "hubspot")
    assert http.get("/x").status_code == 200


def test_after_skips_and_times_caps() -> None:
    http, injector = client("hubspot:/x:status=500:after=2:times=3")
    codes = [http.get("/x").status_code for _ in range(8)]
    assert codes == [200, 200, 500, 500, 500, 200, 200, 200]
    assert injector.snapshot()["rules"][0] == {
        "system": "hubspot", "endpoint": "/x", "kind": "status", "status": 500, "rate": 1.0,
        "latency_ms": 0, "times": 3, "after": 2, "matched": 8, "fired": 3}


def _fired(spec: str, calls: int = 400) -> list[int]:
    http, _ = client(spec)
    return [i for i in range(calls) if http.get("/x").status_code == 503]


def test_rate_is_seeded_same_seed_same_faults() -> None:
    first = _fired("hubspot:*:status=503:rate=0.25;seed=5")
    assert first == _fired("hubspot:*:status=503:rate=0.25;seed=5")
    assert first != _fired("hubspot:*:status=503:rate=0.25;seed=6")
    assert 60 <= len(first) <= 140  # about a quarter of 400


def test_replacing_the_plan_restarts_counters() -> None:
    http, injector = client("hubspot:*:status=503:times=1")
    assert [http.get("/x").status_code for _ in range(2)] == [503, 200]
    injector.replace(parse_faults("hubspot:*:status=503:times=1"))
    assert http.get("/x").status_code == 503


def test_latency_rules_add_up_then_the_call_is_served() -> None:
    waits: list[float] = []
    http, _ = client("hubspot:*:latency=40;*:GET /*:latency=10;salesforce:*:latency=999", "hubspot",
                     waits)
    response = http.get("/x")
    assert response.status_code == 200 and response.get_json() == {"path": "/x"}
    assert waits == [0.05]


def test_first_answering_rule_wins_and_later_rules_do_not_count() -> None:
    http, injector = client("hubspot:*:status=502;hubspot:*:status=500")
    assert http.get("/x").status_code == 502
    assert [r["matched"] for r in injector.snapshot()["rules"]] == [1, 0]


def test_a_timeout_holds_the_call_past_the_clients_read_timeout() -> None:
    injector = FaultInjector(parse_faults("hubspot:/slow:timeout=400"))
    served = serve(injector.wrap("hubspot", echo_app("hubspot")))
    try:
        started = time.monotonic()
        with pytest.raises(requests.exceptions.ReadTimeout):
            requests.get(f"{served.url}/slow", timeout=0.1)
        assert time.monotonic() - started < 0.35
        response = requests.get(f"{served.url}/fast", timeout=2)
        assert response.json() == {"path": "/fast"}
        late = requests.get(f"{served.url}/slow", timeout=2)  # bounded: it does answer
        assert late.status_code == 504 and late.json()["category"] == "GATEWAY_TIMEOUT"
    finally:
        injector.close()
        served.shutdown()


def test_close_releases_held_calls_at_once() -> None:
    injector = FaultInjector(parse_faults("hubspot:*:timeout=60000"))
    app = Client(injector.wrap("hubspot", echo_app("hubspot")))
    codes: list[int] = []
    worker = threading.Thread(target=lambda: codes.append(app.get("/x").status_code))
    worker.start()
    deadline = time.monotonic() + 2
    while injector.snapshot()["rules"][0]["fired"] == 0 and time.monotonic() < deadline:
        pass  # the rule fires just before the call is held
    started = time.monotonic()
    injector.close()
    worker.join(timeout=2)
    assert codes == [504] and time.monotonic() - started < 1


def test_a_faulted_call_is_marked_and_its_body_consumed() -> None:
    seen: dict = {}
    injector = FaultInjector(parse_faults("hubspot:*:status=500"))

    def outer(environ, start_response):
        result = injector.wrap("hubspot", echo_app("hubspot"))(environ, start_response)
        seen.update(fault=environ.get("sandbox.fault"), left=environ["wsgi.input"].read())
        return result
    Client(outer).post("/x", data=json.dumps({"a": 1}))
    assert seen == {"fault": "status", "left": b""}
