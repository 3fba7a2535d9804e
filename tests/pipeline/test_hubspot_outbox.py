"""HubSpot write-back through the outbox: the chunks queue, the cycle sends full batches of
100 once its chunks are done (clears first, their batch filled up with sets), and what
HubSpot could not take now waits for the next cycle."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta

import pytest

from syncd.clock import FixedClock
from syncd.effects import HubSpotQueued
from syncd.models import WriteResult
from syncd.sync.cycle import CycleDeps, run_cycle
from syncd.testing import MemoryCrm, MemoryHubSpot, MemoryStateStore
from tests.pipeline.conftest import NOW, person


@pytest.fixture
def world(rules):
    hubspot, crm, store = MemoryHubSpot(), MemoryCrm(), MemoryStateStore()
    deps = CycleDeps.standard(hubspot=hubspot, crm=crm, store=store, clock=FixedClock(NOW),
                              rules=replace(rules, chunk_size=40))
    hubspot.clock = lambda: deps.clock.now()
    return hubspot, store, deps


def _updates(hubspot) -> list[list[dict]]:
    return [rows for kind, rows in hubspot.requests if kind == "update"]


def test_writes_of_many_chunks_go_out_in_full_batches_of_100(world):
    hubspot, store, deps = world
    for i in range(250):
        hubspot.put_contact(person(str(1000 + i), f"p{i}@example.com"))
    summary = run_cycle(deps, run_id="r1")
    assert [len(rows) for rows in _updates(hubspot)] == [100, 100, 50]  # 7 chunks of 40, 3 requests
    assert summary.to_dict()["hubspot_updated"] == 250 and store.hubspot_outbox() == []


def test_clears_go_first_and_their_batch_is_filled_with_sets_of_other_contacts(world):
    hubspot, store, deps = world
    for i in range(120):  # sales returned 30 of them to nurture: HubSpot's stage moves back
        stage = {"lifecyclestage": "salesqualifiedlead"} if i < 30 else {}
        hubspot.put_contact(person(str(1000 + i), f"p{i}@example.com", **stage))
        if i < 30:
            deps.crm.add("Lead", Email=f"p{i}@example.com", LastName=f"L{i}", Company="Acme", Status="Nurture")
    run_cycle(deps, run_id="r1")
    updates = _updates(hubspot)
    assert [len(rows) for rows in updates] == [100, 50]  # 30 clears + 120 sets in 2 requests, not 3
    first = {r["id"]: r["properties"] for r in updates[0]}
    cleared = [hid for hid, props in first.items() if props == {"lifecyclestage": ""}]
    assert len(cleared) == 30
    assert all(r["properties"].get("lifecyclestage") != "" for r in updates[1])
    assert {r["id"] for r in updates[1]} >= set(cleared)  # each contact's set comes in a later request
    assert all(hubspot.contacts[h].properties["lifecyclestage"] != "customer" for h in cleared)


def test_what_hubspot_could_not_take_now_is_sent_by_the_next_cycle(world):
    hubspot, store, deps = world
    for i in range(3):
        hubspot.put_contact(person(str(1000 + i), f"p{i}@example.com"))
    real = hubspot.update_contacts
    hubspot.update_contacts = lambda rows: [WriteResult(key=str(r["id"]), ok=False, error_code="LOCKED",
                                                        retriable=True) for r in rows]
    run_cycle(deps, run_id="r1")
    assert len(store.hubspot_outbox()) == 3 and store.count_pending() == 0  # settled; the write waits
    hubspot.update_contacts = real
    deps.clock.advance(timedelta(minutes=10))
    summary = run_cycle(deps, run_id="r2")
    assert summary.to_dict()["hubspot_updated"] == 3 and store.hubspot_outbox() == []
    assert all(hubspot.contacts[str(1000 + i)].properties.get("syncd_lead_score") not in (None, "")
               for i in range(3))


def test_a_failing_chunk_does_not_hold_back_what_earlier_chunks_queued(world):
    hubspot, store, deps = world
    for i in range(80):
        hubspot.put_contact(person(str(1000 + i), f"p{i}@example.com"))
    crm = deps.crm
    real, calls = crm.upsert, []

    def upsert(*args, **kwargs):
        calls.append(1)
        if len(calls) > 1:
            raise ConnectionError("Salesforce went away")
        return real(*args, **kwargs)

    crm.upsert = upsert
    with pytest.raises(ConnectionError):
        run_cycle(deps, run_id="r1")
    assert sum(len(rows) for rows in _updates(hubspot)) == 40  # the first chunk's writes went out
    assert store.hubspot_outbox() == []


def _recorded(hubspot, store, *, hold_chunk: int | None = None):
    """The order of chunk commits (those queuing HubSpot writes) and HubSpot update calls;
    ``hold_chunk``: that commit waits (up to 10 s) until an update call has been made."""
    log, called = [], threading.Event()
    real_update, real_commit = hubspot.update_contacts, store.commit_chunk

    def update(rows):
        log.append(("update", len(rows)))
        called.set()
        return real_update(rows)

    def commit(result, **kw):
        if any(isinstance(f, HubSpotQueued) for f in result.facts):
            if len([e for e in log if e[0] == "chunk"]) + 1 == hold_chunk:
                called.wait(10)
            log.append(("chunk", 0))
        return real_commit(result, **kw)
    hubspot.update_contacts, store.commit_chunk = update, commit
    return log


def test_full_batches_go_out_while_later_chunks_are_worked_on(world):
    hubspot, store, deps = world
    for i in range(250):
        hubspot.put_contact(person(str(1000 + i), f"p{i}@example.com"))
    log = _recorded(hubspot, store, hold_chunk=7)
    summary = run_cycle(deps, run_id="r1")
    chunks = [n for n, e in enumerate(log) if e[0] == "chunk"]
    first_update = next(n for n, e in enumerate(log) if e[0] == "update")
    # 200 in line after the fifth chunk: the first 100 leave (a batch's worth stays in line)
    assert len(chunks) == 7 and first_update < chunks[-1]
    assert sorted(len(rows) for rows in _updates(hubspot)) == [50, 100, 100]
    assert summary.to_dict()["hubspot_updated"] == 250 and store.hubspot_outbox() == []


def test_without_the_pipeline_every_write_waits_for_the_end_of_the_chunks(world):
    hubspot, store, deps = world
    deps = replace(deps, read_ahead=0)
    for i in range(250):
        hubspot.put_contact(person(str(1000 + i), f"p{i}@example.com"))
    log = _recorded(hubspot, store)
    run_cycle(deps, run_id="r1")
    kinds = [e[0] for e in log]
    assert kinds == ["chunk"] * 7 + ["update"] * 3


def test_a_backward_move_streamed_clears_in_one_request_and_sets_in_a_later_one(world):
    hubspot, store, deps = world
    for i in range(240):  # 60 returned to nurture by sales
        stage = {"lifecyclestage": "salesqualifiedlead"} if i % 4 == 0 else {}
        hubspot.put_contact(person(str(1000 + i), f"p{i}@example.com", **stage))
        if i % 4 == 0:
            deps.crm.add("Lead", Email=f"p{i}@example.com", LastName=f"L{i}", Company="Acme", Status="Nurture")
    summary = run_cycle(deps, run_id="r1").to_dict()
    updates = _updates(hubspot)
    assert summary["hubspot_cleared"] == 60 and summary["hubspot_updated"] == 240
    assert len(updates) == 3  # 300 rows (60 clears + 240 sets) in 3 requests
    cleared_in = {r["id"]: n for n, rows in enumerate(updates) for r in rows if r["properties"] == {"lifecyclestage": ""}}
    set_in = {r["id"]: n for n, rows in enumerate(updates) for r in rows if r["properties"].get("lifecyclestage") != ""}
    assert len(cleared_in) == 60 and all(set_in[h] > n for h, n in cleared_in.items())
    assert all(hubspot.contacts[h].properties["lifecyclestage"] not in ("", "salesqualifiedlead") for h in cleared_in)


def test_a_streamed_batch_that_fails_is_sent_again_by_the_flush_at_the_end(world):
    hubspot, store, deps = world
    for i in range(250):
        hubspot.put_contact(person(str(1000 + i), f"p{i}@example.com"))
    real, failures = hubspot.update_contacts, []

    def once_down(rows):
        if not failures:
            failures.append(len(rows))
            raise ConnectionError("HubSpot did not answer")
        return real(rows)
    hubspot.update_contacts = once_down
    summary = run_cycle(deps, run_id="r1").to_dict()
    assert failures == [100]  # the streamed batch
    assert summary["hubspot_updated"] == 250 and store.hubspot_outbox() == []
    assert all(hubspot.contacts[str(1000 + i)].properties.get("syncd_lead_score") not in (None, "")
               for i in range(250))
