"""The sales loop on the in-memory ports: an owner and exactly one follow-up task per
crossing, the SLA, sales' verdict back to HubSpot (a backward stage as clear-then-set), and
no echo."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from syncd.routing import parse_routing
from syncd.sync.cycle import CycleDeps, plan_cycle, run_cycle
from syncd.sync.render import render_effects
from syncd.testing import MemoryCrm, MemoryHubSpot, MemoryStateStore
from tests.pipeline.conftest import NOW, person

REPS = ("ann@acme.example", "bob@acme.example")
ROUTING = {"trigger": {"intent_active": True, "stages": ["mql", "sql"]},
           "owner": {"keep_existing": True, "hubspot_owner": False, "fallback": f"user:{REPS[0]}"},
           "round_robin": {"users": list(REPS)},
           "sla": {"hours": 4, "timezone": "UTC", "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                   "start": "00:00", "end": "24:00", "escalation": "none"}}


@pytest.fixture
def loop(rules):
    hubspot, crm, store = MemoryHubSpot(), MemoryCrm(), MemoryStateStore()
    hubspot.clock = lambda: deps.clock.now()
    users = {email: crm.add("User", Email=email, IsActive=True, LastName=email) for email in REPS}
    from syncd.clock import FixedClock

    routed = replace(rules, routing=parse_routing(ROUTING, stage_keys=rules.model.ranks))
    deps = CycleDeps.standard(hubspot=hubspot, crm=crm, store=store, clock=FixedClock(NOW), rules=routed)
    return hubspot, crm, store, deps, users


def active(cid: str, email: str, **props):
    return person(cid, email, contact_me="yes", **props)


def tasks(crm) -> list[dict]:
    return list(crm.objects.get("Task", {}).values())


def quiet_cycles(deps, n: int = 3) -> list:
    out = []
    for i in range(n):
        deps.clock.advance(timedelta(minutes=10))
        out.append(run_cycle(deps, run_id=f"quiet{i}"))
    return out


def cut_before_commit(deps, store, *, run_id: str) -> None:
    """A cycle that dies after its Salesforce writes, before its local commit."""
    real_commit = store.commit_chunk

    def crash(result, *, now):
        raise RuntimeError("killed before the local commit")

    store.commit_chunk = crash
    try:
        with pytest.raises(RuntimeError):
            run_cycle(deps, run_id=run_id)
    finally:
        store.commit_chunk = real_commit


def test_an_active_lead_gets_an_owner_and_one_task_due_per_the_sla(loop):
    hubspot, crm, store, deps, users = loop
    hubspot.put_contact(active("1", "one@example.com"))
    hubspot.put_contact(person("2", "two@example.com"))  # passive: no task
    summary = run_cycle(deps, run_id="r1")
    (task,) = tasks(crm)
    lead_id = store.id_map(["1"])["1"][1]
    lead = crm.get("Lead", lead_id)
    assert lead["OwnerId"] in users.values() and task["OwnerId"] == lead["OwnerId"] and task["WhoId"] == lead_id
    assert task["ActivityDate"] == (NOW + timedelta(hours=4)).date().isoformat()
    assert task["Syncd_Key__c"] == "syncd:1:1" and task["Description"].strip()
    (follow_up,) = store.open_follow_ups()
    assert follow_up["due_at"] == NOW + timedelta(hours=4) and follow_up["rule"] == "round_robin"
    assert summary.to_dict()["tasks_created"] == 1
    assert hubspot.contacts["1"].properties["syncd_buying_intent"] == "active"
    assert all(q.created + q.updated == 0 and not q.to_dict().get("hubspot_updated") for q in quiet_cycles(deps))
    assert len(tasks(crm)) == 1


def test_a_crash_between_the_task_and_the_commit_leaves_one_task(loop):
    hubspot, crm, store, deps, _ = loop
    hubspot.put_contact(active("5", "five@example.com"))
    cut_before_commit(deps, store, run_id="r1")
    deps.clock.advance(timedelta(minutes=1))
    run_cycle(deps, run_id="r2")
    assert [t["Syncd_Key__c"] for t in tasks(crm)] == ["syncd:5:1"]
    assert len(crm.objects["Lead"]) == 1 and len(store.open_follow_ups()) == 1


def test_a_task_written_before_a_crash_is_not_sent_again_so_what_the_rep_did_stands(loop):
    """The task reached Salesforce, then the run stopped before its local commit (a crash, a
    lost lease). The next run finds the task there and does not send it again: the rep who
    completed it in between keeps it completed, and the follow-up is kept as the first run
    made it (its due time counted from that run)."""
    hubspot, crm, store, deps, _ = loop
    hubspot.put_contact(active("5", "five@example.com"))
    cut_before_commit(deps, store, run_id="r1")
    (task,) = tasks(crm)
    task["Status"] = "Completed"  # the rep, before syncd runs again
    deps.clock.advance(timedelta(minutes=1))
    (shown,) = render_effects(e for pp in plan_cycle(deps, run_id="plan") for e in pp.effects)["tasks"]
    assert shown["key"] == "syncd:5:1" and "kept as it is" in shown["note"]  # what `syncd plan` says
    again = run_cycle(deps, run_id="r2").to_dict()
    assert [(t["Syncd_Key__c"], t["Status"]) for t in tasks(crm)] == [("syncd:5:1", "Completed")]
    assert again.get("tasks_created", 0) + again.get("tasks_updated", 0) == 0
    (follow_up,) = store.follow_up_stats()
    assert follow_up["task_id"] == task["Id"] and follow_up["due_at"] == NOW + timedelta(hours=4)


def test_round_robin_takes_turns_across_cycles(loop):
    hubspot, crm, store, deps, users = loop
    for i in range(4):
        hubspot.put_contact(active(str(10 + i), f"p{i}@example.com"))
        deps.clock.advance(timedelta(minutes=10))
        run_cycle(deps, run_id=f"r{i}")
    owners = [t["OwnerId"] for t in sorted(tasks(crm), key=lambda t: t["Syncd_Key__c"])]
    assert sorted(owners) == sorted([users[REPS[0]], users[REPS[1]]] * 2)


def test_an_untouched_lead_past_its_due_time_is_a_breach(loop):
    hubspot, crm, store, deps, _ = loop
    hubspot.put_contact(active("7", "seven@example.com"))
    run_cycle(deps, run_id="r1")
    deps.clock.advance(timedelta(hours=5))
    late = run_cycle(deps, run_id="r2")
    assert late.to_dict()["sla_breached"] == 1
    assert [f["status"] for f in store.follow_up_stats()] == ["breached"]


def test_a_task_completed_in_time_is_no_breach(loop):
    hubspot, crm, store, deps, _ = loop
    hubspot.put_contact(active("8", "eight@example.com"))
    run_cycle(deps, run_id="r1")
    (task,) = tasks(crm)
    deps.clock.advance(timedelta(hours=1))
    crm.change("Task", task["Id"], Status="Completed")
    deps.clock.advance(timedelta(hours=5))
    summary = run_cycle(deps, run_id="r2")
    assert summary.to_dict().get("sla_breached", 0) == 0
    assert [f["status"] for f in store.follow_up_stats()] == ["touched"]


def test_sales_recycling_a_lead_moves_hubspot_back_by_clear_then_set(loop):
    hubspot, crm, store, deps, _ = loop
    hubspot.put_contact(active("3", "three@example.com", lifecyclestage="salesqualifiedlead"))
    run_cycle(deps, run_id="r1")
    stage_before = hubspot.contacts["3"].properties["lifecyclestage"]
    lead_id = store.id_map(["3"])["3"][1]
    crm.change("Lead", lead_id, Status="Nurture")
    deps.clock.advance(timedelta(minutes=10))
    hubspot.requests.clear()
    run_cycle(deps, run_id="r2")
    props = hubspot.contacts["3"].properties
    assert props["hs_lead_status"] == "BAD_TIMING" and props["syncd_sales_verdict"] == "recycled"
    assert props["lifecyclestage"] == "lead" and stage_before != "lead"
    updates = [[r for r in rows if r["id"] == "3"] for kind, rows in hubspot.requests if kind == "update"]
    stage_steps = [rows[0]["properties"]["lifecyclestage"] for rows in updates if rows
                   and "lifecyclestage" in rows[0]["properties"]]
    assert stage_steps == ["", "lead"]  # two separate requests
    assert all(q.to_dict().get("hubspot_updated", 0) == 0 for q in quiet_cycles(deps))


def test_a_two_way_field_changed_in_salesforce_reaches_hubspot_and_does_not_bounce(loop):
    hubspot, crm, store, deps, _ = loop
    hubspot.put_contact(person("4", "four@example.com", jobtitle="Engineer"))
    run_cycle(deps, run_id="r1")
    lead_id = store.id_map(["4"])["4"][1]
    assert crm.get("Lead", lead_id)["Title"] == "Engineer"
    deps.clock.advance(timedelta(minutes=10))
    crm.change("Lead", lead_id, Title="VP Engineering", LastModifiedDate="2026-11-02T09:10:00.000+0000")
    run_cycle(deps, run_id="r2")
    assert hubspot.contacts["4"].properties["jobtitle"] == "VP Engineering"
    writes = crm.calls["upsert"] + crm.calls["update"]
    quiet = quiet_cycles(deps)
    assert crm.calls["upsert"] + crm.calls["update"] == writes and crm.get("Lead", lead_id)["Title"] == "VP Engineering"
    assert all(q.to_dict().get("hubspot_updated", 0) == 0 for q in quiet)


def test_a_new_lead_carries_hubspots_verdict_and_nothing_flips_on_the_next_read(loop):
    """HubSpot says 'bad timing' for a contact not in Salesforce yet: the new Lead starts as
    Nurture, HubSpot is not told 'open' in between, and the profile reads the same once the
    Lead comes back through the feed (no rewrite of either system)."""
    hubspot, crm, store, deps, _ = loop
    hubspot.put_contact(active("7", "seven@example.com", hs_lead_status="BAD_TIMING"))
    run_cycle(deps, run_id="r1")
    lead = crm.get("Lead", store.id_map(["7"])["7"][1])
    assert lead["Status"] == "Nurture"
    sent = [row["properties"] for kind, rows in hubspot.requests if kind == "update" for row in rows
            if row["id"] == "7"]
    assert all(p.get("hs_lead_status") in (None, "BAD_TIMING") for p in sent), sent
    assert all(p.get("syncd_sales_verdict") in (None, "recycled") for p in sent), sent
    writes = crm.calls["upsert"] + crm.calls["update"]
    hubspot.requests.clear()
    quiet = quiet_cycles(deps)
    assert crm.calls["upsert"] + crm.calls["update"] == writes
    assert hubspot.requests == [] and all(q.created + q.updated == 0 for q in quiet)


def test_the_owner_routing_gives_a_new_lead_reaches_hubspot_in_the_same_cycle(loop):
    hubspot, crm, store, deps, users = loop
    hubspot.owner_list = [{"id": "77", "email": REPS[0]}, {"id": "78", "email": REPS[1]}]
    hubspot.put_contact(active("8", "eight@example.com"))
    run_cycle(deps, run_id="r1")
    lead = crm.get("Lead", store.id_map(["8"])["8"][1])
    expected = {users[REPS[0]]: "77", users[REPS[1]]: "78"}[lead["OwnerId"]]
    assert hubspot.contacts["8"].properties.get("hubspot_owner_id") == expected
    hubspot.requests.clear()
    quiet_cycles(deps)
    assert hubspot.requests == []
