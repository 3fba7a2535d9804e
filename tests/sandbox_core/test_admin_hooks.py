"""The admin API's hooks for tests and checks, against a running sandbox and through the real
clients: the clock, sales' actions in Salesforce, and the HubSpot request log."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import requests

from syncd_sandbox.runtime import Sandbox

from .clients import hubspot_client, salesforce_client
from .conftest import NOW


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory) -> Iterator[Sandbox]:
    """A sandbox of this module's own: its hooks change the clock and the org."""
    with Sandbox.start(seed=5, contacts=30, now=NOW,
                       workdir=Path(tmp_path_factory.mktemp("hooks"))) as running:
        yield running


@pytest.fixture(scope="module")
def sf(sandbox):
    return salesforce_client(sandbox.endpoints)


def _admin(sandbox, method: str, path: str, body: object = None) -> requests.Response:
    return requests.request(method, f"{sandbox.endpoints.admin_url}{path}", json=body, timeout=5)


def _lead(sf) -> dict:
    return sf.query("SELECT Id, OwnerId, Status FROM Lead WHERE IsConverted = false "
                    "AND Status = 'Open - Not Contacted' ORDER BY Id LIMIT 1")["records"][0]


def test_the_clock_moves_forward_for_both_emulators(sandbox, sf):
    before = datetime.fromisoformat(_admin(sandbox, "GET", "/clock").json()["now"])
    after = datetime.fromisoformat(_admin(sandbox, "POST", "/clock/advance",
                                          {"hours": 30}).json()["now"])
    assert 30 * 3600 <= (after - before).total_seconds() < 30 * 3600 + 60
    lead = _lead(sf)
    sf.Lead.update(lead["Id"], {"Title": "Clocked"})
    stamp = sf.Lead.get(lead["Id"])["SystemModstamp"]
    assert stamp[:13] == after.strftime("%Y-%m-%dT%H")
    for body, field in (({"hours": -1}, "hours"), ({"days": 9e6}, "days"), ({"weeks": 1}, "weeks"),
                        ({}, "body"), ({"minutes": "5"}, "minutes")):
        bad = _admin(sandbox, "POST", "/clock/advance", body)
        assert bad.status_code == 400 and bad.json()["field"] == field, body


def test_a_rep_completes_a_task_and_the_lead_shows_the_activity(sandbox, sf):
    lead = _lead(sf)
    task = sf.Task.create({"WhoId": lead["Id"], "OwnerId": lead["OwnerId"], "Subject": "Call",
                           "ActivityDate": NOW.date().isoformat()})
    done = _admin(sandbox, "POST", f"/salesforce/tasks/{task['id']}/complete").json()
    assert done["Status"] == "Completed" and done["IsClosed"] is True
    assert done["LastModifiedById"] == lead["OwnerId"]  # as the rep, not the integration
    assert sf.Lead.get(lead["Id"])["LastActivityDate"] == NOW.date().isoformat()
    missing = _admin(sandbox, "POST", "/salesforce/tasks/00T5e0000000zzzAAA/complete")
    assert missing.status_code == 400 and missing.json()["field"] == "record_id"


def test_a_rep_logs_an_event(sandbox, sf):
    lead = _lead(sf)
    event = _admin(sandbox, "POST", "/salesforce/events",
                   {"who_id": lead["Id"], "subject": "Demo", "minutes": 45}).json()
    assert (event["WhoId"], event["OwnerId"], event["DurationInMinutes"]) == (
        lead["Id"], lead["OwnerId"], 45)
    assert sf.Lead.get(lead["Id"])["LastActivityDate"] == event["ActivityDate"]
    assert _admin(sandbox, "POST", "/salesforce/events", {}).json()["field"] == "who_id"


def test_sales_sets_a_lead_status(sandbox, sf):
    lead = _lead(sf)
    answer = _admin(sandbox, "POST", f"/salesforce/leads/{lead['Id']}/status", {"status": "Nurture"})
    assert answer.json()["Status"] == "Nurture"
    assert sf.Lead.get(lead["Id"])["Status"] == "Nurture"
    bad = _admin(sandbox, "POST", f"/salesforce/leads/{lead['Id']}/status", {"status": "Maybe"})
    assert bad.status_code == 400 and "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST" in bad.json()["error"]


def test_the_request_log_shows_a_backward_stage_as_clear_then_set(sandbox):
    batch = hubspot_client(sandbox.endpoints).crm.contacts.batch_api
    contact = hubspot_client(sandbox.endpoints).crm.contacts.basic_api.get_page(limit=1).results[0]
    mark = max([0] + [r["seq"] for r in _admin(sandbox, "GET", "/requests/hubspot").json()["requests"]])
    for stage in ("customer", "", "lead"):
        batch.update(batch_input_simple_public_object_batch_input={
            "inputs": [{"id": contact.id, "properties": {"lifecyclestage": stage}}]})
    logged = _admin(sandbox, "GET", f"/requests/hubspot?method=POST&since={mark}"
                                    "&path=/crm/v3/objects/contacts/batch/update").json()["requests"]
    stages = [r["body"]["inputs"][0]["properties"]["lifecyclestage"] for r in logged]
    assert stages == ["customer", "", "lead"]
    assert [r["status"] for r in logged] == [200, 200, 200]
    assert logged[0]["endpoint"] == "POST /crm/v3/objects/contacts/batch/update"
    assert sandbox.hubspot_state.contact(contact.id)["properties"]["lifecyclestage"] == "lead"
    assert _admin(sandbox, "DELETE", "/requests/hubspot").json() == {"cleared": True}
    assert _admin(sandbox, "GET", "/requests/hubspot").json()["requests"] == []
    assert _admin(sandbox, "GET", "/requests/nope").json()["field"] == "system"
