"""The walking skeleton end to end: HubSpot sandbox → syncd → Salesforce sandbox."""

from __future__ import annotations

from syncd.app import open_app
from syncd.runner import run_once
from tests.e2e.conftest import write_calls


def _synced(org: dict) -> list[dict]:
    return [r for key in ("Lead", "Contact") for r in org["objects"].get(key, [])
            if r.get("HubSpot_Id__c")]


def _hubspot_ids(sandbox) -> list[str]:
    return [c["id"] for c in sandbox.dump()["hubspot"]["contacts"]]


def test_first_cycle_writes_stages_and_an_idle_cycle_writes_nothing(sandbox, config_path):
    app = open_app(config_path)
    try:
        first = run_once(app)
        assert first.pulled > 0 and first.created > 0 and first.matched > 0
        assert first.created + first.updated + first.unchanged + first.rejected + first.review \
            + first.skipped + first.retrying == first.pulled
        synced = {r["Id"]: r for r in _synced(sandbox.dump()["salesforce"])}
        assert len(synced) >= first.created + first.updated
        assert all(r.get("Lifecycle_Stage__c") for r in synced.values())
        links = app.store.id_map(_hubspot_ids(sandbox))
        assert len(links) == first.created + first.updated
        for hubspot_id, (_, sf_id) in links.items():  # every written record carries its stage
            assert synced[sf_id]["HubSpot_Id__c"] == hubspot_id
            assert synced[sf_id]["Lifecycle_Stage__c"] in {"Subscriber", "Lead", "MQL", "SQL",
                                                           "Opportunity", "Customer", "Recycled",
                                                           "Disqualified"}

        before = write_calls(sandbox.stats())
        second = run_once(app)
        assert write_calls(sandbox.stats()) == before  # no Salesforce write call at all
        assert second.pulled == 0 and second.created == second.updated == 0
        assert second.api_calls["hubspot"] <= 2
        assert app.store.count_pending() == 0
    finally:
        app.close()


def test_a_change_in_hubspot_flows_to_salesforce_next_cycle(sandbox, config_path):
    app = open_app(config_path)
    try:
        run_once(app)
        sandbox.drift(0)
        third = run_once(app)
        assert third.pulled > 0
        assert third.created + third.updated + third.unchanged >= 1
    finally:
        app.close()
