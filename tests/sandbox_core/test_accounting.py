"""Call accounting: per system, endpoint and status; injected faults counted; thread-safe."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from werkzeug.test import Client

from syncd_sandbox.accounting import CallAccounting
from syncd_sandbox.faults import FaultInjector, parse_faults
from syncd.clock import FixedClock

from .conftest import echo_app


def test_calls_are_counted_under_the_emulators_endpoint_name() -> None:
    accounting = CallAccounting(clock=FixedClock(datetime(2026, 1, 5, tzinfo=UTC)))
    faults = FaultInjector(parse_faults("hubspot:/items/9:status=429:times=1"))
    http = Client(accounting.wrap("hubspot", faults.wrap("hubspot", echo_app("hubspot"))))
    for path in ("/items/1", "/items/2", "/items/9", "/items/9"):
        http.get(path)
    http.post("/items/3")
    assert accounting.snapshot() == {
        "since": "2026-01-05T00:00:00+00:00", "total_calls": 5,
        "systems": {"hubspot": {
            "calls": 5, "injected_faults": 1, "records": 12,
            "by_status": {"200": 4, "429": 1},
            "endpoints": {
                # a faulted call never reached the emulator, so it carries its raw path
                "GET /items/9": {"calls": 1, "injected_faults": 1, "by_status": {"429": 1}},
                "GET /items/{id}": {"calls": 3, "injected_faults": 0, "records": 9,
                                    "by_status": {"200": 3}},
                "POST /items/{id}": {"calls": 1, "injected_faults": 0, "records": 3,
                                     "by_status": {"200": 1}},
            }}}}
    assert accounting.calls("hubspot") == 5
    assert accounting.calls("hubspot", "GET /items/{id}") == 3
    assert accounting.calls("salesforce") == 0


def test_reset_forgets_counts_and_moves_since() -> None:
    clock = FixedClock(datetime(2026, 1, 5, tzinfo=UTC))
    accounting = CallAccounting(clock=clock)
    accounting.record("salesforce", "GET /q", 200)
    clock.advance(timedelta(hours=1))
    accounting.reset()
    assert accounting.snapshot() == {"since": "2026-01-05T01:00:00+00:00", "total_calls": 0,
                                     "systems": {}}


def test_an_app_that_raises_is_still_counted() -> None:
    accounting = CallAccounting()

    def broken(environ, start_response):
        raise RuntimeError("boom")
    try:
        accounting.wrap("salesforce", broken)({"REQUEST_METHOD": "GET", "PATH_INFO": "/x"},
                                              lambda *a: None)
    except RuntimeError:
        pass
    assert accounting.snapshot()["systems"]["salesforce"]["by_status"] == {"error": 1}


def test_counts_are_exact_under_concurrent_calls() -> None:
    accounting = CallAccounting()
    app = accounting.wrap("salesforce", echo_app("salesforce"))

    def hammer() -> None:
        http = Client(app)
        for _ in range(250):
            http.get("/items/1")
    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert accounting.calls("salesforce", "GET /items/{id}") == 2000
    assert accounting.snapshot()["systems"]["salesforce"]["records"] == 6000
