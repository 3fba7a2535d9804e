"""The probes over real HTTP: status codes in healthy and failing states."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import UTC, datetime

import pytest

from syncd.errors import UnreachableError
from syncd.ops.health import CycleOutcome, HealthState, unreachable_systems
from syncd.ops.metrics import Metrics, StoreGauges
from syncd.ops.probes import ProbeSources, probe_app
from syncd.wiring import serve_wsgi

NOW = datetime(2026, 11, 1, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture
def probes():
    clock, store_up, last_run = Clock(), {"up": True}, {"run": None}

    def ping():
        if not store_up["up"]:
            raise ConnectionError("connection refused")

    health = HealthState(monotonic=clock)
    sources = ProbeSources(health=health, metrics=Metrics(replica="r1", store=lambda: StoreGauges(
        pending=2, review_queue=1)), ping_store=ping, last_run=lambda: last_run["run"], heartbeat_max_age=60)
    server = serve_wsgi(probe_app(sources), host="127.0.0.1", port=0)
    try:
        yield f"http://127.0.0.1:{server.port}", health, clock, store_up, last_run
    finally:
        server.shutdown()


def test_healthz_follows_the_scheduler_heartbeat(probes):
    url, health, clock, *_ = probes
    assert get(url + "/healthz")[0] == 503  # no heartbeat yet
    health.beat()
    status, body = get(url + "/healthz")
    assert status == 200 and json.loads(body)["ok"] is True
    clock.t += 61  # the scheduler stopped beating
    status, body = get(url + "/healthz")
    assert status == 503 and json.loads(body)["heartbeat_age_seconds"] == 61


def test_readyz_needs_the_store_a_good_last_cycle_and_both_apis(probes):
    url, health, _, store_up, last_run = probes
    status, body = get(url + "/readyz")
    assert status == 503 and "no cycle has finished yet" in body.decode()
    last_run["run"] = {"run_id": "r0", "status": "ok"}  # a standby: another replica's last run
    assert get(url + "/readyz")[0] == 200
    health.cycle_finished(CycleOutcome(status="ok", run_id="r1", finished_at=NOW))
    assert get(url + "/readyz")[0] == 200
    error = UnreachableError("connection refused", system="salesforce", operation="login")
    health.cycle_finished(CycleOutcome(status="failed", finished_at=NOW, error=str(error),
                                       unreachable=unreachable_systems(error)))
    status, body = get(url + "/readyz")
    checks = json.loads(body)["checks"]
    assert status == 503 and checks["salesforce"] == {"ok": False} and checks["hubspot"] == {"ok": True}
    health.cycle_finished(CycleOutcome(status="ok", run_id="r2", finished_at=NOW))
    store_up["up"] = False
    status, body = get(url + "/readyz")
    assert status == 503 and "connection refused" in json.loads(body)["checks"]["store"]["error"]


def test_metrics_answers_even_when_the_store_does_not(probes):
    url, *_ = probes
    status, body = get(url + "/metrics")
    assert status == 200 and b"syncd_pending_contacts 2.0" in body and b"syncd_store_up 1.0" in body
    assert get(url + "/nope")[0] == 404
    broken = Metrics(replica="r", store=lambda: 1 / 0)
    assert b"syncd_store_up 0.0" in broken.render() and b"syncd_pending_contacts" not in broken.render()
