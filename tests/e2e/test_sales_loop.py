"""The sales loop end to end on the sandbox, through the real clients: one open follow-up
task per active lead for its owner, due per the SLA; breaches when time passes untouched
and none when sales completes the task; a recycled Lead reaching HubSpot as clear-then-set."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from syncd.app import open_app
from syncd.clock import FixedClock
from syncd.demo import DEFAULT_MAPPINGS, write_sandbox_config
from syncd.routing import due_at, load_routing
from syncd.runner import run_once
from syncd_sandbox.runtime import Sandbox

START = datetime(2026, 11, 24, 10, tzinfo=UTC)  # a Tuesday, inside business hours


@pytest.fixture
def world(tmp_path):
    clock = FixedClock(START)
    with Sandbox.start(seed=3, contacts=80, workdir=tmp_path / "sb", clock=clock, now=START,
                       record_hubspot=True) as sandbox:
        # the emulator's rate windows run on this standing clock: lift them
        sandbox.update_settings("hubspot", {"search_per_second": None, "rate_limit_per_10s": None})
        app = open_app(write_sandbox_config(sandbox.endpoints, tmp_path / "syncd", mappings=DEFAULT_MAPPINGS),
                       clock=clock)
        try:
            yield sandbox, app, clock
        finally:
            app.close()


def _rows(org: dict, name: str) -> list[dict]:
    rows = org["objects"].get(name, [])
    return list(rows.values()) if isinstance(rows, dict) else rows


def test_every_active_lead_has_one_open_task_for_its_owner_due_per_the_sla(world):
    sandbox, app, clock = world
    run_once(app)
    org = sandbox.dump()["salesforce"]
    people = {r["Id"]: r for r in _rows(org, "Lead") + _rows(org, "Contact")}
    active = [i for i, r in people.items() if r.get("Buying_Intent__c") == "active" and not r.get("IsConverted")]
    open_tasks = [t for t in _rows(org, "Task") if t.get("Syncd_Key__c") and t.get("Status") != "Completed"]
    per_person = Counter(t["WhoId"] for t in open_tasks)
    assert active and all(per_person[i] == 1 for i in active)
    assert all(t["OwnerId"] == people[t["WhoId"]]["OwnerId"] for t in open_tasks)
    due = due_at(load_routing(DEFAULT_MAPPINGS / "routing.toml").sla, START).date().isoformat()
    assert {t["ActivityDate"] for t in open_tasks} == {due}
    again = run_once(app)  # nothing new: no second task
    assert again.to_dict().get("tasks_created", 0) == 0 and len(_rows(sandbox.dump()["salesforce"], "Task")) \
        == len(_rows(org, "Task"))


def test_untouched_follow_ups_breach_and_a_completed_task_does_not(world):
    sandbox, app, clock = world
    run_once(app)
    open_ = app.store.open_follow_ups()
    untouched = [f for f in open_ if f["status"] == "open"]
    assert len(untouched) >= 2
    done = untouched[0]
    sandbox.salesforce_state.update("Task", done["task_id"], {"Status": "Completed"})
    clock.advance(timedelta(days=3))
    summary = run_once(app).to_dict()
    states = {f["key"]: f["status"] for f in app.store.follow_up_stats()}
    assert states[done["key"]] == "touched"
    assert summary["sla_breached"] == sum(1 for f in untouched[1:] if states[f["key"]] == "breached") > 0


def test_a_recycled_lead_moves_hubspot_back_in_two_requests(world):
    sandbox, app, clock = world
    run_once(app)
    org = sandbox.dump()["salesforce"]
    lead = next(r for r in _rows(org, "Lead") if r.get("Lifecycle_Stage__c") in ("MQL", "SQL")
                and r.get("HubSpot_Id__c") and not r.get("IsConverted"))
    hid = lead["HubSpot_Id__c"]
    sandbox.salesforce_state.update("Lead", lead["Id"], {"Status": "Nurture"})
    clock.advance(timedelta(minutes=20))
    sandbox.hubspot_recorder.exchanges.clear()
    run_once(app)
    steps = []
    for ex in sandbox.hubspot_recorder.exchanges:
        if ex.method == "POST" and ex.path.endswith("/contacts/batch/update"):
            for item in json.loads(ex.request_body)["inputs"]:
                if item["id"] == hid and "lifecyclestage" in item["properties"]:
                    steps.append(item["properties"]["lifecyclestage"])
    assert steps == ["", "lead"]
    props = sandbox.hubspot_state.contact(hid)["properties"]
    assert props["lifecyclestage"] == "lead" and props["hs_lead_status"] == "BAD_TIMING"
    assert props["syncd_sales_verdict"] == "recycled"
    assert app.store.lifecycle_states([hid])[hid]["stage"] == "recycled"


def _writes(summary) -> dict:
    calls = summary.to_dict()["api_calls_by_endpoint"]
    return {"hubspot": sum(n for e, n in calls["hubspot"].items() if e.startswith("POST") and
                           ("batch/update" in e or "batch/create" in e)),
            "salesforce": sum(n for e, n in calls["salesforce"].items() if not e.startswith("GET")
                              and "composite/batch" not in e and "jobs/query" not in e)}


def test_quiet_cycles_after_the_first_write_nothing_and_read_little(world):
    sandbox, app, clock = world
    run_once(app)
    quiet = []
    for minutes in (1, 20, 20):  # right after (syncd's own writes still inside the overlap), then later
        clock.advance(timedelta(minutes=minutes))
        quiet.append(run_once(app))
    assert [_writes(q) for q in quiet] == [{"hubspot": 0, "salesforce": 0}] * 3, json.dumps([q.to_dict() for q in quiet])
    assert all(q.pulled == 0 and q.created + q.updated == 0 for q in quiet)
    # idle: nothing changed anywhere (the feed's first read of the Leads syncd created brings
    # the owners Salesforce gave them: those people are looked at again, and nothing is written)
    idle = [q for q in quiet if not q.to_dict().get("changed_in_salesforce")]
    assert len(idle) >= 2 and all(q.api_calls["hubspot"] <= 2 and q.api_calls["salesforce"] <= 1 for q in idle), \
        [q.api_calls for q in quiet]


def test_a_two_way_field_changed_in_salesforce_reaches_hubspot_and_does_not_bounce(world):
    sandbox, app, clock = world
    run_once(app)
    org = sandbox.dump()["salesforce"]
    lead = next(r for r in _rows(org, "Lead") if r.get("HubSpot_Id__c") and not r.get("IsConverted"))
    hid = lead["HubSpot_Id__c"]
    clock.advance(timedelta(minutes=20))
    sandbox.salesforce_state.update("Lead", lead["Id"], {"Title": "VP Revenue Operations"})
    clock.advance(timedelta(minutes=1))
    changed = run_once(app)
    assert sandbox.hubspot_state.contact(hid)["properties"]["jobtitle"] == "VP Revenue Operations"
    assert _writes(changed)["hubspot"] >= 1
    quiet = []
    for _ in range(3):
        clock.advance(timedelta(minutes=20))
        quiet.append(run_once(app))
    assert [_writes(q) for q in quiet] == [{"hubspot": 0, "salesforce": 0}] * 3
    lead_now = sandbox.salesforce_state.get("Lead", lead["Id"])
    assert lead_now["Title"] == "VP Revenue Operations"
