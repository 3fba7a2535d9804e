"""The world's people who own records: HubSpot owners are Salesforce users by email (so an
owner can be mapped), the org has lead queues to fall back on, and its Lead Status values
include a "not contacted" one and a recycle one."""

from __future__ import annotations

from syncd_sandbox.salesforce import SalesforceState


def test_every_hubspot_owner_is_an_active_salesforce_user_with_the_same_email(world):
    owners = {o["email"].lower() for o in world.hubspot["owners"]}
    active = {u["Email"].lower() for u in world.salesforce["users"] if u["IsActive"]}
    assert owners, "the portal has no owners"
    assert owners <= active


def test_the_org_has_lead_queues_a_lead_may_belong_to(world):
    state = SalesforceState.from_seed(world.salesforce)
    queues = [g for g in state.records("Group") if g["Type"] == "Queue"]
    assert [q["DeveloperName"] for q in queues] == ["Inbound_Leads", "Partner_Leads"]
    lead = next(r for r in state.records("Lead") if not r["IsConverted"])
    state.update("Lead", lead["Id"], {"OwnerId": queues[0]["Id"]})
    assert state.get("Lead", lead["Id"])["OwnerId"] == queues[0]["Id"]


def test_lead_statuses_cover_the_sales_loop(world):
    names = [s["ApiName"] for s in world.salesforce["lead_statuses"]]
    assert names[0] == "Open - Not Contacted"
    assert {"Working - Contacted", "Nurture", "Closed - Not Converted",
            "Closed - Converted"} <= set(names)
    assert [s["ApiName"] for s in world.salesforce["lead_statuses"] if s["IsConverted"]] == [
        "Closed - Converted"]
