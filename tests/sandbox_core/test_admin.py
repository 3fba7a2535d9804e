"""The admin API of a running sandbox, over HTTP."""

from __future__ import annotations

import json

import pytest
import requests

from syncd_sandbox.faults import FaultPlan

from .clients import hubspot_client, salesforce_client


@pytest.fixture
def admin(sandbox):
    """The admin base URL; faults, settings and counters are put back afterwards."""
    before = (sandbox.salesforce_settings.lock_error_rate, sandbox.hubspot_settings.daily_limit)
    yield sandbox.endpoints.admin_url
    sandbox.apply_plan(FaultPlan())
    sandbox.salesforce_settings.lock_error_rate, sandbox.hubspot_settings.daily_limit = before
    sandbox.reset_stats()


def test_health_names_every_endpoint(sandbox, admin) -> None:
    body = requests.get(f"{admin}/health", timeout=5).json()
    assert body["status"] == "ok" and body["seed"] == 11
    assert body["endpoints"] == json.loads(sandbox.endpoints.to_json())


def test_stats_count_calls_and_reset_zeroes_them(sandbox, admin) -> None:
    requests.post(f"{admin}/stats/reset", timeout=5)
    hubspot_client(sandbox.endpoints).crm.contacts.basic_api.get_page(limit=5)
    stats = requests.get(f"{admin}/stats", timeout=5).json()
    assert stats["total_calls"] == 1
    assert stats["systems"]["hubspot"]["calls"] == 1
    assert list(stats["systems"]["hubspot"]["endpoints"]) == ["GET /crm/v3/objects/contacts"]
    assert requests.post(f"{admin}/stats/reset", timeout=5).json()["total_calls"] == 0


def test_put_faults_replaces_the_plan_and_applies_it(sandbox, admin) -> None:
    plan = {"seed": 3, "rules": [{"system": "hubspot", "endpoint": "GET /crm/v3/objects/contacts",
                                  "kind": "status", "status": 503, "times": 1}],
            "settings": {"salesforce": {"lock_error_rate": 0.25}}}
    answer = requests.put(f"{admin}/faults", json=plan, timeout=5)
    assert answer.status_code == 200
    with pytest.raises(Exception) as caught:
        hubspot_client(sandbox.endpoints).crm.contacts.basic_api.get_page(limit=1)
    assert caught.value.status == 503
    rules = requests.get(f"{admin}/faults", timeout=5).json()["rules"]
    assert (rules[0]["matched"], rules[0]["fired"]) == (1, 1)
    assert sandbox.salesforce_settings.lock_error_rate == 0.25
    by_spec = requests.put(f"{admin}/faults", json={"spec": "seed=4"}, timeout=5).json()
    assert by_spec == {"seed": 4, "rules": [], "settings": {}}


@pytest.mark.parametrize(("method", "path", "body", "field", "message"), [
    ("PUT", "/faults", {"rules": [{"kind": "status", "status": 404}]}, "rules[0].status",
     "status must be one of 429, 500, 502, 503"),
    ("PUT", "/faults", None, "body", "a JSON body is required"),
    ("PUT", "/faults", "{not json", "body", "body is not valid JSON"),
    ("PATCH", "/settings/salesforce", {"lock_error_rate": 2}, "lock_error_rate",
     "salesforce.lock_error_rate must be from 0.0 to 1.0"),
    ("PATCH", "/settings/salesforce", {"colour": 1}, "colour", 'unknown salesforce setting'),
    ("PATCH", "/settings/zendesk", {"daily_limit": 1}, "daily_limit",
     "settings system must be hubspot or salesforce"),
    ("PATCH", "/settings/hubspot", {}, "body", "body must be a non-empty object"),
    ("POST", "/drift", {"step": -1}, "step", "step must be a whole number >= 0"),
    ("POST", "/drift", {"steps": 1}, "body", 'body must be empty or {"step": N}'),
])
def test_bad_input_is_a_400_naming_the_field(admin, method, path, body, field, message) -> None:
    data = body if isinstance(body, str) else (json.dumps(body) if body is not None else b"")
    answer = requests.request(method, f"{admin}{path}", data=data, timeout=5)
    assert answer.status_code == 400
    assert answer.json()["field"] == field
    assert message in answer.json()["error"]


def test_patch_settings_changes_the_live_emulator(sandbox, admin) -> None:
    answer = requests.patch(f"{admin}/settings/hubspot", json={"daily_limit": "none"}, timeout=5)
    assert answer.json()["daily_limit"] is None and sandbox.hubspot_settings.daily_limit is None
    answer = requests.patch(f"{admin}/settings/salesforce", json={"lock_error_rate": 0.5},
                            timeout=5)
    assert answer.json()["lock_error_rate"] == 0.5
    assert sandbox.salesforce_settings.lock_error_rate == 0.5


def test_expire_sessions_makes_salesforce_refuse_old_tokens(sandbox, admin) -> None:
    sf = salesforce_client(sandbox.endpoints)
    url = f"{sf.base_url}query"
    headers = {"Authorization": f"Bearer {sf.session_id}"}
    params = {"q": "SELECT Id FROM Lead LIMIT 1"}
    assert sf.session.get(url, headers=headers, params=params).status_code == 200
    assert requests.post(f"{admin}/salesforce/expire-sessions", timeout=5).json() == {
        "expired": True}
    refused = sf.session.get(url, headers=headers, params=params)
    assert refused.status_code == 401
    assert refused.json()[0]["errorCode"] == "INVALID_SESSION_ID"


def test_dump_is_the_state_of_both_systems(sandbox, admin) -> None:
    dump = requests.get(f"{admin}/dump", timeout=10).json()
    assert dump == json.loads(json.dumps(sandbox.dump(), default=str))
    assert set(dump) == {"hubspot", "salesforce"}


def test_drift_applies_the_next_step_each_time(sandbox, admin) -> None:
    contacts_before = len(sandbox.dump()["hubspot"]["contacts"])
    first = requests.post(f"{admin}/drift", timeout=10).json()
    second = requests.post(f"{admin}/drift", json={}, timeout=10).json()
    assert (first["step"], second["step"]) == (0, 1)
    assert len(first["new_contacts"]) == 2
    assert len(sandbox.dump()["hubspot"]["contacts"]) > contacts_before


def test_unknown_paths_and_methods_are_json_errors(admin) -> None:
    assert requests.get(f"{admin}/nope", timeout=5).status_code == 404
    refused = requests.delete(f"{admin}/stats", timeout=5)
    assert refused.status_code == 405 and "error" in refused.json()
