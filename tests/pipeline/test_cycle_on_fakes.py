"""Whole cycles over the in-memory ports: matching, writing, settling, idempotence, and
stages plugged in without touching the others."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

import pytest

from syncd.effects import EffectOutcome
from syncd.sync.cycle import run_cycle
from tests.pipeline.conftest import person


def _seed(hubspot, crm):
    crm.add("Lead", Email="ADA1@example.com", LastName="Known", Company="Acme", Status="Open - Not Contacted")
    crm.add("Lead", Email="twin@example.com", LastName="A", Company="X")
    crm.add("Lead", Email="twin@example.com", LastName="B", Company="Y")
    for contact in (person("1", "ada1@example.com"), person("2", "new@example.com"),
                    person("3", None), person("4", "twin@example.com")):
        hubspot.put_contact(contact)


def test_a_cycle_links_creates_parks_and_settles_everyone(world):
    hubspot, crm, store, deps = world
    _seed(hubspot, crm)
    summary = run_cycle(deps, run_id="r1")
    assert (summary.pulled, summary.matched, summary.created, summary.updated) == (4, 1, 1, 1)
    assert (summary.skipped, summary.review, summary.rejected) == (1, 1, 0)
    assert store.count_pending() == 0
    lead_id = store.id_map(["1"])["1"][1]
    assert crm.get("Lead", lead_id)["HubSpot_Id__c"] == "1" and crm.get("Lead", lead_id)["Lifecycle_Stage__c"]
    (created,) = [r for r in crm.objects["Lead"].values() if r.get("HubSpot_Id__c") == "2"]
    assert created["LastName"] == "L2" and created["LeadSource"] == "HubSpot"
    assert [r["hubspot_id"] for r in store.review_items()] == ["4"]
    assert store.rejects[0]["code"] == "NO_EMAIL"
    assert store.lifecycle_states(["1", "2", "3", "4"]).keys() == {"1", "2"}  # parked people are not scored


def test_a_second_cycle_with_no_change_writes_nothing(world):
    hubspot, crm, store, deps = world
    _seed(hubspot, crm)
    run_cycle(deps, run_id="r1")
    writes = crm.calls["upsert"] + crm.calls["update"]
    summary = run_cycle(deps, run_id="r2")
    assert summary.pulled == 0 and crm.calls["upsert"] + crm.calls["update"] == writes


def test_a_locked_row_stays_pending_and_goes_through_next_cycle(world):
    hubspot, crm, store, deps = world
    hubspot.put_contact(person("7", "seven@example.com"))
    crm.fail["7"] = "UNABLE_TO_LOCK_ROW"
    assert run_cycle(deps, run_id="r1").retrying == 1
    assert [c.id for c in store.pending_contacts()] == ["7"]
    summary = run_cycle(deps, run_id="r2")
    assert summary.created == 1 and store.count_pending() == 0
    assert len(store.stage_history("7")) == len({(h["to_stage"], h["rule"]) for h in store.stage_history("7")})


# -- a stage added from outside ---------------------------------------------------------
@dataclass(frozen=True, slots=True, kw_only=True)
class Greeting:
    hubspot_id: str
    text: str


@dataclass(frozen=True, slots=True)
class GreetingPlanner:
    def plan(self, person, qualified, ctx):
        return (Greeting(hubspot_id=person.id, text=f"hello {qualified.computed.values['stage']}"),)


class GreetingExecutor:
    effect_type = Greeting

    def __init__(self, fail_on: str | None = None) -> None:
        self.sent: list[Greeting] = []
        self.fail_on = fail_on

    def execute(self, effects, *, run_id: str, now: datetime, earlier=()):
        if any(e.hubspot_id == self.fail_on for e in effects):
            raise RuntimeError("greeting service down")
        self.sent += effects
        return [EffectOutcome(effect=e, status="applied", counts={"greetings": 1}) for e in effects]


def test_a_planner_and_executor_plug_in_without_changing_the_others(world):
    hubspot, crm, store, deps = world
    _seed(hubspot, crm)
    executor = GreetingExecutor()
    deps = replace(deps, planners=(*deps.planners, GreetingPlanner()), executors=(*deps.executors, executor))
    summary = run_cycle(deps, run_id="r1")
    assert sorted(g.hubspot_id for g in executor.sent) == ["1", "2"]  # parked people get no effects
    assert summary.to_dict()["greetings"] == 2 and summary.created == 1 and store.count_pending() == 0


def test_an_effect_without_an_executor_is_refused_before_anything_is_sent(world):
    hubspot, crm, store, deps = world
    _seed(hubspot, crm)
    deps = replace(deps, planners=(*deps.planners, GreetingPlanner()))
    with pytest.raises(TypeError, match="Greeting"):
        run_cycle(deps, run_id="r1")
    assert crm.calls["upsert"] + crm.calls["update"] == 0


def test_a_failing_stage_keeps_what_was_written_before_it(world):
    hubspot, crm, store, deps = world
    _seed(hubspot, crm)
    deps = replace(deps, planners=(*deps.planners, GreetingPlanner()),
                   executors=(*deps.executors, GreetingExecutor(fail_on="2")))
    with pytest.raises(RuntimeError, match="greeting"):
        run_cycle(deps, run_id="r1")
    # the Salesforce writes happened: their links are kept, so nothing is looked up or created twice
    assert set(store.id_map(["1", "2"])) == {"1", "2"}
    assert sorted(c.id for c in store.pending_contacts()) == ["1", "2"]  # their greeting is still owed
    again = run_cycle(replace(deps, executors=(*deps.executors[:-1], GreetingExecutor())), run_id="r2")
    assert again.created == 0 and again.to_dict()["greetings"] == 2 and store.count_pending() == 0


def test_the_core_is_given_rules_not_settings():
    from dataclasses import fields

    from syncd.sync.cycle import CycleDeps

    names = {f.name for f in fields(CycleDeps)}
    assert "rules" in names and not names & {"settings", "secrets", "config"}
