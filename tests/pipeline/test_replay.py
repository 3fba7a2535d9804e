"""A chunk cut off between its Salesforce writes and its local commit, then run again, ends
where the same chunk run once ends: the same stage history, owners, follow-ups and
round-robin turns. Salesforce then already holds what syncd wrote; that is syncd's own
doing, not news that could change who a person is or who owns them."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta

import pytest

from syncd.clock import FixedClock
from syncd.routing import parse_routing
from syncd.sync.cycle import CycleDeps, run_cycle
from syncd.testing import MemoryCrm, MemoryHubSpot, MemoryStateStore
from tests.pipeline.conftest import NOW, person

REPS = ("ann@acme.example", "bob@acme.example", "cy@acme.example")
ROUTING = {"trigger": {"intent_active": True, "stages": ["mql", "sql"]},
           "owner": {"keep_existing": True, "hubspot_owner": True, "fallback": f"user:{REPS[0]}"},
           "round_robin": {"users": list(REPS)},
           "sla": {"hours": 4, "timezone": "UTC", "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                   "start": "00:00", "end": "24:00", "escalation": "none"}}


class Killed(Exception):
    """The process died: nothing after this point happened."""


@contextmanager
def killed_at_commit(store):
    """Within: every chunk dies after its writes, before its local commit."""
    real = store.commit_chunk

    def die(result, *, now):
        raise Killed("before the local commit")

    store.commit_chunk = die
    try:
        yield
    finally:
        store.commit_chunk = real


def _world(rules):
    hubspot = MemoryHubSpot(owners=[{"id": f"9{i}", "email": email} for i, email in enumerate(REPS)])
    crm, store = MemoryCrm(), MemoryStateStore()
    deps = CycleDeps.standard(hubspot=hubspot, crm=crm, store=store, clock=FixedClock(NOW),
                              rules=replace(rules, routing=parse_routing(ROUTING, stage_keys=rules.model.ranks)))
    hubspot.clock = lambda: deps.clock.now()
    for email in REPS:
        crm.add("User", Email=email, IsActive=True, LastName=email)
    return hubspot, crm, store, deps


def _people(hubspot, crm):
    """An existing Lead nobody owns yet, two new people ready for sales, one not."""
    lead = crm.add("Lead", Email="old@example.com", LastName="Old", Company="Acme", Status="Open - Not Contacted")
    hubspot.put_contact(person("1", "old@example.com", contact_me="yes", lifecyclestage="lead"))
    hubspot.put_contact(person("2", "two@example.com", contact_me="yes", lifecyclestage="lead"))
    hubspot.put_contact(person("3", "three@example.com", contact_me="yes"))
    hubspot.put_contact(person("4", "four@example.com", lifecyclestage="lead"))
    return lead


def _end(store, crm) -> dict:
    """What must not depend on where a run was cut off (times and run ids aside)."""
    return {
        "history": sorted((r["hubspot_id"], r["from_stage"], r["to_stage"], r["rule"]) for r in store.history),
        "stages": {h: lc["stage"] for h, lc in store.lifecycle.items()},
        "follow_ups": sorted((f["hubspot_id"], f["seq"], f["owner_id"], f["rule"], f["reason"], f["crossing"])
                             for f in store.follow_up_stats()),
        "positions": dict(store.positions),
        "owners": sorted((r.get("HubSpot_Id__c") or r["Email"], r.get("OwnerId")) for r in crm.objects["Lead"].values()),
        "tasks": sorted((t["Syncd_Key__c"], t["OwnerId"]) for t in crm.objects.get("Task", {}).values()),
        "pending": store.count_pending(),
    }


def _settle(deps, n: int = 2) -> None:
    for i in range(n):
        deps.clock.advance(timedelta(minutes=1))
        run_cycle(deps, run_id=f"after{i}")


def _uninterrupted(rules) -> dict:
    hubspot, crm, store, deps = _world(rules)
    _people(hubspot, crm)
    run_cycle(deps, run_id="r1")
    _settle(deps)
    return _end(store, crm)


def _cut_off_before_commit(rules, cuts: int) -> dict:
    """``cuts`` runs cut off after their Salesforce writes, before their commit, then runs
    that go through. Between two cut-offs a HubSpot change gives the next run a record
    write of its own (a field that plays no part in qualifying or routing)."""
    hubspot, crm, store, deps = _world(rules)
    _people(hubspot, crm)
    with killed_at_commit(store):
        for n in range(cuts):
            if n:
                old = hubspot.contacts["1"]
                hubspot.put_contact(replace(old, properties={**old.properties, "phone": f"+1415555010{n}"}))
            with pytest.raises(Killed):
                run_cycle(deps, run_id=f"cut{n}")
            deps.clock.advance(timedelta(minutes=1))
    assert crm.objects["Task"], "the cut-off run wrote its follow-ups before dying"
    run_cycle(deps, run_id="r2")
    _settle(deps)
    return _end(store, crm)


@pytest.mark.parametrize("cuts", [1, 2], ids=["once", "twice"])
def test_a_chunk_run_again_after_its_writes_ends_as_if_run_once(rules, cuts):
    want = _uninterrupted(rules)
    assert want["positions"] and want["follow_ups"] and want["pending"] == 0
    assert _cut_off_before_commit(rules, cuts) == want


def test_a_change_sales_made_after_the_cut_off_write_is_news(rules):
    """Only syncd's own values read as before: an owner sales chose since counts."""
    hubspot, crm, store, deps = _world(rules)
    _people(hubspot, crm)
    with killed_at_commit(store), pytest.raises(Killed):
        run_cycle(deps, run_id="cut")
    lead_id = next(i for i, r in crm.objects["Lead"].items() if r.get("HubSpot_Id__c") == "2")
    theirs = next(u for u in crm.objects["User"] if u != crm.objects["Lead"][lead_id]["OwnerId"])
    crm.change("Lead", lead_id, OwnerId=theirs)
    deps.clock.advance(timedelta(minutes=1))
    run_cycle(deps, run_id="r2")
    (follow_up,) = [f for f in store.follow_up_stats() if f["hubspot_id"] == "2"]
    assert (follow_up["owner_id"], follow_up["rule"]) == (theirs, "keep_existing")
    assert crm.objects["Lead"][lead_id]["OwnerId"] == theirs


def test_writes_in_flight_outlive_a_run_that_failed_before_sending_them(rules):
    """A run that fails before it sends anything commits what it achieved (nothing); the
    writes in flight of the run cut off before it still read as syncd's own."""
    want = _uninterrupted(rules)
    hubspot, crm, store, deps = _world(rules)
    _people(hubspot, crm)
    real_tasks, real_lookup = crm.upsert_tasks, crm.tasks_by_key

    def unreachable(*args, **kwargs):
        raise ConnectionError("Salesforce unreachable")

    with killed_at_commit(store), pytest.raises(Killed):
        run_cycle(deps, run_id="cut")
    crm.upsert_tasks = crm.tasks_by_key = unreachable  # the write stage's first call fails
    deps.clock.advance(timedelta(minutes=1))
    with pytest.raises(ConnectionError):
        run_cycle(deps, run_id="failed")
    crm.upsert_tasks, crm.tasks_by_key = real_tasks, real_lookup
    deps.clock.advance(timedelta(minutes=1))
    run_cycle(deps, run_id="r2")
    _settle(deps)
    got = _end(store, crm)
    assert got == want
