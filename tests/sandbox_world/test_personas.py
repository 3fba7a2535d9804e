"""Personas come in the documented shares and behave as documented."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from syncd_sandbox.world import PERSONAS
from syncd_sandbox.world.activity import PLANS
from syncd_sandbox.world.personas import assign_personas, persona

from .activity_index import activity_by_contact, ts
from .conftest import NOW

DAY = 86_400
HIGH_WATER = {"churned_customer": {"customer"},
              "customer": {"customer"},
              "recycled": {"salesqualifiedlead", "opportunity", "marketingqualifiedlead"}}


def test_shares_sum_to_one_and_every_persona_has_a_plan():
    assert sum(p.share for p in PERSONAS) == pytest.approx(1.0)
    assert [p.name for p in PERSONAS] == list(PLANS)


@pytest.mark.parametrize("count", [1, 7, 200, 50_000])
def test_assignment_hits_each_share_within_one_contact(count):
    counts = Counter(assign_personas(random.Random(count), count))
    assert sum(counts.values()) == count
    for p in PERSONAS:
        assert abs(counts[p.name] - p.share * count) < 1, p.name


def test_world_contacts_follow_the_shares(world):
    duplicates = {pair[1] for pair in world.truth["hubspot_duplicates"]}
    counts = Counter(v for k, v in world.truth["personas"].items() if k not in duplicates)
    assert PERSONAS and sum(counts.values()) >= 190
    for p in PERSONAS:
        assert abs(counts[p.name] / 200 - p.share) <= 0.005, p.name


def test_unknown_persona_names_the_known_ones():
    with pytest.raises(KeyError, match="passive_subscriber"):
        persona("vip")


def _by_persona(world, name):
    duplicates = {pair[1] for pair in world.truth["hubspot_duplicates"]}
    return [c for c in world.hubspot["contacts"]
            if world.truth["personas"][c["id"]] == name and c["id"] not in duplicates]


def test_active_evaluators_raised_a_hand_in_the_last_three_weeks(world):
    hand_raise = set(world.truth["hand_raise_forms"])
    activity = activity_by_contact(world.hubspot)
    evaluators = [c for c in _by_persona(world, "active_evaluator") if c["properties"]["email"]]
    assert evaluators
    for c in evaluators:
        forms = [t for t, kind in activity[c["id"]] if kind in hand_raise]
        assert forms and NOW.timestamp() - max(forms) <= 21 * DAY, c["id"]


@pytest.mark.parametrize("name, quiet_days", [("recycled", 145), ("churned_customer", 115)])
def test_returned_and_churned_people_went_quiet_months_ago(world, name, quiet_days):
    activity = activity_by_contact(world.hubspot)
    people = _by_persona(world, name)
    assert people
    for c in people:
        latest = max((t for t, _ in activity[c["id"]]), default=0)
        assert NOW.timestamp() - latest >= quiet_days * DAY, c["id"]


@pytest.mark.parametrize("name", sorted(HIGH_WATER))
def test_lifecycle_stage_is_hubspots_high_water_mark(world, name):
    stages = {c["properties"]["lifecyclestage"] for c in _by_persona(world, name)}
    assert stages and stages <= HIGH_WATER[name]


def test_bounced_contacts_bounce_once_and_are_never_mailed_again(world):
    events = world.hubspot["email_events"]
    bounced = _by_persona(world, "bounced")
    mailed = [c for c in bounced if any(e["recipient"] == c["properties"]["email"] for e in events)]
    assert bounced and len(mailed) >= len(bounced) // 2, "too few bounced contacts to check"
    for c in bounced:
        mine = [e for e in events if e["recipient"] == c["properties"]["email"]]
        if mine:
            assert [e["type"] for e in mine] == ["SENT", "BOUNCE"], c["id"]
            assert mine[1]["category"] == "UNKNOWN_USER"


def test_unsubscribed_contacts_opt_out_and_get_nothing_after(world):
    events = world.hubspot["email_events"]
    unsubscribed = _by_persona(world, "unsubscribed")
    mailed = [c for c in unsubscribed
              if any(e["recipient"] == c["properties"]["email"] for e in events)]
    assert unsubscribed and len(mailed) >= len(unsubscribed) // 2, "too few to check"
    assert all(c["properties"]["hs_email_optout"] == "true" for c in unsubscribed)
    for c in unsubscribed:
        mine = [e for e in events if e["recipient"] == c["properties"]["email"]]
        if mine:
            assert mine[-1]["type"] == "STATUSCHANGE", c["id"]
            assert mine[-1]["subscriptions"] == [{"id": 4_000_001, "status": "UNSUBSCRIBED"}]


def test_sales_working_leads_have_calls_and_meetings_and_working_status(world):
    activity = activity_by_contact(world.hubspot)
    statuses = {lead["Id"]: lead["Status"] for lead in world.salesforce["leads"]}
    duplicates = {i for group in world.truth["salesforce_duplicates"] for i in group[1:]}
    working = _by_persona(world, "sales_working")
    assert working, "the world has sales-working contacts"
    checked = 0
    for c in working:
        kinds = {k for _, k in activity[c["id"]]}
        assert {"calls", "meetings"} <= kinds, c["id"]
        person = world.truth["people"][world.truth["hubspot_person"][c["id"]]]
        for sf_id in person["salesforce_ids"]:
            if sf_id in statuses and sf_id not in duplicates:
                assert statuses[sf_id] == "Working - Contacted"
                checked += 1
    assert checked >= len(working) // 2, "too few of their Leads were checked"


def test_every_signal_lies_before_now_and_within_the_window(world):
    activity = activity_by_contact(world.hubspot)
    oldest = NOW.timestamp() - 275 * DAY
    for cid, signals in activity.items():
        for t, kind in signals:
            assert oldest <= t <= NOW.timestamp(), (cid, kind)
    assert {e["eventType"] for e in world.hubspot["events"]} >= {
        "e_visited_page", "pe4000123_product_trial_started", "pe4000123_feature_activated"}
    assert ts(max(e["occurredAt"] for e in world.hubspot["events"])) <= NOW.timestamp()
