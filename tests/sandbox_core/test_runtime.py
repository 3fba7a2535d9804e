"""The composed sandbox through the real client libraries: routing, faults, determinism."""

from __future__ import annotations

import json
import socket
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from hubspot.crm.contacts import PublicObjectSearchRequest
from simple_salesforce.exceptions import SalesforceGeneralError, SalesforceRefusedRequest

from syncd_sandbox.faults import FaultPlan, parse_faults
from syncd_sandbox.runtime import Sandbox
from syncd.clock import FixedClock

from .clients import hubspot_client, salesforce_client
from .conftest import NOW


@pytest.fixture
def clean(sandbox):
    """The shared sandbox with no faults and zeroed counters, put back afterwards."""
    sandbox.apply_plan(FaultPlan())
    sandbox.reset_stats()
    yield sandbox
    sandbox.apply_plan(FaultPlan())
    sandbox.reset_stats()


def test_both_apis_answer_the_real_clients_and_are_counted(clean) -> None:
    hs = hubspot_client(clean.endpoints)
    found = hs.crm.contacts.search_api.do_search(
        public_object_search_request=PublicObjectSearchRequest(limit=10, properties=["email"]))
    assert found.total >= 40 and len(found.results) == 10
    sf = salesforce_client(clean.endpoints)
    leads = list(sf.query_all_iter("SELECT Id, Email FROM Lead"))
    assert leads and all(r["Id"].startswith("00Q") for r in leads)
    systems = clean.stats()["systems"]
    assert systems["hubspot"]["endpoints"]["POST /crm/v3/objects/contacts/search"]["calls"] == 1
    assert {e.split(" ")[0] for e in systems["salesforce"]["endpoints"]} == {"GET", "POST"}
    assert systems["salesforce"]["calls"] >= 2  # token + at least one query page


def test_a_hubspot_fault_reaches_the_client_as_the_vendor_sends_it(clean) -> None:
    clean.apply_plan(parse_faults("hubspot:POST /crm/v3/objects/contacts/search:status=429"))
    with pytest.raises(Exception) as caught:
        hubspot_client(clean.endpoints).crm.contacts.search_api.do_search(
            public_object_search_request=PublicObjectSearchRequest(limit=1))
    assert caught.value.status == 429
    assert caught.value.headers["Retry-After"] == "1"
    assert caught.value.headers["X-HubSpot-RateLimit-Max"] == "190"
    assert json.loads(caught.value.body)["policyName"] == "TEN_SECONDLY_ROLLING"


@pytest.mark.parametrize(("status", "error", "code"), [
    (503, SalesforceGeneralError, "SERVER_UNAVAILABLE"),
    (429, SalesforceRefusedRequest, "REQUEST_LIMIT_EXCEEDED"),
])
def test_a_salesforce_fault_reaches_simple_salesforce(clean, status, error, code) -> None:
    sf = salesforce_client(clean.endpoints)
    clean.apply_plan(parse_faults(f"salesforce:re:/query:status={status}"))
    with pytest.raises(error) as caught:
        sf.query("SELECT Id FROM Lead LIMIT 1")
    assert caught.value.content[0]["errorCode"] == code


def test_an_expire_sessions_rule_logs_the_client_out_mid_run(clean) -> None:
    sf = salesforce_client(clean.endpoints)
    clean.apply_plan(parse_faults("salesforce:re:/query:expire_sessions:after=1:times=1"))
    first = sf.session_id
    for _ in range(3):
        assert sf.query("SELECT Id FROM Lead LIMIT 1")["totalSize"] == 1
    # simple-salesforce met the 401 INVALID_SESSION_ID once, logged in again and retried
    endpoints = clean.stats()["systems"]["salesforce"]["endpoints"]
    assert endpoints["GET /services/data/{v}/query"]["by_status"] == {"200": 3, "401": 1}
    assert endpoints["POST /services/oauth2/token"]["calls"] == 2
    assert sf.session_id != first


def test_settings_in_the_start_spec_reach_the_emulators(tmp_path: Path) -> None:
    spec = "salesforce.lock_error_rate=0.2;hubspot.rate_limit_per_10s=100;seed=3"
    with Sandbox.start(seed=1, contacts=10, now=NOW, workdir=tmp_path, faults=spec) as sb:
        assert sb.salesforce_settings.lock_error_rate == 0.2
        assert sb.hubspot_settings.rate_limit_per_10s == 100
        assert sb.faults.plan.seed == 3


def _dump_bytes(seed: int, workdir: Path) -> bytes:
    with Sandbox.start(seed=seed, contacts=25, now=NOW, workdir=workdir) as sb:
        return requests.get(f"{sb.endpoints.admin_url}/dump", timeout=10).content


def test_same_seed_gives_a_byte_identical_dump(tmp_path: Path) -> None:
    first = _dump_bytes(21, tmp_path / "a")
    assert first == _dump_bytes(21, tmp_path / "b")
    assert first != _dump_bytes(22, tmp_path / "c")


def test_offline_files_are_written_under_workdir(sandbox) -> None:
    offline = Path(sandbox.endpoints.ca_bundle).parent / "offline"
    written = {p.name: p.read_bytes() for p in offline.iterdir()}
    assert written == sandbox.world.offline_files and written


def test_stop_closes_every_port_and_may_be_called_twice(tmp_path: Path) -> None:
    sb = Sandbox.start(seed=1, contacts=5, now=NOW, workdir=tmp_path)
    ports = [int(url.rsplit(":", 1)[1]) for url in
             (sb.endpoints.hubspot_url, sb.endpoints.salesforce_url, sb.endpoints.admin_url)]
    sb.stop()
    sb.stop()
    assert len(ports) == 3 and all(ports)
    for port in ports:
        with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            pass


def test_a_naive_now_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        Sandbox.start(workdir=tmp_path, now=NOW.replace(tzinfo=None))


def test_a_given_clock_drives_the_emulators(tmp_path: Path) -> None:
    clock = FixedClock(NOW + timedelta(days=3))
    with Sandbox.start(seed=1, contacts=5, now=NOW, clock=clock, workdir=tmp_path) as sb:
        sf = salesforce_client(sb.endpoints)
        sf.Lead.upsert("HubSpot_Id__c/clock-1", {"LastName": "Clock", "Company": "Clock Co"})
        row = sf.query("SELECT LastModifiedDate FROM Lead WHERE HubSpot_Id__c = 'clock-1'")
        assert row["records"][0]["LastModifiedDate"].startswith("2026-11-05T09:30:00")
        assert sb.stats()["since"] == "2026-11-05T09:30:00+00:00"
