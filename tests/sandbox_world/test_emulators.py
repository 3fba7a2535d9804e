"""The seeds load into both emulators, and drift changes them as its summary says."""

from __future__ import annotations

from datetime import timedelta

import pytest

from syncd_sandbox.hubspot.state import HubSpotState
from syncd_sandbox.salesforce.state import SalesforceState
from syncd_sandbox.world import drift

from .activity_index import ts
from .conftest import NOW

CYCLE = timedelta(minutes=15)


def _run(world, steps: int):
    clock = [NOW]
    hs = HubSpotState.from_seed(world.hubspot, clock=lambda: clock[0])
    sf = SalesforceState.from_seed(world.salesforce, clock=lambda: clock[0])
    summaries = []
    for step in range(steps):
        clock[0] = NOW + CYCLE * (step + 1)
        summaries.append(drift(hs, sf, seed=world.seed, step=step, now=clock[0]))
    return hs, sf, summaries


def test_seeds_load_whole(world):
    hs = HubSpotState.from_seed(world.hubspot, clock=lambda: NOW)
    sf = SalesforceState.from_seed(world.salesforce, clock=lambda: NOW)
    dumped = hs.dump()
    assert len(dumped["contacts"]) == len(world.hubspot["contacts"])
    assert len(dumped["email_events"]) == len(world.hubspot["email_events"])
    assert len(sf.records("Lead")) == len(world.salesforce["leads"])
    assert len(sf.records("Contact")) == len(world.salesforce["contacts"])
    lead = world.salesforce["leads"][0]
    assert sf.get("Lead", lead["Id"])["Status"] == lead["Status"]


def test_two_drift_steps_do_what_their_summaries_say(world):
    hs, sf, (first, second) = _run(world, 2)
    for summary in (first, second):
        for cid in summary["new_contacts"]:
            assert hs.contact(cid)["properties"]["email"]
        for move in summary["lead_status_changes"]:
            assert move["from"] != move["to"]
        assert len(summary["engaged"]) == 4
        assert summary["demo_request"]["form_id"] == world.truth["forms"]["Demo request"]
    assert [m["to"] for m in second["lead_status_changes"]] == ["Working - Contacted", "Nurture"]
    for move in second["lead_status_changes"]:
        assert sf.get("Lead", move["lead_id"])["Status"] == move["to"]
    submitted = [s for s in hs.dump()["form_submissions"]
                 if {"name": "email", "value": second["demo_request"]["email"]} in s["values"]]
    assert any(s["formGuid"] == second["demo_request"]["form_id"] for s in submitted)
    late = second["late_event"]
    assert ts(late["occurred_at"]) < ts(first["now"])
    assert any(e["id"] == late["event_id"] and e["objectId"] == late["contact_id"]
               for e in hs.dump()["events"])


def test_drift_is_deterministic_per_seed_and_step(world):
    hs_a, sf_a, a = _run(world, 2)
    hs_b, sf_b, b = _run(world, 2)
    assert a == b
    assert hs_a.dump() == hs_b.dump() and sf_a.dump() == sf_b.dump()
    assert a[0]["engaged"] != a[1]["engaged"]


def test_every_third_step_merges_two_contacts_of_one_person(world):
    hs, _, summaries = _run(world, 3)
    merged = summaries[2]["merged"]
    assert merged is not None
    assert hs.contact(merged["secondary"])["id"] == merged["primary"]
    person = world.truth["hubspot_person"]
    assert person[merged["primary"]] == person[merged["secondary"]]


def test_drift_refuses_a_naive_now(world):
    hs = HubSpotState.from_seed(world.hubspot, clock=lambda: NOW)
    sf = SalesforceState.from_seed(world.salesforce, clock=lambda: NOW)
    with pytest.raises(ValueError, match="timezone-aware"):
        drift(hs, sf, seed=0, step=0, now=NOW.replace(tzinfo=None))


def test_every_seeded_contact_value_fits_the_portals_property_definitions(world):
    defs = HubSpotState.from_seed(world.hubspot, clock=lambda: NOW).contact_defs
    assert world.hubspot["contacts"]
    enumerated = [(c["id"], n) for c in world.hubspot["contacts"] for n, v in c["properties"].items()
                  if v is not None and defs.get(n, {}).get("type") == "enumeration"]
    assert enumerated, "some seeded values are enumeration options: the check below runs"
    for c in world.hubspot["contacts"]:
        for name, value in c["properties"].items():
            assert name in defs, name
            if value is not None and defs[name]["type"] == "enumeration":
                assert value in {o["value"] for o in defs[name]["options"]}, (c["id"], name, value)
